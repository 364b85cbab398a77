"""A schema of its own on the test PostgreSQL server, for a test that needs an empty database there."""
import contextlib
import uuid

from sqlalchemy import create_engine, text


@contextlib.contextmanager
def fresh_schema(server_url: str, prefix: str):
    """The URL of a new schema on ``server_url`` (its search path set), dropped with everything in it afterwards."""
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in server_url else "?"
    try:
        yield f"{server_url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
