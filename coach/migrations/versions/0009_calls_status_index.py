"""Index calls by status and upload time, for the reviewer's queue of calls waiting for review

The queue panel lists the oldest ready calls and counts those still processing; without the index SQLite read and
sorted every call row, whose first pass is a large document stored before ``created_at``. Plain CREATE INDEX: the
same on SQLite and PostgreSQL.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 12:30:00
"""
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_calls_status_created', 'calls', ['status', 'created_at'])


def downgrade() -> None:
    op.drop_index('ix_calls_status_created', table_name='calls')
