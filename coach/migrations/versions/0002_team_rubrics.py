"""team rubrics: uploaded rubrics and each team's own rubric

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 22:49:00.543400
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rubrics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('version', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('yaml_text', sa.Text(), nullable=False),
    sa.Column('uploaded_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['uploaded_by'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name', 'version')
    )
    with op.batch_alter_table('rubrics', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rubrics_name'), ['name'], unique=False)

    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot add a constraint to a table, and rebuilding `teams` (batch mode) fails on the users that
        # refer to it; a new column may carry its REFERENCES clause, though.
        op.execute("ALTER TABLE teams ADD COLUMN rubric_id INTEGER CONSTRAINT fk_teams_rubric_id REFERENCES rubrics (id)")
    else:
        op.add_column('teams', sa.Column('rubric_id', sa.Integer(), nullable=True))
        op.create_foreign_key('fk_teams_rubric_id', 'teams', 'rubrics', ['rubric_id'], ['id'])
    op.create_index(op.f('ix_teams_rubric_id'), 'teams', ['rubric_id'], unique=False)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.drop_index(op.f('ix_teams_rubric_id'), table_name='teams')
    if sqlite:
        _sqlite_foreign_keys("OFF")  # the batch rebuild drops `teams`, which the users refer to
    with op.batch_alter_table('teams', schema=None) as batch_op:
        if not sqlite:
            batch_op.drop_constraint('fk_teams_rubric_id', type_='foreignkey')
        batch_op.drop_column('rubric_id')
    if sqlite:
        _sqlite_foreign_keys("ON")
    with op.batch_alter_table('rubrics', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rubrics_name'))
    op.drop_table('rubrics')


def _sqlite_foreign_keys(state: str) -> None:
    """PRAGMA foreign_keys only takes effect outside a transaction."""
    with op.get_context().autocommit_block():
        op.execute(f"PRAGMA foreign_keys = {state}")
