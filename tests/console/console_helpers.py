"""Helpers shared by the console tests: sample data, signing in, posting forms with the CSRF token."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from otopbot.console import make_blueprint
from otopbot.console.qr import make_qr_blueprint
from otopbot.db import Database
from otopbot.dialogue.turn import BotContext
from otopbot.models import Booking, BookingStatus, LineUser, Registration, Workshop
from otopbot.runtime import Runtime, install
from otopbot.settings import Settings

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class FakeQuota:
    """Stands in for LINE's quota endpoint: None means unlimited."""

    def __init__(self) -> None:
        self.remaining: int | None = None

    def __call__(self) -> int | None:
        return self.remaining


def build_app(settings: Settings, database: Database, quota: FakeQuota) -> Flask:
    """The console as the lead's app factory mounts it (built here so the tests need only our parts)."""
    app = Flask("otopbot-console-test")
    app.secret_key = settings.secret_key
    install(app, Runtime(settings=settings, database=database, context=BotContext(settings=settings, nlu=None)))  # type: ignore[arg-type]
    app.register_blueprint(make_blueprint(quota_lookup=quota), url_prefix="/console")
    app.register_blueprint(make_qr_blueprint())
    return app


def csrf_of(client: FlaskClient) -> str:
    with client.session_transaction() as session:
        return str(session.get("csrf", ""))


def post(client: FlaskClient, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    """POST with the session's CSRF token, as the browser form would."""
    return client.post(url, data={**(data or {}), "csrf_token": csrf_of(client)}, **kwargs)


def log_in(client: FlaskClient, username: str, password: str = PASSWORD) -> Any:
    page = client.get("/console/login")
    token = CSRF.search(page.get_data(as_text=True))
    assert token, "the login form carries a CSRF token"
    return client.post(
        "/console/login", data={"username": username, "password": password, "csrf_token": token.group(1)}
    )


NOW = datetime(2025, 6, 2, 3, 0, tzinfo=UTC)


def add_enterprise(
    db: Any,
    n: int,
    *,
    category: str = "food",
    province: str = "เชียงใหม่",
    region: str = "north",
    status: str = "pending",
    following: bool = True,
    language: str = "th",
    name: str | None = None,
) -> tuple[LineUser, Registration]:
    user = LineUser(line_user_id=f"U{n:032x}", language=language, following=following)
    db.add(user)
    db.flush()
    registration = Registration(
        user_id=user.id,
        enterprise_name=name or f"วิสาหกิจชุมชน {n}",
        enterprise_type="community_enterprise",
        province=province,
        region=region,
        category=category,
        contact_name=f"คุณ {n}",
        phone="0812345678",
        language=language,
        status=status,
        created_at=NOW - timedelta(days=n % 50),
    )
    db.add(registration)
    db.flush()
    return user, registration


def add_workshop(db: Any, *, capacity: int = 30, category: str = "food", code: str = "W2506-TEST") -> Workshop:
    workshop = Workshop(
        code=code,
        title="อบรมมาตรฐานอาหาร",
        title_en="Food standards",
        category=category,
        venue="ศูนย์ราชการ",
        province="เชียงใหม่",
        region="north",
        starts_at=NOW + timedelta(days=20),
        ends_at=NOW + timedelta(days=20, hours=6),
        capacity=capacity,
        seats_taken=0,
        registration_deadline=NOW + timedelta(days=18),
    )
    db.add(workshop)
    db.flush()
    return workshop


def add_booking(
    db: Any, workshop: Workshop, user: LineUser, code: str, status: str = BookingStatus.CONFIRMED
) -> Booking:
    booking = Booking(code=code, workshop_id=workshop.id, user_id=user.id, seats=1, status=status)
    if status == BookingStatus.CONFIRMED:
        workshop.seats_taken += 1
    db.add(booking)
    db.flush()
    return booking
