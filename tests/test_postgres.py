"""The same model layer on PostgreSQL, when COACH_TEST_POSTGRES_URL names a server (CI sets it)."""
import os

import pytest
from sqlalchemy import text
from sqlmodel import select

from coach import db
from coach.auth import accounts
from coach.models import Job, JobStatus, Role, Team, User
from tests.postgres_schema import fresh_schema

POSTGRES_URL = os.environ.get("COACH_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="COACH_TEST_POSTGRES_URL is not set")


@pytest.fixture
def pg_engine():
    with fresh_schema(POSTGRES_URL, "coach_test") as url:
        engine = db.make_engine(url)
        yield engine
        engine.dispose()


def test_migrations_and_accounts_work_on_postgres(pg_engine):
    db.upgrade(pg_engine)
    with db.session_scope(pg_engine) as session:
        trainer = accounts.create_user(session, "tess", "long-enough-1", Role.trainer)
        team = accounts.create_team(session, "Blue", trainer)
        accounts.create_user(session, "ann", "long-enough-1", Role.trainee, team=team)
        assert accounts.sign_in(session, "ann", "long-enough-1", "127.0.0.1", 5, 300).user is not None
        session.add(Job(kind="demo", payload={"nested": {"list": [1, 2]}}))
    with db.session_scope(pg_engine) as session:
        ann = session.exec(select(User).where(User.username == "ann")).one()
        assert session.get(Team, ann.team_id).name == "Blue"
        job = session.exec(select(Job)).one()
        assert job.status == JobStatus.queued and job.payload["nested"]["list"] == [1, 2]


def test_migrated_postgres_schema_matches_the_models(pg_engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    db.upgrade(pg_engine)
    with pg_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_blind_calibration_and_disputes_migrate_down_and_up_on_postgres(pg_engine):
    """0006's enum types are dropped with its table, so upgrading again works."""
    from alembic import command

    db.upgrade(pg_engine)
    command.downgrade(db.alembic_config(pg_engine), "0005")
    db.upgrade(pg_engine)
    with pg_engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM scorecard_responses")).scalar() == 0
