"""payments: consigned goods sold live are the supplier's payable (consignment_payables,
supplier_statements.consignment_fen)

Revision ID: d4b0e5f6a702
Revises: c3a9d4e5f601
Create Date: 2026-12-01 14:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d4b0e5f6a702"
down_revision: str | None = "c3a9d4e5f601"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = "payments"


def upgrade() -> None:
    op.create_table(
        "consignment_payables",
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        sa.Column("region_id", sa.Uuid(), nullable=False),
        sa.Column("supplier_id", sa.Uuid(), nullable=False),
        sa.Column("catalog_product_id", sa.Uuid(), nullable=False),
        sa.Column("sale_line_id", sa.Uuid(), nullable=True),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("supply_price_fen", sa.BigInteger(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("sold_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("entry_id", name=op.f("pk_consignment_payables")),
        schema=S,
    )
    for column in ("region_id", "supplier_id", "sold_at"):
        op.create_index(
            op.f(f"ix_payments_consignment_payables_{column}"),
            "consignment_payables",
            [column],
            schema=S,
        )
    op.add_column(
        "supplier_statements",
        sa.Column("consignment_fen", sa.BigInteger(), server_default="0", nullable=False),
        schema=S,
    )


def downgrade() -> None:
    op.drop_column("supplier_statements", "consignment_fen", schema=S)
    op.drop_table("consignment_payables", schema=S)
