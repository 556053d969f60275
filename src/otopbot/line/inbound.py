"""Verify LINE webhook bodies and turn raw events into neutral `Inbound` values."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypedDict

from linebot.v3 import SignatureValidator

MAX_BODY_BYTES = 1_000_000


class InboundKind(StrEnum):
    TEXT = "text"
    POSTBACK = "postback"
    FOLLOW = "follow"
    UNFOLLOW = "unfollow"
    OTHER_MESSAGE = "other_message"  # sticker, image, location, audio, video, file
    JOIN = "join"  # added to a group or room: we say we work in one-to-one chats
    IGNORED = "ignored"


class MalformedWebhook(ValueError):
    """A correctly signed body that is not a LINE webhook; answered with 400."""


@dataclass(frozen=True, slots=True)
class Inbound:
    kind: InboundKind
    line_user_id: str | None
    reply_token: str | None
    timestamp_ms: int
    text: str | None = None
    postback: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    message_type: str | None = None
    chat_id: str | None = None  # group or room id, when the event came from one


class _Common(TypedDict):
    """The `Inbound` fields every event kind shares."""

    line_user_id: str | None
    reply_token: str | None
    timestamp_ms: int
    chat_id: str | None


def signature_ok(channel_secret: str, body: str, signature: str | None) -> bool:
    """Constant-time check of X-Line-Signature over the body exactly as received."""
    if not signature:
        return False
    return bool(SignatureValidator(channel_secret).validate(body, signature))


def parse_events(body: str) -> list[dict[str, Any]]:
    """Return the raw events of a webhook body, each with a usable webhookEventId and type."""
    try:
        payload = json.loads(body, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        raise MalformedWebhook("body is not JSON") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("events"), list):
        raise MalformedWebhook("body has no events list")
    events: list[dict[str, Any]] = payload["events"]
    for event in events:
        if not isinstance(event, dict):
            raise MalformedWebhook("event is not an object")
        event_id, kind = event.get("webhookEventId"), event.get("type")
        if not isinstance(event_id, str) or not 0 < len(event_id) <= 64:
            raise MalformedWebhook("event without a webhookEventId")
        if not isinstance(kind, str) or not 0 < len(kind) <= 32:
            raise MalformedWebhook("event without a type")
    return events


def _refuse_constant(name: str) -> Any:
    """NaN and Infinity are not JSON; PostgreSQL would refuse to store them."""
    raise ValueError(f"{name} is not valid JSON")


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def to_inbound(event: dict[str, Any]) -> Inbound:
    """Classify a stored raw event; anything we don't act on becomes IGNORED."""
    source = _object(event.get("source"))
    source_type = source.get("type")
    user_id = _text(source.get("userId"))
    timestamp = event.get("timestamp")
    common: _Common = {
        "line_user_id": user_id,
        "reply_token": _text(event.get("replyToken")),
        "timestamp_ms": timestamp if isinstance(timestamp, int) else 0,
        "chat_id": _text(source.get("groupId") or source.get("roomId")),
    }
    kind = event.get("type")
    if event.get("mode", "active") != "active":
        return Inbound(InboundKind.IGNORED, **common)  # a module channel holds the chat
    if source_type in ("group", "room"):
        return Inbound(InboundKind.JOIN if kind == "join" else InboundKind.IGNORED, **common)
    if source_type != "user" or user_id is None:
        return Inbound(InboundKind.IGNORED, **common)
    if kind == "follow":
        return Inbound(InboundKind.FOLLOW, **common)
    if kind == "unfollow":
        return Inbound(InboundKind.UNFOLLOW, **common)
    if kind == "postback":
        postback = _object(event.get("postback"))
        params = _object(postback.get("params"))
        return Inbound(
            InboundKind.POSTBACK,
            postback=_text(postback.get("data")) or "",
            params={str(k): str(v) for k, v in params.items()},
            **common,
        )
    if kind == "message":
        message = _object(event.get("message"))
        mtype = _text(message.get("type")) or "unknown"
        if mtype == "text" and isinstance(message.get("text"), str):
            return Inbound(InboundKind.TEXT, text=message["text"][:5000], message_type=mtype, **common)
        return Inbound(InboundKind.OTHER_MESSAGE, message_type=mtype, **common)
    return Inbound(InboundKind.IGNORED, **common)
