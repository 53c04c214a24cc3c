"""delivery: livestream samples' parcels

Revision ID: b7d2e19c4a01
Revises: 4a560c6026f7
Create Date: 2026-12-01 15:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7d2e19c4a01"
down_revision: str | None = "4a560c6026f7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sample_parcels",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("region_id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(length=30), nullable=False),
        sa.Column("reference_id", sa.Uuid(), nullable=False),
        sa.Column("sender_org_id", sa.Uuid(), nullable=False),
        sa.Column("recipient_org_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=True),
        sa.Column("carrier", sa.String(length=50), nullable=False),
        sa.Column("tracking_number", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("shipped_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recipient_name", sa.String(length=100), nullable=True),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sample_parcels")),
        sa.UniqueConstraint("source", "reference_id", name="uq_sample_parcels_reference"),
        schema="delivery",
    )
    for column in ("region_id", "sender_org_id", "recipient_org_id", "tracking_number"):
        op.create_index(
            op.f(f"ix_delivery_sample_parcels_{column}"),
            "sample_parcels",
            [column],
            unique=False,
            schema="delivery",
        )


def downgrade() -> None:
    op.drop_table("sample_parcels", schema="delivery")
