"""The staff web console: a Flask blueprint for DIP and DSS staff (mounted at /console by the app).

Server-rendered pages (Jinja, autoescaped) in templates/console/, a small stylesheet in static/,
no assets from the internet. Views live in `otopbot.console.views`; domain work in
`otopbot.services` (selection, workshop_admin, checkin, broadcasts, kpi).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response
from flask.blueprints import BlueprintSetupState
from werkzeug.routing import IntegerConverter, Map

from otopbot import runtime
from otopbot.console import web
from otopbot.console.views import (
    account,
    broadcasts,
    dashboard,
    facets,
    questions,
    registrations,
    staff,
    workshops,
)
from otopbot.errors import LineApiError
from otopbot.settings import LINE_DEFAULT_API

log = logging.getLogger(__name__)
QuotaLookup = Callable[[], "int | None"]
MAX_ROW_ID = 2**31 - 1  # PostgreSQL INTEGER, the type of every id column


def line_quota_remaining() -> int | None:
    """This month's remaining LINE messages from the Messaging API; None when unknown or unlimited."""
    from otopbot.line.client import line_client  # the only door to LINE

    settings = runtime.current().settings
    if not settings.connected and settings.line_api_base_url == LINE_DEFAULT_API:
        return None  # local mode with no LINE stand-in: nothing to ask
    try:
        with line_client(settings) as client:
            return client.quota_remaining()
    except LineApiError as error:
        log.warning("quota lookup failed status=%s; sending without a quota check", error.status)
        return None


class RowId(IntegerConverter):
    """`<int:…>` in URLs, bounded to the database's integer range: a larger id is a 404, never a 500
    (SQLite cannot bind it, PostgreSQL refuses it as out of range)."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(url_map, *args, **kwargs)


def _bounded_ids(state: BlueprintSetupState) -> None:
    """Recorded first, so the console's routes are built with the bounded converter."""
    state.app.url_map.converters["int"] = RowId


def _secure_cookies(state: BlueprintSetupState) -> None:
    """Harden the session cookie of the app the console is mounted on."""
    config = state.app.config
    config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    runtime_ = state.app.extensions.get("otopbot")
    if runtime_ is not None and runtime_.settings.connected:
        config["SESSION_COOKIE_SECURE"] = True


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def _security_headers(response: Response) -> Response:
    """No inline or foreign scripts, no framing, no sniffing; the door page may use the camera."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(self)")
    if "text/html" in response.content_type:
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def make_blueprint(quota_lookup: QuotaLookup | None = None) -> Blueprint:
    """Build the console; `quota_lookup` reports the LINE messages left this month (tests pass a fake)."""
    bp = Blueprint("console", __name__, template_folder="templates", static_folder="static", static_url_path="/static")
    bp.record(_bounded_ids)
    bp.record(_secure_cookies)
    bp.before_request(web.load_staff)
    bp.context_processor(web.template_globals)
    bp.after_request(_security_headers)
    for code in (400, 403, 404, 405):
        bp.register_error_handler(code, web.error_page)
    account.register(bp)
    dashboard.register(bp)
    registrations.register(bp)
    workshops.register(bp)
    broadcasts.register(bp, quota_lookup or line_quota_remaining)
    questions.register(bp)
    facets.register(bp)
    staff.register(bp)
    return bp
