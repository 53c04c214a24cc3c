"""repository buyer past purchases: what a buyer bought before ordering here, recorded
by the operator, for reorder suggestions and "buy again"

Revision ID: d1a2b3c4e5f6
Revises: 3485cf9d3635
Create Date: 2026-12-01 14:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d1a2b3c4e5f6"
down_revision: str | None = "3485cf9d3635"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "buyer_past_purchases",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("buyer_org_id", sa.Uuid(), nullable=False),
        sa.Column("offer_id", sa.Uuid(), nullable=False),
        sa.Column("ordered_on", sa.Date(), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("recorded_by_user_id", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("cases > 0", name=op.f("ck_buyer_past_purchases_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_buyer_past_purchases")),
        sa.UniqueConstraint("buyer_org_id", "offer_id", "ordered_on", name="uq_past_purchase_day"),
        schema="repository",
    )
    op.create_index(
        op.f("ix_repository_buyer_past_purchases_buyer_org_id"),
        "buyer_past_purchases",
        ["buyer_org_id"],
        unique=False,
        schema="repository",
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_repository_buyer_past_purchases_buyer_org_id"),
        table_name="buyer_past_purchases",
        schema="repository",
    )
    op.drop_table("buyer_past_purchases", schema="repository")
