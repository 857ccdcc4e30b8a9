"""desk: acknowledgements, inquiries, the session secret

Revision ID: 0002_desk
Revises: 0001
Create Date: 2026-11-24 03:23:40.668481
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op


revision: str = '0002_desk'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('app_secret',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('acknowledgement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.Column('order_version', sa.Integer(), nullable=False),
    sa.Column('covers_event_id', sa.BigInteger(), nullable=False),
    sa.Column('eta_likely_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('eta_latest_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cost_amount', sa.String(length=40), nullable=True),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('actor_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('acknowledgement', schema=None) as batch_op:
        batch_op.create_index('ix_acknowledgement_order_id_id', ['order_id', 'id'], unique=False)

    op.create_table('inquiry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.Column('flow_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('stage_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('actor_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('inquiry', schema=None) as batch_op:
        batch_op.create_index('ix_inquiry_at', ['at'], unique=False)
        batch_op.create_index('ix_inquiry_order_id_id', ['order_id', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('inquiry', schema=None) as batch_op:
        batch_op.drop_index('ix_inquiry_order_id_id')
        batch_op.drop_index('ix_inquiry_at')

    op.drop_table('inquiry')
    with op.batch_alter_table('acknowledgement', schema=None) as batch_op:
        batch_op.drop_index('ix_acknowledgement_order_id_id')

    op.drop_table('acknowledgement')
    op.drop_table('app_secret')
