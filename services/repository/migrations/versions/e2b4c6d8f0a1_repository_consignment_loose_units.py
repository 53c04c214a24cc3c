"""repository consignment loose units held at the warehouse until they make a case

Revision ID: e2b4c6d8f0a1
Revises: d1a2b3c4e5f6
Create Date: 2026-12-01 17:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e2b4c6d8f0a1"
down_revision: str | None = "d1a2b3c4e5f6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "consignment_loose_units",
        sa.Column("warehouse_id", sa.Uuid(), nullable=False),
        sa.Column("variant_id", sa.Uuid(), nullable=False),
        sa.Column("case_pack", sa.Integer(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["repository.warehouses.id"],
            name=op.f("fk_consignment_loose_units_warehouse_id_warehouses"),
        ),
        sa.PrimaryKeyConstraint(
            "warehouse_id", "variant_id", "case_pack", name=op.f("pk_consignment_loose_units")
        ),
        schema="repository",
    )


def downgrade() -> None:
    op.drop_table("consignment_loose_units", schema="repository")
