"""livestream commission on sale lines, return windows, commission entries, statements

Revision ID: a7c41e2d9b10
Revises: f0f86dd0a1c0
Create Date: 2026-12-01 14:00:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "a7c41e2d9b10"
down_revision: str | None = "f0f86dd0a1c0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = "livestream"
BIG = sa.BigInteger()


def upgrade() -> None:
    op.alter_column("sale_lines", "status", new_column_name="platform_status", schema=S)
    op.alter_column("sale_lines", "settled_at", new_column_name="platform_settled_at", schema=S)
    zero = sa.text("0")
    columns: list[tuple[str, Any, Any]] = [
        ("quantity", sa.Integer(), sa.text("1")),
        ("refunded_fen", BIG, zero),
        ("rate_source", sa.String(10), sa.text("'none'")),
        ("rate_bps", sa.Integer(), zero),
        ("agency_fee_bps", sa.Integer(), zero),
        ("agency_share_bps", sa.Integer(), zero),
        ("supply_price_fen", BIG, zero),
        ("supplier_fen", BIG, zero),
        ("agency_fen", BIG, zero),
        ("streamer_fen", BIG, zero),
        ("base_fen", BIG, zero),
        ("status", sa.String(20), sa.text("'estimated'")),
        ("version", sa.Integer(), sa.text("1")),
    ]
    for name, type_, default in columns:
        op.add_column(
            "sale_lines", sa.Column(name, type_, nullable=False, server_default=default), schema=S
        )
    nullable: list[tuple[str, Any]] = [
        ("confirmed_at", sa.DateTime(timezone=True)),
        ("agency_id", sa.Uuid()),
        ("supplier_id", sa.Uuid()),
        ("catalog_product_id", sa.Uuid()),
        ("plan_id", sa.Uuid()),
        ("settled_at", sa.DateTime(timezone=True)),
    ]
    for name, type_ in nullable:
        op.add_column("sale_lines", sa.Column(name, type_, nullable=True), schema=S)
    op.execute(
        "UPDATE livestream.sale_lines SET base_fen = paid_fen, "
        "status = CASE WHEN platform_status = 'refunded' THEN 'cancelled' ELSE 'estimated' END, "
        "refunded_fen = CASE WHEN platform_status = 'refunded' THEN paid_fen ELSE 0 END"
    )
    op.create_index(
        op.f("ix_livestream_sale_lines_agency_id"), "sale_lines", ["agency_id"], schema=S
    )
    op.create_index(
        op.f("ix_livestream_sale_lines_supplier_id"), "sale_lines", ["supplier_id"], schema=S
    )
    op.create_index(
        "ix_livestream_sale_lines_region_status", "sale_lines", ["region_id", "status"], schema=S
    )
    op.create_table(
        "return_windows",
        sa.Column("region_id", sa.Uuid(), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("region_id", "platform", name=op.f("pk_return_windows")),
        schema=S,
    )
    op.create_table(
        "commission_entries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("region_id", sa.Uuid(), nullable=False),
        sa.Column("line_id", sa.Uuid(), nullable=False),
        sa.Column("payee_org_id", sa.Uuid(), nullable=False),
        sa.Column("payee_kind", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("statement_id", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commission_entries")),
        schema=S,
    )
    for col in ("region_id", "line_id", "payee_org_id", "statement_id"):
        op.create_index(
            op.f(f"ix_livestream_commission_entries_{col}"), "commission_entries", [col], schema=S
        )
    op.create_table(
        "statements",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("region_id", sa.Uuid(), nullable=False),
        sa.Column("payee_org_id", sa.Uuid(), nullable=False),
        sa.Column("payee_kind", sa.String(length=10), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("commission_fen", sa.BigInteger(), nullable=False),
        sa.Column("clawback_fen", sa.BigInteger(), nullable=False),
        sa.Column("total_fen", sa.BigInteger(), nullable=False),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_by", sa.Uuid(), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_fen", sa.BigInteger(), nullable=True),
        sa.Column("bank_batch_id", sa.String(length=64), nullable=True),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statements")),
        sa.UniqueConstraint(
            "payee_org_id",
            "payee_kind",
            "period",
            name=op.f("uq_statements_payee_org_id_payee_kind_period"),
        ),
        schema=S,
    )
    op.create_index(
        op.f("ix_livestream_statements_region_id"), "statements", ["region_id"], schema=S
    )
    op.create_index(
        op.f("ix_livestream_statements_payee_org_id"), "statements", ["payee_org_id"], schema=S
    )


def downgrade() -> None:
    op.drop_table("statements", schema=S)
    op.drop_table("commission_entries", schema=S)
    op.drop_table("return_windows", schema=S)
    op.drop_index("ix_livestream_sale_lines_region_status", table_name="sale_lines", schema=S)
    op.drop_index(op.f("ix_livestream_sale_lines_supplier_id"), table_name="sale_lines", schema=S)
    op.drop_index(op.f("ix_livestream_sale_lines_agency_id"), table_name="sale_lines", schema=S)
    for name in (
        "settled_at",
        "plan_id",
        "catalog_product_id",
        "supplier_id",
        "agency_id",
        "confirmed_at",
        "version",
        "status",
        "base_fen",
        "streamer_fen",
        "agency_fen",
        "supplier_fen",
        "supply_price_fen",
        "agency_share_bps",
        "agency_fee_bps",
        "rate_bps",
        "rate_source",
        "refunded_fen",
        "quantity",
    ):
        op.drop_column("sale_lines", name, schema=S)
    op.alter_column("sale_lines", "platform_settled_at", new_column_name="settled_at", schema=S)
    op.alter_column("sale_lines", "platform_status", new_column_name="status", schema=S)
