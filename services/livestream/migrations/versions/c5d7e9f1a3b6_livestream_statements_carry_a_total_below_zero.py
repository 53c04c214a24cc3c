"""livestream statements carry a total <= 0 into the payee's next statement

Revision ID: c5d7e9f1a3b6
Revises: b3e9d1c4f5a2
Create Date: 2026-12-01 17:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c5d7e9f1a3b6"
down_revision: str | None = "b3e9d1c4f5a2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
S = "livestream"


def upgrade() -> None:
    op.add_column(
        "statements",
        sa.Column("carried_in_fen", sa.BigInteger(), nullable=False, server_default="0"),
        schema=S,
    )
    op.alter_column("statements", "carried_in_fen", server_default=None, schema=S)
    op.add_column("statements", sa.Column("carried_into_id", sa.Uuid(), nullable=True), schema=S)
    op.create_index(
        op.f("ix_livestream_statements_carried_into_id"),
        "statements",
        ["carried_into_id"],
        schema=S,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_livestream_statements_carried_into_id"), "statements", schema=S)
    op.drop_column("statements", "carried_into_id", schema=S)
    op.drop_column("statements", "carried_in_fen", schema=S)
