"""Certificate verification codes: "<assignment id>-<HMAC of it and the completion time>".

Anyone may check a code without signing in; nobody can forge one without the secret key, and a completion that
moves (a score overridden) voids the old code. Pure: the caller passes the key.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

MAX_ID = 2**63


def verification_code(secret_key: str, assignment_id: int, completed_at: datetime) -> str:
    """The code printed on the certificate of this assignment, completed at ``completed_at``."""
    moment = completed_at.replace(tzinfo=None, microsecond=0).isoformat()
    digest = hmac.new(secret_key.encode(), f"certificate:{assignment_id}:{moment}".encode(), hashlib.sha256).hexdigest()
    return f"{assignment_id}-{digest[:20]}"


def assignment_number(code: str) -> int | None:
    """The assignment id a code claims, or None when it claims none a database could hold."""
    number, _, _ = code.partition("-")
    return int(number) if number.isdigit() and 0 < int(number) < MAX_ID else None


def is_genuine(secret_key: str, code: str, assignment_id: int, completed_at: datetime | None) -> bool:
    """Whether ``code`` is the one this assignment's completion earns (False while it is not complete)."""
    return completed_at is not None and hmac.compare_digest(code, verification_code(secret_key, assignment_id,
                                                                                     completed_at))
