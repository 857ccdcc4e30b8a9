"""ordered webhook endpoints; failed attempts in a row; pending deliveries indexed by endpoint

An endpoint may ask for its deliveries in event order (`ordered`, false for every endpoint so
far). An endpoint counts its failed attempts in a row (0 for every endpoint so far): after a few,
new deliveries wait for a probe instead of each trying it. The dispatcher claims each endpoint's due deliveries in event order: a partial index over the
pending rows only serves that, and stays as small as the backlog however many delivered rows are
kept.

Revision ID: 0007_ordered_deliveries
Revises: 0006_calendars
Create Date: 2026-12-02 10:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_ordered_deliveries"
down_revision: str | Sequence[str] | None = "0006_calendars"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("webhook_endpoint", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ordered", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("consecutive_failures", sa.Integer(), nullable=False, server_default="0"))
    op.create_index(
        "ix_webhook_delivery_pending_endpoint_id_id",
        "webhook_delivery",
        ["endpoint_id", "id"],
        unique=False,
        sqlite_where=sa.text("status = 'pending'"),
        postgresql_where=sa.text("status = 'pending'"),
    )


def downgrade() -> None:
    op.drop_index("ix_webhook_delivery_pending_endpoint_id_id", table_name="webhook_delivery")
    with op.batch_alter_table("webhook_endpoint", schema=None) as batch_op:
        batch_op.drop_column("consecutive_failures")
        batch_op.drop_column("ordered")
