"""retention: compact idempotency replays, and the event log's prune horizon

Idempotency records kept the whole first answer as JSON (a status view: about 4 KB of database
per keyed update); they now keep it compressed (app/models/replay_codec.py), and the request's
SHA-256 as 32 bytes instead of 64 hex digits. Records already there are converted, so a retry
after the upgrade still gets its first answer.

event_counter.pruned_through is the newest event id retention has removed: readers behind it
are told to reset.

Revision ID: 0004_retention
Revises: 0001
Create Date: 2026-12-01 11:30:00
"""
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from app.models import replay_codec

revision: str = "0004_retention"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000


RECORDS = sa.table(
    "idempotency_record",
    sa.column("id", sa.Integer),
    sa.column("body", sa.JSON),
    sa.column("replay", sa.LargeBinary),
    sa.column("fingerprint", sa.String),
    sa.column("digest", sa.LargeBinary),
)


def _convert(values: Callable[[Any], dict[str, Any]], *columns: sa.ColumnClause[Any]) -> None:
    """Rewrite every record, a batch at a time, with the values computed from ``columns``."""
    conn = op.get_bind()
    last = 0
    while True:
        rows = conn.execute(
            sa.select(RECORDS.c.id, *columns).where(RECORDS.c.id > last).order_by(RECORDS.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        for row in rows:
            conn.execute(RECORDS.update().where(RECORDS.c.id == row.id).values(**values(row)))
        last = rows[-1].id


def upgrade() -> None:
    with op.batch_alter_table("event_counter", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pruned_through", sa.BigInteger(), nullable=False, server_default="0"))

    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("replay", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("digest", sa.LargeBinary(), nullable=True))
    _convert(
        lambda row: {"replay": replay_codec.encode(row.body), "digest": bytes.fromhex(row.fingerprint)},
        RECORDS.c.body,
        RECORDS.c.fingerprint,
    )
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.drop_column("body")
        batch_op.drop_column("fingerprint")
        batch_op.alter_column("replay", existing_type=sa.LargeBinary(), nullable=False)
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.alter_column(
            "digest", existing_type=sa.LargeBinary(), nullable=False, new_column_name="fingerprint"
        )


def downgrade() -> None:
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.alter_column("fingerprint", existing_type=sa.LargeBinary(), new_column_name="digest")
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("body", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("fingerprint", sa.String(length=64), nullable=True))
    _convert(
        lambda row: {"body": replay_codec.decode(row.replay), "fingerprint": bytes(row.digest).hex()},
        RECORDS.c.replay,
        RECORDS.c.digest,
    )
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.drop_column("replay")
        batch_op.drop_column("digest")
        batch_op.alter_column("body", existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column("fingerprint", existing_type=sa.String(length=64), nullable=False)
    with op.batch_alter_table("event_counter", schema=None) as batch_op:
        batch_op.drop_column("pruned_through")
