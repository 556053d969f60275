"""Build LINE webhook events in their real shape, sign them and post them to the bot.

The shapes follow LINE's webhook reference closely enough that linebot.v3's `WebhookParser` turns
them into the proper classes (a text message without `quoteToken` would silently become an
`UnknownEvent`, so every field LINE always sends is sent here too).
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import time
from typing import Any

import requests

from otopbot.simulator.state import SimulatorState, new_quote_token, new_ulid

STICKER = {
    "packageId": "11537",
    "stickerId": "52002734",
    "stickerResourceType": "STATIC",
    "keywords": ["happy", "smile"],
}
LOCATION = {
    "title": "ตลาดนัดชุมชน",
    "address": "ถนนพหลโยธิน กรุงเทพมหานคร 10400",
    "latitude": 13.7649,
    "longitude": 100.5383,
}


class WebhookNotConfigured(RuntimeError):
    """Raised when an event is sent before anyone told the simulator where the bot lives."""


def sign(channel_secret: str, body: bytes) -> str:
    """LINE's X-Line-Signature: base64(HMAC-SHA256(channel secret, exact body bytes))."""
    digest = hmac.new(channel_secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def base_event(state: SimulatorState, kind: str, user_id: str, with_token: bool = True) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": kind,
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": new_ulid(),
        "deliveryContext": {"isRedelivery": False},
    }
    if with_token:
        event["replyToken"] = state.issue_reply_token(user_id)
    return event


def message_event(state: SimulatorState, user_id: str, content: dict[str, Any]) -> dict[str, Any]:
    event = base_event(state, "message", user_id)
    message = {"id": state.next_message_id(), **content}
    if content["type"] != "location":
        message["quoteToken"] = new_quote_token()
    event["message"] = message
    return event


def text_event(state: SimulatorState, user_id: str, text: str) -> dict[str, Any]:
    return message_event(state, user_id, {"type": "text", "text": text})


def sticker_event(state: SimulatorState, user_id: str) -> dict[str, Any]:
    return message_event(state, user_id, {"type": "sticker", **STICKER})


def image_event(state: SimulatorState, user_id: str) -> dict[str, Any]:
    return message_event(state, user_id, {"type": "image", "contentProvider": {"type": "line"}})


def location_event(state: SimulatorState, user_id: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    return message_event(state, user_id, {"type": "location", **LOCATION, **(overrides or {})})


def postback_event(state: SimulatorState, user_id: str, data: str, params: dict[str, Any] | None) -> dict[str, Any]:
    event = base_event(state, "postback", user_id)
    event["postback"] = {"data": data, **({"params": params} if params else {})}
    return event


def follow_event(state: SimulatorState, user_id: str, unblocked: bool) -> dict[str, Any]:
    event = base_event(state, "follow", user_id)
    event["follow"] = {"isUnblocked": unblocked}
    return event


def unfollow_event(state: SimulatorState, user_id: str) -> dict[str, Any]:
    return base_event(state, "unfollow", user_id, with_token=False)


def redelivery_of(state: SimulatorState, webhook_event_id: str) -> dict[str, Any] | None:
    """The stored event again, identical except `deliveryContext.isRedelivery: true`."""
    with state.lock:
        original = state.events.get(webhook_event_id)
        if original is None:
            return None
        event = copy.deepcopy(original)
    event["deliveryContext"] = {"isRedelivery": True}
    return event


def send_events(state: SimulatorState, events: list[dict[str, Any]]) -> tuple[int | None, str, str | None]:
    """Wrap, sign and post events; returns (bot status or None, exact body, error text)."""
    with state.lock:
        for event in events:
            if not event["deliveryContext"]["isRedelivery"]:
                state.events[event["webhookEventId"]] = copy.deepcopy(event)
    body = json.dumps(
        {"destination": state.destination, "events": events},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    status, error = post_body(state, body.encode(), None)
    with state.lock:
        state.webhooks.append(
            {
                "seq": state.next_seq(),
                "at": time.time(),
                "status": status,
                "error": error,
                "webhookEventIds": [e["webhookEventId"] for e in events],
                "types": [e["type"] for e in events],
            }
        )
    return status, body, error


def post_body(state: SimulatorState, body: bytes, signature: str | None) -> tuple[int | None, str | None]:
    """POST bytes to the bot exactly as given; never holds the state lock while waiting."""
    url = state.webhook_url
    if not url:
        raise WebhookNotConfigured("webhook_url is not configured")
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "X-Line-Signature": signature if signature is not None else sign(state.channel_secret, body),
        "User-Agent": "LineBotWebhook/2.0",
    }
    if state.webhook_poster is not None:
        return state.webhook_poster(url, body, headers), None
    try:
        response = requests.post(url, data=body, headers=headers, timeout=state.webhook_timeout)
    except requests.RequestException as exc:
        return None, f"{type(exc).__name__}: {exc}"
    return response.status_code, None
