"""Per-request plumbing of the console: the signed-in staff member, language, CSRF, templates.

Every console request needs a signed-in, active staff account except the login page, the
language switch and static files; POSTs must carry the CSRF token.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from urllib.parse import urlparse

from flask import g, redirect, render_template, request, session, url_for
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from otopbot import runtime
from otopbot.clock import day, day_and_time
from otopbot.console import auth, labels
from otopbot.db import utcnow
from otopbot.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator
from otopbot.models import StaffAccount

OPEN_ENDPOINTS = {"console.login", "console.static", "console.set_language"}


def language() -> str:
    lang = session.get("lang", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def translator() -> Translator:
    t: Translator | None = g.get("t")
    if t is None:
        t = Translator(runtime.current().settings.locales_dir, language())
        g.t = t
    return t


@contextmanager
def transaction() -> Iterator[Session]:
    with runtime.current().database.transaction() as db:
        yield db


def load_staff() -> Response | None:
    """before_request: find the staff member, check CSRF, send strangers to the login page."""
    g.staff = None
    staff_id = session.get("staff_id")
    if staff_id is not None:
        now = utcnow()
        with transaction() as db:
            staff = db.get(StaffAccount, staff_id) if isinstance(staff_id, int) else None
            g.staff = staff if auth.session_is_current(staff, now) else None
        if g.staff is None:
            auth.end_session()
        else:
            auth.touch_session(now)
    auth.check_csrf()
    if g.staff is None and request.endpoint not in OPEN_ENDPOINTS:
        return redirect(url_for("console.login", next=request.full_path.rstrip("?")))
    return None


def safe_next(target: str | None) -> str:
    """Only follow a `next` that stays inside this site (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and not urlparse(target).netloc:
        return target
    return url_for("console.dashboard")


def label(table: str, code: str | None) -> str:
    msgid = labels.msgid(table, code)
    return translator()(msgid) if msgid else (code or "–")


def local_time(moment: datetime | None, with_time: bool = True) -> str:
    if moment is None:
        return "–"
    return day_and_time(moment, language()) if with_time else day(moment, language())


def template_globals() -> dict[str, Any]:
    return {
        "t": translator(),
        "lang": language(),
        "staff": g.get("staff"),
        "csrf_token": auth.csrf_token,
        "has_role": lambda *roles: auth.has_role(g.get("staff"), *roles),
        "label": label,
        "when": local_time,
        "labels": labels,
    }


def page(template: str, **context: Any) -> str:
    return render_template(f"console/{template}", **context)


def error_page(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    return page("error.html", code=code, csrf=(error.description == "csrf")), code
