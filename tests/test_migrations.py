from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

from coach import db


def test_migrations_match_the_models(app):
    """A model change without a migration fails here."""
    with app.extensions["coach.engine"].connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        assert compare_metadata(context, SQLModel.metadata) == []


def _database_with_a_trainee(tmp_path, revision: str):
    """A SQLite database migrated to ``revision``, holding team Blue and its trainee ann."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    db.upgrade(engine, revision)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO teams (name, created_at) VALUES ('Blue', '2024-01-01')"))
        connection.execute(text("INSERT INTO users (username, display_name, role, password_hash, team_id, active, created_at) "
                                "VALUES ('ann', '', 'trainee', 'x', 1, 1, '2024-01-01')"))
    return engine


def test_team_rubrics_migrate_up_and_down_on_a_database_with_teams_and_users(tmp_path):
    """0002 adds a column to `teams`, which users refer to: SQLite must not rebuild the table under them."""
    engine = _database_with_a_trainee(tmp_path, "0001")
    db.upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO rubrics (name, version, yaml_text, created_at) VALUES ('north', '1', 'x', '2024-01-01')"))
        connection.execute(text("UPDATE teams SET rubric_id = 1"))
        assert connection.execute(text("SELECT name, rubric_id FROM teams")).all() == [("Blue", 1)]
    command.downgrade(db.alembic_config(engine), "0001")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT username, team_id FROM users")).all() == [("ann", 1)]
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    db.upgrade(engine)
    engine.dispose()


def test_session_version_migrates_up_and_down_on_a_database_with_users(tmp_path):
    """0004 adds users.session_version (0 for existing users) without rebuilding `users`, which most tables refer to."""
    engine = _database_with_a_trainee(tmp_path, "0003")
    db.upgrade(engine)
    with engine.begin() as connection:
        assert connection.execute(text("SELECT username, session_version FROM users")).all() == [("ann", 0)]
    command.downgrade(db.alembic_config(engine), "0003")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT username, team_id FROM users")).all() == [("ann", 1)]
        assert "session_version" not in {row[1] for row in connection.execute(text("PRAGMA table_info(users)"))}
    db.upgrade(engine)
    engine.dispose()


def test_blind_calibration_and_disputes_migrate_up_and_down_on_a_database_with_a_calibration(tmp_path):
    """0006 adds calibrations.kind / reviewer_ids (an old calibration becomes a session) and scorecard_responses."""
    engine = _database_with_a_trainee(tmp_path, "0005")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO recordings (stored_name, original_name, content_type, size_bytes, sha256, created_at) "
                                "VALUES ('a.wav', 'a.wav', 'audio/wav', 1, '', '2024-01-01')"))
        connection.execute(text("INSERT INTO calls (recording_id, agent_id, call_date, call_type, external_id, agent_channel, "
                                "status, result, created_at) VALUES (1, 1, '2024-01-01', '', '', 'auto', 'ready', '{}', '2024-01-01')"))
        connection.execute(text("INSERT INTO calibrations (call_id, lead_id, note, created_at) VALUES (1, 1, '', '2024-01-01')"))
    db.upgrade(engine)
    with engine.begin() as connection:
        assert connection.execute(text("SELECT kind, reviewer_ids FROM calibrations")).all() == [("session", "[]")]
        assert connection.execute(text("SELECT count(*) FROM scorecard_responses")).scalar() == 0
    command.downgrade(db.alembic_config(engine), "0005")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT call_id, lead_id FROM calibrations")).all() == [(1, 1)]
        assert "kind" not in {row[1] for row in connection.execute(text("PRAGMA table_info(calibrations)"))}
    db.upgrade(engine)
    engine.dispose()
