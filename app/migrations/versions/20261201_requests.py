"""requests from the desk to the back office, and each department's answer

Revision ID: 0004_requests
Revises: 0001
Create Date: 2026-12-01 11:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op


revision: str = '0004_requests'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('desk_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('answer_by', sa.DateTime(timezone=True), nullable=True),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('overdue_raised', sa.Boolean(), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('actor_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('event_id', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name='fk_desk_request_order_id_orders'),
    sa.PrimaryKeyConstraint('id', name='pk_desk_request')
    )
    with op.batch_alter_table('desk_request', schema=None) as batch_op:
        batch_op.create_index('ix_desk_request_order_id_id', ['order_id', 'id'], unique=False)
        batch_op.create_index('ix_desk_request_state_answer_by', ['state', 'answer_by'], unique=False)

    op.create_table('desk_request_stage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('stage_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('stage_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('answer', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('answered_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('answered_by_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['request_id'], ['desk_request.id'], name='fk_desk_request_stage_request_id_desk_request'),
    sa.PrimaryKeyConstraint('id', name='pk_desk_request_stage'),
    sa.UniqueConstraint('request_id', 'stage_key', name='uq_desk_request_stage_request_id')
    )
    with op.batch_alter_table('desk_request_stage', schema=None) as batch_op:
        batch_op.create_index('ix_desk_request_stage_department_answered_at', ['department', 'answered_at'], unique=False)


def downgrade() -> None:
    op.drop_table('desk_request_stage')
    op.drop_table('desk_request')
