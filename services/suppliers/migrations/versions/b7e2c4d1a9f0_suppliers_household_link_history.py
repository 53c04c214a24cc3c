"""suppliers household link history (started, ended, by whom)

Revision ID: b7e2c4d1a9f0
Revises: 2ad84f56b4a7
Create Date: 2026-12-01 11:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7e2c4d1a9f0"
down_revision: str | None = "2ad84f56b4a7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ("started_on", sa.Date()),
    ("ended_on", sa.Date()),
    ("ended_reason", sa.Text()),
    ("added_by", sa.Uuid()),
    ("ended_by", sa.Uuid()),
)


def upgrade() -> None:
    for name, type_ in COLUMNS:
        op.add_column("household_links", sa.Column(name, type_, nullable=True), schema="suppliers")
    op.create_index(
        op.f("ix_suppliers_household_links_ended_on"),
        "household_links",
        ["ended_on"],
        unique=False,
        schema="suppliers",
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_suppliers_household_links_ended_on"),
        table_name="household_links",
        schema="suppliers",
    )
    for name, _ in reversed(COLUMNS):
        op.drop_column("household_links", name, schema="suppliers")
