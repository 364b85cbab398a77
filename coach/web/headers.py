"""Security headers on every response, static files and error pages included.

The Content-Security-Policy allows no inline script, no inline style and no plugin: every script and
stylesheet is a file under ``coach/static``, page behaviour is attached from there (``js/coach.js``), and
data for scripts travels in ``<script type="application/json">`` blocks, which are never executed.
``media-src blob:`` lets the role-play player replay a reply just recorded in the browser.
"""
from __future__ import annotations

from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
))
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
# only behind TLS (COACH_SECURE_COOKIES): a browser that saw it refuses plain HTTP to this host for a year
STRICT_TRANSPORT_SECURITY = "max-age=31536000"


def register_security_headers(app: Flask, https_only: bool) -> None:
    headers = {**HEADERS, **({"Strict-Transport-Security": STRICT_TRANSPORT_SECURITY} if https_only else {})}

    @app.after_request
    def _security_headers(response: Response) -> Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response
