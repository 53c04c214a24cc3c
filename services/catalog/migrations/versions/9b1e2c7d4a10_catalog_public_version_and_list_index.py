"""catalog public version and the public list's index

`catalog.public_version` is one row whose `version` changes, in the same transaction, with
every change to a table the public product JSON is read from (products, variants, product
images, suppliers): deferred constraint triggers bump it once per transaction, at commit,
so the row lock is the last one a writer takes (no deadlock between writers) and a reader
that sees the change also sees the new version. The public page cache is keyed by it
(services/catalog/products/service.py). Values come from a sequence, so a version is never
reused even if the row is rewritten.

The public list's default order (newest listed first in one county, on sale only) gets its
own index: the scan stops after `limit + 1` rows without a sort.

Revision ID: 9b1e2c7d4a10
Revises: f4d14b5fc883
Create Date: 2026-12-01 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9b1e2c7d4a10"
down_revision: str | None = "f4d14b5fc883"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SOURCES = ("products", "variants", "product_images", "suppliers")


def upgrade() -> None:
    op.create_table(
        "public_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_version")),
        schema="catalog",
    )
    op.execute("CREATE SEQUENCE catalog.public_version_seq")
    op.execute(
        "INSERT INTO catalog.public_version (id, version) "
        "VALUES (1, nextval('catalog.public_version_seq'))"
    )
    op.execute(
        """
        CREATE FUNCTION catalog.bump_public_version() RETURNS trigger AS $$
        BEGIN
            -- once per transaction (the setting is local to it)
            IF current_setting('catalog.public_version_bumped', true) IS DISTINCT FROM 'on'
            THEN
                PERFORM set_config('catalog.public_version_bumped', 'on', true);
                UPDATE catalog.public_version
                   SET version = nextval('catalog.public_version_seq') WHERE id = 1;
            END IF;
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql
        """
    )
    for table in SOURCES:
        op.execute(
            f"CREATE CONSTRAINT TRIGGER {table}_bump_public_version "
            f"AFTER INSERT OR UPDATE OR DELETE ON catalog.{table} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
            "EXECUTE FUNCTION catalog.bump_public_version()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_truncate_bumps_public_version "
            f"AFTER TRUNCATE ON catalog.{table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION catalog.bump_public_version()"
        )
    op.create_index(
        "ix_catalog_products_public_listing",
        "products",
        ["region_id", sa.text("listed_at DESC"), sa.text("id DESC")],
        schema="catalog",
        postgresql_where=sa.text("on_sale"),
    )


def downgrade() -> None:
    op.drop_index("ix_catalog_products_public_listing", table_name="products", schema="catalog")
    for table in SOURCES:
        op.execute(
            f"DROP TRIGGER IF EXISTS {table}_truncate_bumps_public_version ON catalog.{table}"
        )
        op.execute(f"DROP TRIGGER IF EXISTS {table}_bump_public_version ON catalog.{table}")
    op.execute("DROP FUNCTION IF EXISTS catalog.bump_public_version()")
    op.drop_table("public_version", schema="catalog")
    op.execute("DROP SEQUENCE IF EXISTS catalog.public_version_seq")
