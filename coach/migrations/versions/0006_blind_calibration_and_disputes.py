"""calibrations.kind and reviewer_ids (blind calibration, double-scoring); scorecard_responses (acknowledge, dispute)

`calibrations` gains who is asked to score blind and whether it is a lead's session or a routine call quietly
double-scored; existing rows become sessions with no pending seats. `scorecard_responses` holds an agent's
acknowledgement or dispute of a finalised scorecard and the lead's resolution. Plain ADD COLUMN with server
defaults and CREATE TABLE: the same on SQLite and PostgreSQL, and nothing existing is rebuilt.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 14:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

RESPONSE_KIND = sa.Enum('acknowledged', 'disputed', name='responsekind')
DISPUTE_STATUS = sa.Enum('open', 'upheld', 'changed', name='disputestatus')


def upgrade() -> None:
    op.add_column('calibrations', sa.Column('kind', sa.String(length=10), nullable=False, server_default='session'))
    op.add_column('calibrations', sa.Column('reviewer_ids', sa.JSON(), nullable=False, server_default='[]'))
    op.create_table(
        'scorecard_responses',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('review_id', sa.Integer(), sa.ForeignKey('reviews.id'), nullable=False, unique=True),
        sa.Column('agent_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('kind', RESPONSE_KIND, nullable=False),
        sa.Column('reason', sa.Text(), nullable=False, server_default=''),
        sa.Column('status', DISPUTE_STATUS, nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('resolved_by', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.Column('resolution', sa.Text(), nullable=False, server_default=''),
        sa.Column('dimension', sa.String(length=40), nullable=False),
        sa.Column('old_score', sa.Integer(), nullable=True),
        sa.Column('new_score', sa.Integer(), nullable=True),
        sa.Column('resolved_at', sa.DateTime(), nullable=True),
    )
    op.create_index('ix_scorecard_responses_agent_id', 'scorecard_responses', ['agent_id'])
    op.create_index('ix_scorecard_responses_status', 'scorecard_responses', ['status'])


def downgrade() -> None:
    op.drop_index('ix_scorecard_responses_status', table_name='scorecard_responses')
    op.drop_index('ix_scorecard_responses_agent_id', table_name='scorecard_responses')
    op.drop_table('scorecard_responses')
    if op.get_bind().dialect.name == 'postgresql':
        DISPUTE_STATUS.drop(op.get_bind(), checkfirst=True)
        RESPONSE_KIND.drop(op.get_bind(), checkfirst=True)
    op.drop_column('calibrations', 'reviewer_ids')
    op.drop_column('calibrations', 'kind')
