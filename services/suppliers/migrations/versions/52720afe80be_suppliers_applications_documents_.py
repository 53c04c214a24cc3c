"""suppliers applications documents payouts notifications

Revision ID: 52720afe80be
Revises:
Create Date: 2026-11-28 15:45:43.174679
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.migrations import create_kernel_tables, drop_kernel_tables

revision: str = "52720afe80be"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_kernel_tables("suppliers", ("idempotency_keys", "inbox", "outbox"))
    op.create_table(
        "supplier_notifications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("supplier_id", sa.Uuid(), nullable=False),
        sa.Column("region_id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.String(length=40),
            nullable=False,
            comment="expires_in_30_days, expires_in_7_days, expired",
        ),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_notifications")),
        sa.UniqueConstraint(
            "document_id", "kind", name=op.f("uq_supplier_notifications_document_id_kind")
        ),
        schema="suppliers",
    )
    op.create_index(
        op.f("ix_suppliers_supplier_notifications_region_id"),
        "supplier_notifications",
        ["region_id"],
        unique=False,
        schema="suppliers",
    )
    op.create_index(
        op.f("ix_suppliers_supplier_notifications_supplier_id"),
        "supplier_notifications",
        ["supplier_id"],
        unique=False,
        schema="suppliers",
    )
    op.create_table(
        "supplier_organisations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("region_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_organisations")),
        schema="suppliers",
    )
    op.create_index(
        op.f("ix_suppliers_supplier_organisations_region_id"),
        "supplier_organisations",
        ["region_id"],
        unique=False,
        schema="suppliers",
    )
    op.create_table(
        "suppliers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("region_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("supplier_kind", sa.String(length=24), nullable=False),
        sa.Column("legal_name", sa.String(length=200), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=True),
        sa.Column("credit_code", sa.String(length=18), nullable=True),
        sa.Column("id_number_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("id_number_masked", sa.String(length=18), nullable=True),
        sa.Column("legal_representative", sa.String(length=100), nullable=True),
        sa.Column(
            "contacts",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("township", sa.String(length=100), nullable=True),
        sa.Column("village", sa.String(length=100), nullable=True),
        sa.Column(
            "products",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "capacity",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("makes_processed_food", sa.Boolean(), nullable=False),
        sa.Column("household_relation", sa.String(length=24), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewer_user_id", sa.Uuid(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status_reason", sa.Text(), nullable=True),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suppliers")),
        schema="suppliers",
    )
    op.create_index(
        op.f("ix_suppliers_suppliers_credit_code"),
        "suppliers",
        ["credit_code"],
        unique=False,
        schema="suppliers",
    )
    op.create_index(
        op.f("ix_suppliers_suppliers_region_id"),
        "suppliers",
        ["region_id"],
        unique=False,
        schema="suppliers",
    )
    op.create_index(
        op.f("ix_suppliers_suppliers_status"),
        "suppliers",
        ["status"],
        unique=False,
        schema="suppliers",
    )
    op.create_index(
        op.f("ix_suppliers_suppliers_submitted_at"),
        "suppliers",
        ["submitted_at"],
        unique=False,
        schema="suppliers",
    )
    op.create_index(
        op.f("ix_suppliers_suppliers_supplier_kind"),
        "suppliers",
        ["supplier_kind"],
        unique=False,
        schema="suppliers",
    )
    op.create_index(
        op.f("ix_suppliers_suppliers_township"),
        "suppliers",
        ["township"],
        unique=False,
        schema="suppliers",
    )
    op.create_table(
        "household_links",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("supplier_id", sa.Uuid(), nullable=False),
        sa.Column("household_kind", sa.String(length=24), nullable=False),
        sa.Column("household_ref", sa.String(length=64), nullable=False),
        sa.Column("head_name", sa.String(length=100), nullable=True),
        sa.Column("village", sa.String(length=100), nullable=True),
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
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["suppliers.suppliers.id"],
            name=op.f("fk_household_links_supplier_id_suppliers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_links")),
        schema="suppliers",
    )
    op.create_index(
        op.f("ix_suppliers_household_links_supplier_id"),
        "household_links",
        ["supplier_id"],
        unique=False,
        schema="suppliers",
    )
    op.create_table(
        "payout_accounts",
        sa.Column("supplier_id", sa.Uuid(), nullable=False),
        sa.Column("account_name", sa.String(length=200), nullable=False),
        sa.Column("bank_name", sa.String(length=200), nullable=False),
        sa.Column("branch_name", sa.String(length=200), nullable=True),
        sa.Column("account_number_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("account_last4", sa.String(length=4), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["suppliers.suppliers.id"],
            name=op.f("fk_payout_accounts_supplier_id_suppliers"),
        ),
        sa.PrimaryKeyConstraint("supplier_id", name=op.f("pk_payout_accounts")),
        schema="suppliers",
    )
    op.create_table(
        "qualification_documents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("supplier_id", sa.Uuid(), nullable=False),
        sa.Column("region_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("issuer", sa.String(length=200), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True, comment="null: no expiry"),
        sa.Column("review_status", sa.String(length=20), nullable=False),
        sa.Column("review_reason", sa.Text(), nullable=True),
        sa.Column("replaces_id", sa.Uuid(), nullable=True),
        sa.Column("storage_key", sa.String(length=300), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=True),
        sa.Column("uploaded_by", sa.Uuid(), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["suppliers.suppliers.id"],
            name=op.f("fk_qualification_documents_supplier_id_suppliers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qualification_documents")),
        schema="suppliers",
    )
    op.create_index(
        op.f("ix_suppliers_qualification_documents_region_id"),
        "qualification_documents",
        ["region_id"],
        unique=False,
        schema="suppliers",
    )
    op.create_index(
        op.f("ix_suppliers_qualification_documents_supplier_id"),
        "qualification_documents",
        ["supplier_id"],
        unique=False,
        schema="suppliers",
    )
    op.create_index(
        op.f("ix_suppliers_qualification_documents_valid_until"),
        "qualification_documents",
        ["valid_until"],
        unique=False,
        schema="suppliers",
    )
    op.create_table(
        "supplier_transitions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("supplier_id", sa.Uuid(), nullable=False),
        sa.Column("from_status", sa.String(length=24), nullable=False),
        sa.Column("to_status", sa.String(length=24), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("actor_user_id", sa.Uuid(), nullable=True),
        sa.Column(
            "actor_role",
            sa.String(length=16),
            nullable=False,
            comment="supplier, operator or system",
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column(
            "document_reasons",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["suppliers.suppliers.id"],
            name=op.f("fk_supplier_transitions_supplier_id_suppliers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_transitions")),
        schema="suppliers",
    )
    op.create_index(
        op.f("ix_suppliers_supplier_transitions_at"),
        "supplier_transitions",
        ["at"],
        unique=False,
        schema="suppliers",
    )
    op.create_index(
        op.f("ix_suppliers_supplier_transitions_supplier_id"),
        "supplier_transitions",
        ["supplier_id"],
        unique=False,
        schema="suppliers",
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_suppliers_supplier_transitions_supplier_id"),
        table_name="supplier_transitions",
        schema="suppliers",
    )
    op.drop_index(
        op.f("ix_suppliers_supplier_transitions_at"),
        table_name="supplier_transitions",
        schema="suppliers",
    )
    op.drop_table("supplier_transitions", schema="suppliers")
    op.drop_index(
        op.f("ix_suppliers_qualification_documents_valid_until"),
        table_name="qualification_documents",
        schema="suppliers",
    )
    op.drop_index(
        op.f("ix_suppliers_qualification_documents_supplier_id"),
        table_name="qualification_documents",
        schema="suppliers",
    )
    op.drop_index(
        op.f("ix_suppliers_qualification_documents_region_id"),
        table_name="qualification_documents",
        schema="suppliers",
    )
    op.drop_table("qualification_documents", schema="suppliers")
    op.drop_table("payout_accounts", schema="suppliers")
    op.drop_index(
        op.f("ix_suppliers_household_links_supplier_id"),
        table_name="household_links",
        schema="suppliers",
    )
    op.drop_table("household_links", schema="suppliers")
    op.drop_index(
        op.f("ix_suppliers_suppliers_township"), table_name="suppliers", schema="suppliers"
    )
    op.drop_index(
        op.f("ix_suppliers_suppliers_supplier_kind"), table_name="suppliers", schema="suppliers"
    )
    op.drop_index(
        op.f("ix_suppliers_suppliers_submitted_at"), table_name="suppliers", schema="suppliers"
    )
    op.drop_index(op.f("ix_suppliers_suppliers_status"), table_name="suppliers", schema="suppliers")
    op.drop_index(
        op.f("ix_suppliers_suppliers_region_id"), table_name="suppliers", schema="suppliers"
    )
    op.drop_index(
        op.f("ix_suppliers_suppliers_credit_code"), table_name="suppliers", schema="suppliers"
    )
    op.drop_table("suppliers", schema="suppliers")
    op.drop_index(
        op.f("ix_suppliers_supplier_organisations_region_id"),
        table_name="supplier_organisations",
        schema="suppliers",
    )
    op.drop_table("supplier_organisations", schema="suppliers")
    op.drop_index(
        op.f("ix_suppliers_supplier_notifications_supplier_id"),
        table_name="supplier_notifications",
        schema="suppliers",
    )
    op.drop_index(
        op.f("ix_suppliers_supplier_notifications_region_id"),
        table_name="supplier_notifications",
        schema="suppliers",
    )
    op.drop_table("supplier_notifications", schema="suppliers")
    drop_kernel_tables("suppliers", ("outbox", "inbox", "idempotency_keys"))
