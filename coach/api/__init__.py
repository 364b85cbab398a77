"""The read-only JSON API (``/api/v1``), authenticated by per-user tokens."""
