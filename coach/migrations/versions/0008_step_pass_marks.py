"""curriculum_steps.pass_mark: a step's own pass mark, instead of the curriculum's

Nullable (null: the curriculum's marks, as before), so existing steps keep their meaning. ADD COLUMN: the same on
SQLite and PostgreSQL.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 15:05:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('curriculum_steps', sa.Column('pass_mark', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('curriculum_steps') as batch:
        batch.drop_column('pass_mark')
