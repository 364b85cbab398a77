"""Counting the SQL statements an app runs: for tests that a page's queries do not grow with its rows."""
import contextlib

from sqlalchemy import event


@contextlib.contextmanager
def counted(app):
    """The SQL statements the app's engine runs inside the block, in order."""
    engine = app.extensions["coach.engine"]
    statements = []

    def note(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", note)
