"""teams.trainer_id foreign key on servers where 0001 left it out

0001 declares ``fk_teams_trainer_id`` with ``use_alter`` (teams and users refer to each other), and Alembic's
``create_table`` skips such constraints, so PostgreSQL databases were created without it. SQLite keeps the
REFERENCES clause of the column and needs nothing.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 23:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

NAME = "fk_teams_trainer_id"


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite" and not _has_constraint():
        op.create_foreign_key(NAME, "teams", "users", ["trainer_id"], ["id"])


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite" and _has_constraint():
        op.drop_constraint(NAME, "teams", type_="foreignkey")


def _has_constraint() -> bool:
    return NAME in {fk["name"] for fk in sa.inspect(op.get_bind()).get_foreign_keys("teams")}
