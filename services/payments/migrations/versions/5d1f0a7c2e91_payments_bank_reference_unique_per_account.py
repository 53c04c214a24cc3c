"""payments: a bank reference is unique per receiving account (the region's)

Revision ID: 5d1f0a7c2e91
Revises: 9f85f2e95be7
Create Date: 2026-12-01 11:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5d1f0a7c2e91"
down_revision: str | None = "9f85f2e95be7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "bank_receipts", sa.Column("region_id", sa.Uuid(), nullable=True), schema="payments"
    )
    op.execute(
        "UPDATE payments.bank_receipts r SET region_id = o.region_id "
        "FROM payments.orders o WHERE o.order_id = r.order_id"
    )
    # receipts keyed twice before this rule: keep the first, mark the later ones apart
    op.execute(
        "UPDATE payments.bank_receipts r SET bank_reference = left(r.bank_reference, 60) "
        "|| '#dup-' || r.id FROM payments.bank_receipts f "
        "WHERE f.region_id = r.region_id AND f.bank_reference = r.bank_reference "
        "AND (f.created_at, f.id) < (r.created_at, r.id)"
    )
    op.alter_column("bank_receipts", "region_id", nullable=False, schema="payments")
    op.create_index(
        op.f("ix_payments_bank_receipts_region_id"),
        "bank_receipts",
        ["region_id"],
        unique=False,
        schema="payments",
    )
    op.create_unique_constraint(
        op.f("uq_bank_receipts_region_id_bank_reference"),
        "bank_receipts",
        ["region_id", "bank_reference"],
        schema="payments",
    )


def downgrade() -> None:
    op.drop_constraint(
        op.f("uq_bank_receipts_region_id_bank_reference"),
        "bank_receipts",
        schema="payments",
        type_="unique",
    )
    op.drop_index(
        op.f("ix_payments_bank_receipts_region_id"), table_name="bank_receipts", schema="payments"
    )
    op.drop_column("bank_receipts", "region_id", schema="payments")
