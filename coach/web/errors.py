"""Error pages a person can act on, never a traceback.

A 500 may come from the database itself, so its page needs none: the request's session is rolled back
first, and the page is drawn plain, straight from the Jinja environment: no context processors (Flask-Login's
loads the signed-in user, the navigation asks for the role) and, in the layout, no user and no navigation.
"""
import logging

from flask import Flask, current_app, g, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Bad request", "The request could not be understood."),
    403: ("Not allowed", "Your account may not open this page."),
    404: ("Not found", "There is nothing at this address."),
    413: ("Upload too large", "The file is larger than this site accepts (COACH_MAX_UPLOAD_MB)."),
    429: ("Too many requests", "Slow down and try again in a few minutes."),
    500: ("Something went wrong", "The error has been logged. Try again, or tell an administrator."),
}


def register_error_pages(app: Flask) -> None:
    for code in MESSAGES:
        if code != 500:
            app.register_error_handler(code, lambda error, code=code: _page(code))
    app.register_error_handler(500, _server_error)
    app.register_error_handler(CSRFError, lambda error: _page(400, f"The form expired or was not sent by this site ({error.description}). Reload the page and try again."))


def _server_error(_error):
    session = g.get("db_session")
    if session is not None:
        try:
            session.rollback()
        except SQLAlchemyError:  # the connection itself is gone; the page below does not need it
            log.warning("could not roll back the session after a server error", exc_info=True)
    title, message = MESSAGES[500]
    page = current_app.jinja_env.get_template("error.html").render(code=500, title=title, message=message, plain_page=True)
    return page, 500


def _page(code: int, detail: str | None = None):
    title, message = MESSAGES[code]
    return render_template("error.html", code=code, title=title, message=detail or message), code
