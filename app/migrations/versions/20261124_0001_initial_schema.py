"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-24 03:14:33.647737
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from datetime import UTC, datetime


revision: str = '0001'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


STANDARD_FLOW = {
    "stages": [
        {"key": "assembly", "name": "Assembly", "department": "assembly", "planned_minutes": 480,
         "planned_cost": None, "depends_on": []},
        {"key": "finance", "name": "Finance", "department": "finance", "planned_minutes": 120,
         "planned_cost": None, "depends_on": ["assembly"]},
        {"key": "shipping", "name": "Shipping", "department": "shipping", "planned_minutes": 1440,
         "planned_cost": None, "depends_on": ["finance"]},
    ],
    "texts": {
        "assembly": {
            "ready": {"en": "Your order is queued for assembly", "id": "Pesanan Anda dalam antrean perakitan"},
            "in_progress": {"en": "Your order is being assembled", "id": "Pesanan Anda sedang dirakit"},
        },
        "finance": {
            "in_progress": {"en": "Your order is assembled and its paperwork is being completed",
                            "id": "Pesanan Anda sudah dirakit dan dokumennya sedang diselesaikan"},
        },
        "shipping": {
            "ready": {"en": "Your order is packed and waiting for the courier",
                      "id": "Pesanan Anda sudah dikemas dan menunggu kurir"},
            "in_progress": {"en": "Your order is on its way", "id": "Pesanan Anda sedang dalam pengiriman"},
        },
    },
    "reason_codes": [],
}


def upgrade() -> None:
    
    op.create_table('api_key',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('departments', sa.JSON(), nullable=False),
    sa.Column('secret_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('prefix', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('secret_hash')
    )
    op.create_table('event',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('type', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('at_risk', sa.Boolean(), nullable=False),
    sa.Column('time', sa.DateTime(timezone=True), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index('ix_event_order_id_id', ['order_id', 'id'], unique=False)
        batch_op.create_index('ix_event_type_id', ['type', 'id'], unique=False)

    op.create_table('event_counter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_id', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('flow',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('idempotency_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('fingerprint', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('scope', 'key', name='uq_idempotency_record_scope_key')
    )
    with op.batch_alter_table('idempotency_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idempotency_record_created_at'), ['created_at'], unique=False)

    op.create_table('orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('flow_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('customer_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('customer_contact', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('promised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('quoted_amount', sa.String(length=40), nullable=False),
    sa.Column('estimated_amount', sa.String(length=40), nullable=False),
    sa.Column('actual_amount', sa.String(length=40), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('at_risk', sa.Boolean(), nullable=False),
    sa.Column('eta_likely_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('eta_latest_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('eta_basis', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('cancel_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['flow_key'], ['flow.key'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('reference')
    )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index('ix_orders_at_risk_id', ['at_risk', 'id'], unique=False)
        batch_op.create_index('ix_orders_state_id', ['state', 'id'], unique=False)
        batch_op.create_index('ix_orders_updated_at', ['updated_at'], unique=False)

    op.create_table('estimate_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('stage_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('previous_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('new_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('previous_amount', sa.String(length=40), nullable=True),
    sa.Column('new_amount', sa.String(length=40), nullable=True),
    sa.Column('delta_minutes', sa.Integer(), nullable=True),
    sa.Column('delta_amount', sa.String(length=40), nullable=True),
    sa.Column('crossed_promise', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('significant', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('estimate_revision', schema=None) as batch_op:
        batch_op.create_index('ix_estimate_revision_order_id_id', ['order_id', 'id'], unique=False)

    op.create_table('order_stage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('depends_on', sa.JSON(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('planned_minutes', sa.Integer(), nullable=False),
    sa.Column('planned_amount', sa.String(length=40), nullable=True),
    sa.Column('estimate_amount', sa.String(length=40), nullable=True),
    sa.Column('actual_amount', sa.String(length=40), nullable=True),
    sa.Column('expected_finish_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('next_update_by', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ready_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('assignee', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('internal_note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('customer_note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('last_update_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('overdue_for', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('order_id', 'key', name='uq_order_stage_order_id_key')
    )
    with op.batch_alter_table('order_stage', schema=None) as batch_op:
        batch_op.create_index('ix_order_stage_department_status', ['department', 'status'], unique=False)
        batch_op.create_index('ix_order_stage_key_status', ['key', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_stage_order_id'), ['order_id'], unique=False)
        batch_op.create_index('ix_order_stage_status_next_update_by', ['status', 'next_update_by'], unique=False)


    # Seed: the event counter's single row, and the default flow every fresh database has.
    counter = sa.table("event_counter", sa.column("id", sa.Integer), sa.column("last_id", sa.BigInteger))
    op.bulk_insert(counter, [{"id": 1, "last_id": 0}])
    flow = sa.table(
        "flow",
        sa.column("key", sa.String),
        sa.column("name", sa.String),
        sa.column("definition", sa.JSON),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(flow, [{"key": "standard", "name": "Standard order", "definition": STANDARD_FLOW,
                           "created_at": datetime(2026, 1, 1, tzinfo=UTC)}])


def downgrade() -> None:
    
    with op.batch_alter_table('order_stage', schema=None) as batch_op:
        batch_op.drop_index('ix_order_stage_status_next_update_by')
        batch_op.drop_index(batch_op.f('ix_order_stage_order_id'))
        batch_op.drop_index('ix_order_stage_key_status')
        batch_op.drop_index('ix_order_stage_department_status')

    op.drop_table('order_stage')
    with op.batch_alter_table('estimate_revision', schema=None) as batch_op:
        batch_op.drop_index('ix_estimate_revision_order_id_id')

    op.drop_table('estimate_revision')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index('ix_orders_updated_at')
        batch_op.drop_index('ix_orders_state_id')
        batch_op.drop_index('ix_orders_at_risk_id')

    op.drop_table('orders')
    with op.batch_alter_table('idempotency_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idempotency_record_created_at'))

    op.drop_table('idempotency_record')
    op.drop_table('flow')
    op.drop_table('event_counter')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index('ix_event_type_id')
        batch_op.drop_index('ix_event_order_id_id')

    op.drop_table('event')
    op.drop_table('api_key')
    
