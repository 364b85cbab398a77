"""Error pages a person can act on, never a traceback."""
from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

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
        app.register_error_handler(code, lambda error, code=code: _page(code))
    app.register_error_handler(CSRFError, lambda error: _page(400, f"The form expired or was not sent by this site ({error.description}). Reload the page and try again."))


def _page(code: int, detail: str | None = None):
    title, message = MESSAGES[code]
    return render_template("error.html", code=code, title=title, message=detail or message), code
