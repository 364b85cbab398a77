"""The Huey instance for the configured queue: SQLite by default, Redis to share work between machines."""
from __future__ import annotations

from huey import MemoryHuey, RedisHuey, SqliteHuey
from huey.api import Huey

from coach.config import ConfigError


def make_huey(queue_url: str, name: str = "coach") -> Huey:
    """``sqlite:///path`` (embedded), ``redis://host:port/db`` (several workers), ``memory://`` (tests: runs jobs at once)."""
    scheme, _, rest = queue_url.partition("://")
    if scheme == "sqlite":
        return SqliteHuey(name=name, filename=rest.lstrip("/") and "/" + rest.lstrip("/"))
    if scheme == "redis":
        return RedisHuey(name=name, url=queue_url)
    if scheme == "memory":
        return MemoryHuey(name=name, immediate=True)
    raise ConfigError(f"COACH_QUEUE_URL={queue_url!r}: use sqlite:///PATH, redis://HOST:PORT/DB or memory://")
