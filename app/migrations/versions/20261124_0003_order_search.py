"""order search: a trigram index over reference and customer name

Revision ID: 0003_search
Revises: 0001
Create Date: 2026-11-24 04:20:00

`?q=` finds text anywhere in an order's reference or customer name. Without an index that is
a scan of every order; with a trigram index it is a lookup, on SQLite (FTS5's trigram
tokenizer) and on PostgreSQL (pg_trgm) alike.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_search"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UP = [
    """CREATE VIRTUAL TABLE order_search USING fts5(
        reference, customer_name, content='orders', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER order_search_insert AFTER INSERT ON orders BEGIN
        INSERT INTO order_search(rowid, reference, customer_name)
        VALUES (new.id, new.reference, new.customer_name);
    END""",
    """CREATE TRIGGER order_search_delete AFTER DELETE ON orders BEGIN
        INSERT INTO order_search(order_search, rowid, reference, customer_name)
        VALUES ('delete', old.id, old.reference, old.customer_name);
    END""",
    """CREATE TRIGGER order_search_update AFTER UPDATE OF reference, customer_name ON orders BEGIN
        INSERT INTO order_search(order_search, rowid, reference, customer_name)
        VALUES ('delete', old.id, old.reference, old.customer_name);
        INSERT INTO order_search(rowid, reference, customer_name)
        VALUES (new.id, new.reference, new.customer_name);
    END""",
    "INSERT INTO order_search(order_search) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS order_search_update",
    "DROP TRIGGER IF EXISTS order_search_delete",
    "DROP TRIGGER IF EXISTS order_search_insert",
    "DROP TABLE IF EXISTS order_search",
]


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_UP:
            op.execute(statement)
        return
    # pg_trgm ships with PostgreSQL; creating it needs a privileged role. Without it the search
    # still works, only by scanning: say so rather than fail the migration.
    available = bind.execute(
        sa.text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
    ).scalar() or _try_create_extension(bind)
    if available:
        op.execute("CREATE INDEX ix_orders_reference_trgm ON orders USING gin (lower(reference) gin_trgm_ops)")
        op.execute(
            "CREATE INDEX ix_orders_customer_name_trgm ON orders USING gin (lower(customer_name) gin_trgm_ops)"
        )


def _try_create_extension(bind: sa.Connection) -> bool:
    savepoint = bind.begin_nested()
    try:
        bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError:
        savepoint.rollback()
        print("nextdesk: pg_trgm is not available; order text search will scan")  # noqa: T201
        return False
    savepoint.commit()
    return True


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_DOWN:
            op.execute(statement)
        return
    op.execute("DROP INDEX IF EXISTS ix_orders_customer_name_trgm")
    op.execute("DROP INDEX IF EXISTS ix_orders_reference_trgm")
