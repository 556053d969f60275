"""The console over real HTTP (the production app factory, served on a port): sessions end on the
server, and ids out of any integer range are a 404, not a 500 (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
import requests
from privacy_helpers import PASSWORD

from otopbot.console import auth
from otopbot.db import Database
from otopbot.models import StaffAccount
from otopbot.settings import Settings

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
HUGE = "99999999999999999999"


@pytest.fixture
def console_url(settings: Settings, database: Database, bot_context_factory: Any) -> Iterator[str]:
    from otopbot.app import create_app
    from otopbot.simulator.serving import serve_in_thread

    context = replace(bot_context_factory(settings), settings=settings)
    with database.transaction() as db:
        auth.create_staff(db, "admin-sessions", PASSWORD, "admin")
    served = serve_in_thread(create_app(settings, database=database, context=context))
    yield f"{served.url}/console"
    served.shutdown()


def _signed_in(console_url: str) -> requests.Session:
    browser = requests.Session()
    token = CSRF.search(browser.get(f"{console_url}/login").text)
    assert token
    answer = browser.post(
        f"{console_url}/login",
        allow_redirects=False,
        data={"username": "admin-sessions", "password": PASSWORD, "csrf_token": token.group(1)},
    )
    assert answer.status_code == 302
    return browser


def _replay(console_url: str, cookies: dict[str, str], path: str = "/registrations") -> requests.Response:
    return requests.get(f"{console_url}{path}", cookies=cookies, allow_redirects=False, timeout=10)


def _csrf(browser: requests.Session, console_url: str) -> str:
    token = CSRF.search(browser.get(f"{console_url}/registrations").text)
    assert token
    return token.group(1)


def test_a_cookie_captured_before_sign_out_no_longer_opens_the_console(console_url: str) -> None:
    browser = _signed_in(console_url)
    captured = browser.cookies.get_dict()
    assert _replay(console_url, captured).status_code == 200
    signed_out = browser.post(
        f"{console_url}/logout", data={"csrf_token": _csrf(browser, console_url)}, allow_redirects=False
    )
    assert signed_out.status_code == 302
    replayed = _replay(console_url, captured)
    assert replayed.status_code == 302 and "/console/login" in replayed.headers["Location"]
    assert _signed_in(console_url).get(f"{console_url}/registrations").status_code == 200  # signing in again works


def test_disabling_the_account_or_ending_its_sessions_closes_open_consoles(
    console_url: str, database: Database
) -> None:
    first, second = _signed_in(console_url), _signed_in(console_url)
    with database.transaction() as db:
        staff = db.query(StaffAccount).filter_by(username="admin-sessions").one()
        auth.end_sessions(db, staff)  # what a password change does
    assert _replay(console_url, first.cookies.get_dict()).status_code == 302
    assert _replay(console_url, second.cookies.get_dict()).status_code == 302


def test_an_idle_session_ends_after_eight_hours(console_url: str, settings: Settings) -> None:
    from flask import Flask
    from flask.sessions import SecureCookieSessionInterface

    browser = _signed_in(console_url)
    app = Flask("same-key", root_path="/")
    app.secret_key = settings.secret_key
    signer = SecureCookieSessionInterface().get_signing_serializer(app)
    assert signer is not None
    session = signer.loads(browser.cookies["session"])
    assert _replay(console_url, {"session": signer.dumps(session)}).status_code == 200
    stale = signer.dumps({**session, "seen": int(time.time()) - 8 * 3600 - 60})
    assert _replay(console_url, {"session": stale}).status_code == 302


@pytest.mark.parametrize("page", ["registrations", "workshops", "broadcasts", "questions"])
@pytest.mark.parametrize("number", [HUGE, "2147483648", "0"])
def test_an_id_out_of_range_is_a_404(console_url: str, page: str, number: str) -> None:
    browser = _signed_in(console_url)
    assert browser.get(f"{console_url}/{page}/{number}").status_code == 404
