"""users.session_version: raising it ends every session of the account

The signed-in session keeps the version it started with; sign-out, a password change and deactivation raise
it, so a copied session cookie stops working. A plain ADD COLUMN with a server default fills the existing rows
on SQLite and PostgreSQL alike, and SQLite (3.35 and later) drops the column again without rebuilding `users`,
which most tables refer to.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 10:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('users', sa.Column('session_version', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    op.drop_column('users', 'session_version')
