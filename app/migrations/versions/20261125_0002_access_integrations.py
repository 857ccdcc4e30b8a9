"""access: inbound integrations and the messages they sent

Revision ID: 0002_access
Revises: 0001
Create Date: 2026-11-25 02:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op


revision: str = '0002_access'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('integration',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('departments', sa.JSON(), nullable=False),
    sa.Column('stages', sa.JSON(), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=True),
    sa.Column('secret', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('previous_secret', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('previous_secret_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('inbound_receipt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('integration', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('webhook_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('stage', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('integration', 'webhook_id', name='uq_inbound_receipt_integration_webhook_id')
    )
    with op.batch_alter_table('inbound_receipt', schema=None) as batch_op:
        batch_op.create_index('ix_inbound_receipt_integration_received_at', ['integration', 'received_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('inbound_receipt', schema=None) as batch_op:
        batch_op.drop_index('ix_inbound_receipt_integration_received_at')

    op.drop_table('inbound_receipt')
    op.drop_table('integration')
