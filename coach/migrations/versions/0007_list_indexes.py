"""Indexes for the paginated lists, where SQLite's query plans showed a sort of the whole table

A person's practice history (attempts by person and start), a curriculum's assignments (by curriculum and date),
the admin users list (by role and name) and the API tokens list (by creation). Plain CREATE INDEX: the same on
SQLite and PostgreSQL.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 14:45:00
"""
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

INDEXES = [
    ('ix_attempts_user_started', 'attempts', ['user_id', 'started_at']),
    ('ix_assignments_curriculum_assigned', 'assignments', ['curriculum_id', 'assigned_at']),
    ('ix_users_role_username', 'users', ['role', 'username']),
    ('ix_api_tokens_created_at', 'api_tokens', ['created_at']),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
