"""URL converters for the app: ``<int:...>`` holds only numbers a database id column can hold.

Flask's own ``int`` converter takes any number of digits; above 2**63 - 1 the database driver raises
OverflowError and the page is a 500. Registered as ``int`` in ``create_app``, before the blueprints, so
every route is covered, this one makes such an address a 404 like any other missing row.
"""
from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

from coach.web.lookup import MAX_ID


class DatabaseIdConverter(IntegerConverter):
    def __init__(self, url_map: Map, *args, **kwargs) -> None:
        super().__init__(url_map, *args, **kwargs)
        self.max = MAX_ID if self.max is None else min(self.max, MAX_ID)
