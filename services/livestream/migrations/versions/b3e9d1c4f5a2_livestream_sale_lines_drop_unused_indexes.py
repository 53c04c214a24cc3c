"""livestream sale_lines: drop the indexes no query uses

`region_id` alone is the prefix of `(region_id, status)`; no query filters sale lines by
`pool_entry_id` or `supplier_id` (figures group by the product within a region, the
consignment module counts sold quantities from the events). Each index cost the 100,000-line
import a btree insert per line.

Revision ID: b3e9d1c4f5a2
Revises: a7c41e2d9b10
Create Date: 2026-12-01 15:05:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "b3e9d1c4f5a2"
down_revision: str | None = "a7c41e2d9b10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = "livestream"
DROPPED = ("region_id", "pool_entry_id", "supplier_id")


def upgrade() -> None:
    for column in DROPPED:
        op.drop_index(f"ix_livestream_sale_lines_{column}", table_name="sale_lines", schema=S)


def downgrade() -> None:
    for column in DROPPED:
        op.create_index(
            f"ix_livestream_sale_lines_{column}", "sale_lines", [column], unique=False, schema=S
        )
