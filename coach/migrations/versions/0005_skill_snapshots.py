"""skill_snapshots: stored skill levels per person; an index for finished attempts by person and time

Pages read a person's levels from `skill_snapshots` instead of recomputing them from every observation on
every request (coach/progress/snapshots.py). The composite index on attempts serves the progress queries
(a person's finished attempts in time order, a team's latest attempts). Plain CREATE TABLE / CREATE INDEX:
the same on SQLite and PostgreSQL, and nothing existing is rebuilt.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 09:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'skill_snapshots',
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('changes', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('computed_for', sa.Integer(), nullable=True),
        sa.Column('levels', sa.JSON(), nullable=False),
        sa.Column('series', sa.JSON(), nullable=False),
        sa.Column('computed_at', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_attempts_user_status_finished', 'attempts', ['user_id', 'status', 'finished_at'])


def downgrade() -> None:
    op.drop_index('ix_attempts_user_status_finished', table_name='attempts')
    op.drop_table('skill_snapshots')
