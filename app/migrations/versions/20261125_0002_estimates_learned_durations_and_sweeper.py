"""estimates: learned stage durations, the sweeper's recheck time, revision times, ledger promise

Revision ID: 0002_estimates
Revises: 0001
Create Date: 2026-11-25 08:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op


revision: str = '0002_estimates'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('stage_stat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('flow_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('stage_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('samples', sa.Integer(), nullable=False),
    sa.Column('recent', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['flow_key'], ['flow.key'], name='fk_stage_stat_flow_key_flow'),
    sa.PrimaryKeyConstraint('id', name='pk_stage_stat'),
    sa.UniqueConstraint('flow_key', 'stage_key', 'reason', name='uq_stage_stat_flow_key_stage_key_reason')
    )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recheck_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_orders_recheck_at', ['recheck_at'], unique=False)
    with op.batch_alter_table('order_stage', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revised_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('estimate_revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('promised_at', sa.DateTime(timezone=True), nullable=True))
    # Orders open before this revision: let the first sweep look at them (and set their real time).
    op.execute("UPDATE orders SET recheck_at = updated_at WHERE state IN ('open', 'at_risk')")


def downgrade() -> None:
    with op.batch_alter_table('estimate_revision', schema=None) as batch_op:
        batch_op.drop_column('promised_at')
    with op.batch_alter_table('order_stage', schema=None) as batch_op:
        batch_op.drop_column('revised_at')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index('ix_orders_recheck_at')
        batch_op.drop_column('recheck_at')
    op.drop_table('stage_stat')
