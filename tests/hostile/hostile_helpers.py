"""Helpers for the hostile-input tests (imported by conftest.py and the test modules)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from otopbot.db import Database
from otopbot.models import InboundEvent

CHANNEL_SECRET = "hostile-channel-secret-0123456789"
ACCESS_TOKEN = "hostile-access-token"
CLOSED_PORT_API = "http://127.0.0.1:9"
SIGNED = object()  # sign the body with the channel secret
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def signature_of(body: bytes, secret: str = CHANNEL_SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


@dataclass
class Webhook:
    client: FlaskClient
    database: Database
    runtime: Any = None  # otopbot.runtime.Runtime of the app

    def post(self, body: bytes | str, signature: str | None | object = SIGNED, **headers: str) -> int:
        """POST /callback signed correctly (default), with the given signature, or with none (None)."""
        raw = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
        sent = dict(headers)
        if signature is SIGNED:
            sent["X-Line-Signature"] = signature_of(raw)
        elif isinstance(signature, str):
            sent["X-Line-Signature"] = signature
        response = self.client.post("/callback", data=raw, headers=sent, content_type="application/json")
        status = response.status_code
        response.close()  # runs the after-response processing now
        self.settle()
        return status

    def settle(self) -> None:
        """One worker pass with no grace: whatever the web process left is processed now."""
        from otopbot.worker.loop import run_once

        run_once(self.runtime, self.line, grace=timedelta(0))

    @property
    def line(self) -> Any:
        return self.client.application.extensions["otopbot_line"]

    def stored(self) -> list[InboundEvent]:
        with self.database.transaction() as session:
            return list(session.scalars(select(InboundEvent).order_by(InboundEvent.id)))


def text_event(text: Any, event_id: str, user_id: str = "U" + "a" * 32, **overrides: Any) -> dict[str, Any]:
    """A well-formed LINE text-message event (fields LINE always sends) with `text` as given."""
    event: dict[str, Any] = {
        "type": "message",
        "mode": "active",
        "timestamp": 1_700_000_000_000,
        "webhookEventId": event_id,
        "deliveryContext": {"isRedelivery": False},
        "source": {"type": "user", "userId": user_id},
        "replyToken": "r" * 32,
        "message": {"id": "1", "type": "text", "text": text, "quoteToken": "q"},
    }
    event.update(overrides)
    return event


def log_in_staff(client: FlaskClient, username: str, password: str) -> int:
    """Sign in through the login form (it carries a CSRF token); returns the POST's status."""
    page = client.get("/console/login").get_data(as_text=True)
    token = CSRF.search(page)
    assert token, "the login form carries a CSRF token"
    response = client.post(
        "/console/login", data={"username": username, "password": password, "csrf_token": token.group(1)}
    )
    return response.status_code


def form_step(runtime: Any, line_user_id: str) -> tuple[str | None, dict[str, Any]]:
    """(step, slots) of the user's form in progress, straight from the database."""
    from otopbot.models import ConversationState, LineUser

    with runtime.database.transaction() as session:
        row = session.execute(
            select(ConversationState.step, ConversationState.slots, ConversationState.form, ConversationState.resume)
            .join(LineUser, LineUser.id == ConversationState.user_id)
            .where(LineUser.line_user_id == line_user_id)
        ).first()
    if row is None or row.form is None:
        return None, {}
    return row.step, {**(row.slots or {}), **(row.resume or {})}  # answers and the context (picks so far)


def register(chat: Any, user: Any, *, enterprise: str, products: str, contact: str, phone: str) -> None:
    """Go through the registration form like an owner would: tap the menu, type or tap each answer."""
    typed = {
        "enterprise_name": enterprise,
        "products": products,
        "contact_name": contact,
        "phone": phone,
        "province": "ลำปาง",
    }
    tapped = {
        "consent": "form:yes",
        "enterprise_type": "form:community_enterprise",
        "ce_number": "form:__skip",
        "category": "form:ceramics",
        "__summary": "form:__confirm",
    }
    user.tap("menu:register")
    for _ in range(20):
        step, slots = form_step(chat.runtime, user.user_id)
        if step is None:
            return
        if step in typed:
            user.say(typed[step])
        elif step == "help_wanted":
            user.tap("form:__done" if slots.get("chosen") else "form:standards")
        else:
            user.tap(tapped[step])
    raise AssertionError(f"the registration form did not finish (stuck at {step!r})")
