"""payments: livestream commission payouts (payees, payouts per statement, bank batches)

Revision ID: c3a9d4e5f601
Revises: 5d1f0a7c2e91
Create Date: 2026-12-01 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c3a9d4e5f601"
down_revision: str | None = "5d1f0a7c2e91"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = "payments"


def _stamps() -> list[sa.Column]:
    return [
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "commission_payees",
        sa.Column("payee_org_id", sa.Uuid(), nullable=False),
        sa.Column("region_id", sa.Uuid(), nullable=False),
        sa.Column("payee_kind", sa.String(length=20), nullable=False),
        sa.Column("carried_fen", sa.BigInteger(), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("payee_org_id", name=op.f("pk_commission_payees")),
        schema=S,
    )
    op.create_index(
        op.f("ix_payments_commission_payees_region_id"),
        "commission_payees",
        ["region_id"],
        schema=S,
    )
    op.create_table(
        "commission_payout_batches",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("region_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("payout_count", sa.Integer(), nullable=False),
        sa.Column("total_fen", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("bank_reference", sa.String(length=100), nullable=True),
        sa.Column("paid_by", sa.Uuid(), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commission_payout_batches")),
        schema=S,
    )
    op.create_index(
        op.f("ix_payments_commission_payout_batches_region_id"),
        "commission_payout_batches",
        ["region_id"],
        schema=S,
    )
    op.create_table(
        "commission_payouts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("statement_id", sa.Uuid(), nullable=False),
        sa.Column("region_id", sa.Uuid(), nullable=False),
        sa.Column("payee_org_id", sa.Uuid(), nullable=False),
        sa.Column("payee_kind", sa.String(length=20), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("total_fen", sa.BigInteger(), nullable=False),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("carried_in_fen", sa.BigInteger(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("carried_out_fen", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            [f"{S}.commission_payout_batches.id"],
            name=op.f("fk_commission_payouts_batch_id_commission_payout_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commission_payouts")),
        sa.UniqueConstraint("statement_id", name=op.f("uq_commission_payouts_statement_id")),
        schema=S,
    )
    for column in ("region_id", "payee_org_id", "status", "batch_id"):
        op.create_index(
            op.f(f"ix_payments_commission_payouts_{column}"),
            "commission_payouts",
            [column],
            schema=S,
        )


def downgrade() -> None:
    op.drop_table("commission_payouts", schema=S)
    op.drop_table("commission_payout_batches", schema=S)
    op.drop_table("commission_payees", schema=S)
