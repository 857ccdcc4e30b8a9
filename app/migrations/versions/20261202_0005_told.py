"""what the customer was last told, kept on the order; merges the heads before it

Every later change is measured against it to decide whether it is news (issue 13). Orders
already there get it from their last acknowledgement, else from their first estimate and quote
(the promise ledger's opening entry), else from what they say now.

Revision ID: 0005_told
Revises: 0002_desk, 0002_access, 0002_estimates, 0003_search, 0004_delivery_recovery, 0004_requests, 0004_retention
Create Date: 2026-12-02 02:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_told"
down_revision: str | Sequence[str] | None = (
    "0002_desk",
    "0002_access",
    "0002_estimates",
    "0003_search",
    "0004_delivery_recovery",
    "0004_requests",
    "0004_retention",
)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("told_likely_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("told_amount", sa.String(length=40), nullable=True))
    # Correlated subqueries: the same statement on SQLite and PostgreSQL.
    op.execute(
        """
        UPDATE orders SET
          told_likely_at = COALESCE(
            (SELECT a.eta_likely_at FROM acknowledgement a WHERE a.order_id = orders.id
              ORDER BY a.id DESC LIMIT 1),
            (SELECT r.new_at FROM estimate_revision r WHERE r.order_id = orders.id AND r.kind = 'initial'
              ORDER BY r.id LIMIT 1),
            eta_likely_at),
          told_amount = COALESCE(
            (SELECT a.cost_amount FROM acknowledgement a WHERE a.order_id = orders.id
              ORDER BY a.id DESC LIMIT 1),
            quoted_amount)
        """
    )


def downgrade() -> None:
    # Plain ALTER TABLE (SQLite 3.35+): a batch copy would drop a table others reference.
    op.execute("ALTER TABLE orders DROP COLUMN told_amount")
    op.execute("ALTER TABLE orders DROP COLUMN told_likely_at")
