"""Role-play practice pages (the blueprint lives in ``routes.py``)."""
