"""Flask extensions shared by the blueprints, bound to the app in ``create_app``."""
from __future__ import annotations

from flask_htmx import HTMX
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from coach import db
from coach.models import User
from coach.web import sessions

csrf = CSRFProtect()
htmx = HTMX()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to see that page."
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The signed-in user, unless the account is inactive or the session ended (``coach.web.sessions``)."""
    if not user_id.isdigit():
        return None
    user = db.get_session().get(User, int(user_id))
    return user if user is not None and user.active and sessions.is_current(user) else None
