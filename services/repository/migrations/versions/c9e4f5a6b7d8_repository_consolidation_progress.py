"""repository consolidation progress: "consolidate now" runs in the worker; the run
row carries its phase and counts for the operator to poll

Revision ID: c9e4f5a6b7d8
Revises: b7c1d2e3f4a5
Create Date: 2026-12-01 11:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c9e4f5a6b7d8"
down_revision: str | None = "b7c1d2e3f4a5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTS = ("orders_total", "orders_done", "suppliers_total", "suppliers_done")


def upgrade() -> None:
    op.add_column(
        "consolidation_runs",
        sa.Column("phase", sa.String(length=12), server_default="queued", nullable=False),
        schema="repository",
    )
    for name in COUNTS:
        op.add_column(
            "consolidation_runs",
            sa.Column(name, sa.Integer(), server_default="0", nullable=False),
            schema="repository",
        )
    op.add_column(
        "consolidation_runs",
        sa.Column("requested_by_user_id", sa.Uuid(), nullable=True),
        schema="repository",
    )
    op.add_column(
        "consolidation_runs",
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        schema="repository",
    )


def downgrade() -> None:
    for name in ("started_at", "requested_by_user_id", *COUNTS, "phase"):
        op.drop_column("consolidation_runs", name, schema="repository")
