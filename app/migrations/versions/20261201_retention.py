"""retention: compact idempotency replays, and the event log's prune horizon

Idempotency records kept the whole first answer as JSON (a status view: about 4 KB of database
per keyed update); they now keep it compressed (app/services/replay_codec.py). Records already
there are converted, so a retry after the upgrade still gets its first answer.

event_counter.pruned_through is the newest event id retention has removed: readers behind it
are told to reset.

Revision ID: 0004_retention
Revises: 0001
Create Date: 2026-12-01 11:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.services import replay_codec

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
)


def upgrade() -> None:
    with op.batch_alter_table("event_counter", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pruned_through", sa.BigInteger(), nullable=False, server_default="0"))

    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("replay", sa.LargeBinary(), nullable=True))
    conn = op.get_bind()
    records = RECORDS
    last = 0
    while True:
        rows = conn.execute(
            sa.select(records.c.id, records.c.body).where(records.c.id > last).order_by(records.c.id).limit(BATCH)
        ).all()
        if not rows:
            break
        for row in rows:
            conn.execute(
                records.update()
                .where(records.c.id == row.id)
                .values(replay=replay_codec.encode(row.body))
            )
        last = rows[-1].id
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.drop_column("body")
        batch_op.alter_column("replay", existing_type=sa.LargeBinary(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("body", sa.JSON(), nullable=True))
    conn = op.get_bind()
    records = RECORDS
    for row in conn.execute(sa.select(records.c.id, records.c.replay)).all():
        conn.execute(records.update().where(records.c.id == row.id).values(body=replay_codec.decode(row.replay)))
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.drop_column("replay")
        batch_op.alter_column("body", existing_type=sa.JSON(), nullable=False)
    with op.batch_alter_table("event_counter", schema=None) as batch_op:
        batch_op.drop_column("pruned_through")
