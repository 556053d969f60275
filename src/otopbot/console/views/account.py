"""Sign in, sign out, the language switch and the audit log."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, request, session, url_for
from werkzeug.wrappers import Response

from otopbot.console import auth, web
from otopbot.i18n import LANGUAGES


def login() -> Response | str | tuple[str, int]:
    if request.method == "GET":
        if g.staff is not None:
            return redirect(web.safe_next(request.args.get("next")))
        return web.page("login.html", next=request.args.get("next", ""))
    t = web.translator()
    with web.transaction() as db:
        result = auth.authenticate(
            db, request.form.get("username", ""), request.form.get("password", ""), request.remote_addr or "unknown"
        )
        if result.staff is not None:
            g.staff = result.staff
            auth.audit(db, "login", result.staff.username)
    if result.outcome == auth.LoginOutcome.OK and result.staff is not None:
        auth.start_session(result.staff)
        return redirect(web.safe_next(request.form.get("next")))
    if result.outcome == auth.LoginOutcome.LOCKED:
        message = t("Too many failed sign-ins. For your safety, please wait 15 minutes and try again.")
        status = 429
    else:
        message = t("Username or password is not correct.")
        status = 200
    return web.page(
        "login.html", next=request.form.get("next", ""), error=message, username=request.form.get("username", "")
    ), status


def logout() -> Response:
    """Sign out on the server too: a copy of the cookie taken before this no longer opens the console."""
    if g.staff is not None:
        with web.transaction() as db:
            auth.end_sessions(db, g.staff)
    auth.end_session()
    flash(web.translator()("You have signed out."), "info")
    return redirect(url_for("console.login"))


def set_language(lang: str) -> Response:
    """Remember the staff member's language in the session (harmless, so a plain link)."""
    if lang in LANGUAGES:
        session["lang"] = lang
    target = request.referrer or ""
    host = request.host_url
    return redirect(target if target.startswith(host) else url_for("console.dashboard"))


@auth.requires()
def audit_log() -> str:
    with web.transaction() as db:
        entries = auth.recent_audit(db, search=request.args.get("q") or None)
    return web.page("audit.html", entries=entries, q=request.args.get("q", ""))


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/login", "login", login, methods=["GET", "POST"])
    bp.add_url_rule("/logout", "logout", logout, methods=["POST"])
    bp.add_url_rule("/lang/<lang>", "set_language", set_language)
    bp.add_url_rule("/audit", "audit", audit_log)
