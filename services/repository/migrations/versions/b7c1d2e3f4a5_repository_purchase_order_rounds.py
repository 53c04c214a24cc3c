"""repository purchase order rounds and window closures: a window consolidated again
after its supplier answered gets a new purchase order instead of shortening the new
lines; the operator can close a window before its cut-off

Revision ID: b7c1d2e3f4a5
Revises: a7f8f421279b
Create Date: 2026-12-01 11:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7c1d2e3f4a5"
down_revision: str | None = "a7f8f421279b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "purchase_orders",
        sa.Column("round_no", sa.Integer(), server_default="1", nullable=False),
        schema="repository",
    )
    op.drop_constraint("uq_po_window_supplier", "purchase_orders", schema="repository")
    op.create_unique_constraint(
        "uq_po_window_supplier_round",
        "purchase_orders",
        ["region_id", "window_date", "supplier_id", "round_no"],
        schema="repository",
    )
    op.create_table(
        "window_closures",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("region_id", sa.Uuid(), nullable=False),
        sa.Column("window_date", sa.Date(), nullable=False),
        sa.Column("route_id", sa.Uuid(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_window_closures")),
        sa.UniqueConstraint("region_id", "window_date", "route_id", name="uq_window_closure"),
        schema="repository",
    )
    op.create_index(
        op.f("ix_repository_window_closures_region_id"),
        "window_closures",
        ["region_id"],
        unique=False,
        schema="repository",
    )


def downgrade() -> None:
    op.drop_table("window_closures", schema="repository")
    op.drop_constraint("uq_po_window_supplier_round", "purchase_orders", schema="repository")
    op.create_unique_constraint(
        "uq_po_window_supplier",
        "purchase_orders",
        ["region_id", "window_date", "supplier_id"],
        schema="repository",
    )
    op.drop_column("purchase_orders", "round_no", schema="repository")
