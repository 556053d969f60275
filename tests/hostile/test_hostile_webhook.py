"""POST /callback under hostile input: whatever a correctly signed body holds, the answer is never a 500.

LINE (or anyone who holds the channel secret) could send bodies that are not JSON, JSON of any
shape, events whose fields have the wrong types, huge or deeply nested bodies, and text with every
Unicode oddity. The bot must refuse malformed bodies with 400, store well-formed events, and its
after-response processing must not crash on them either (a crash shows up as `last_error`).
"""

from __future__ import annotations

import hmac
import json
import os
from typing import Any

import pytest
from hostile_helpers import Webhook, signature_of, text_event
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from otopbot.line.inbound import MAX_BODY_BYTES

ON_POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))
FUZZ = hsettings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
NEVER_500 = {200, 400, 413}

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=16,
)
_ids = iter(range(10**9))

NASTY_TEXTS = [
    "\u200b\u200c\u200d\ufeff",  # zero-width characters and a BOM
    "\u0e49\u0e48\u0e01\u0e32",  # Thai tone marks before their consonant (combining marks out of order)
    "e\u0301\u0301\u0301\u0301\u0301\u0301\u0301",  # stacked combining marks ("zalgo")
    "\u202e\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35\u202c abc",  # right-to-left override around Thai
    "مرحبا بالعالم",  # Arabic (RTL script)
    "👩‍👩‍👧‍👦🇹🇭🏳️‍🌈 ✋🏿",  # ZWJ sequences, flags, skin tones
    "a\x00b\x00",  # NUL characters
    "\x1b[31mred\x1b[0m\r\n\t\x7f",  # terminal escapes and control characters
    "\ufffd\uffff\U0010ffff",  # replacement character and non-characters
    "๑๒๓๔๕๖๗๘๙๐ ๐๘๑-๒๓๔-๕๖๗๘",  # Thai digits
    "ครับบบบบบบบบบบบบบบบบบบบบบบบบบบบบบบบบ",  # stretched letters
    "${jndi:ldap://x/a} {{7*7}} %s%s%n",  # template and format-string probes
    " " * 3000,
    "ก" * 6000,  # longer than LINE's 5,000-character limit
]


def _event_id() -> str:
    return f"HOSTILE{next(_ids):019d}"


def _body(events: list[Any], ascii_only: bool = True) -> str:
    return json.dumps({"destination": "U" + "0" * 32, "events": events}, ensure_ascii=ascii_only)


def _no_processing_crash(webhook: Webhook) -> None:
    crashed = [(e.webhook_event_id, e.last_error) for e in webhook.stored() if e.last_error]
    assert crashed == [], "processing a stored event raised"


@FUZZ
@given(value=json_values)
def test_any_json_value_with_a_valid_signature_is_never_a_500(webhook: Webhook, value: Any) -> None:
    assert webhook.post(json.dumps(value)) in NEVER_500


@FUZZ
@given(raw=st.binary(max_size=2000))
def test_any_bytes_with_a_valid_signature_are_never_a_500(webhook: Webhook, raw: bytes) -> None:
    assert webhook.post(raw) in NEVER_500


event_fields = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(
            [
                "message",
                "postback",
                "follow",
                "unfollow",
                "join",
                "leave",
                "memberJoined",
                "unsend",
                "videoPlayComplete",
                "beacon",
                "accountLink",
                "things",
            ]
        )
        | json_values,
        "mode": st.sampled_from(["active", "standby"]) | json_values,
        "timestamp": st.integers() | json_values,
        "source": st.fixed_dictionaries(
            {},
            optional={
                "type": st.sampled_from(["user", "group", "room"]) | json_values,
                "userId": st.just("U" + "b" * 32) | json_values,
                "groupId": st.just("C" + "c" * 32) | json_values,
                "roomId": json_values,
            },
        )
        | json_values,
        "replyToken": st.text(max_size=40) | json_values,
        "message": st.fixed_dictionaries(
            {},
            optional={
                "type": st.sampled_from(["text", "image", "sticker", "location", "audio", "video", "file"])
                | json_values,
                "text": st.text(max_size=200) | json_values,
                "id": json_values,
                "quoteToken": json_values,
                "emojis": json_values,
                "mention": json_values,
            },
        )
        | json_values,
        "postback": st.fixed_dictionaries(
            {},
            optional={
                "data": st.sampled_from(
                    [
                        "menu:register",
                        "form:yes",
                        "form:__confirm",
                        "kb:1",
                        "action=book&workshop=1",
                        "menu:",
                        ":",
                        "form:__edit:phone",
                    ]
                )
                | st.text(max_size=300)
                | json_values,
                "params": st.dictionaries(st.text(max_size=10), json_values, max_size=3) | json_values,
            },
        )
        | json_values,
        "follow": json_values,
        "deliveryContext": json_values,
    },
)


@FUZZ
@given(fields=event_fields)
def test_events_with_fields_of_any_type_are_never_a_500_and_never_crash_processing(
    webhook: Webhook, fields: dict[str, Any]
) -> None:
    event = {**fields, "webhookEventId": _event_id()}
    event.setdefault("type", "message")
    assert webhook.post(_body([event])) in {200, 400}
    _no_processing_crash(webhook)


@FUZZ
@given(text=st.text(max_size=400))
def test_any_text_message_is_stored_verbatim_and_processed(webhook: Webhook, text: str) -> None:
    event_id = _event_id()
    assert webhook.post(_body([text_event(text, event_id)])) == 200
    stored = next(e for e in webhook.stored() if e.webhook_event_id == event_id)
    assert stored.payload["message"]["text"] == text
    assert stored.status == "done" and stored.last_error is None


@pytest.mark.parametrize("text", NASTY_TEXTS, ids=range(len(NASTY_TEXTS)))
def test_unicode_oddities_are_stored_verbatim_and_answered(webhook: Webhook, text: str) -> None:
    event_id = _event_id()
    assert webhook.post(_body([text_event(text, event_id)])) == 200
    stored = next(e for e in webhook.stored() if e.webhook_event_id == event_id)
    assert stored.payload["message"]["text"] == text
    assert stored.status == "done" and stored.last_error is None


def test_a_lone_surrogate_escaped_in_the_json_is_never_a_500(webhook: Webhook) -> None:
    """JSON may spell a lone UTF-16 surrogate (`\\ud800`); Python decodes it to an unencodable str."""
    for text in ("\ud800", "abc\udfff", "\udbff\udbff 😀 \ud83d"):
        assert webhook.post(_body([text_event(text, _event_id())])) in {200, 400}
    _no_processing_crash(webhook)


def test_nan_and_infinity_in_a_signed_body_are_not_a_500(webhook: Webhook) -> None:
    event = text_event("hi", _event_id())
    body = _body([event]).replace('"timestamp": 1700000000000', '"timestamp": NaN, "x": Infinity')
    assert "NaN" in body
    assert webhook.post(body) in {200, 400}


@pytest.mark.parametrize("depth", [10, 500, 990, 5_000, 200_000])
def test_deeply_nested_bodies_are_never_a_500(webhook: Webhook, depth: int) -> None:
    nested = "[" * depth + "]" * depth
    inside_event = _body([{**text_event("x", _event_id()), "extra": "NESTED"}]).replace('"NESTED"', nested)
    for body in (nested, '{"events": ' + nested + "}", inside_event):
        if len(body.encode()) <= MAX_BODY_BYTES:
            assert webhook.post(body) in {200, 400}, body[:80]
    _no_processing_crash(webhook)


def test_a_body_over_the_limit_is_refused_with_413(webhook: Webhook) -> None:
    assert webhook.post(b" " * (MAX_BODY_BYTES + 1)) == 413
    assert webhook.post(b"x" * 3_000_000) == 413
    assert webhook.stored() == []


def test_a_huge_but_allowed_text_is_stored_and_processed(webhook: Webhook) -> None:
    text = "มผช " * 90_000  # 900 KB of UTF-8 text in one event, just under the limit
    event_id = _event_id()
    assert webhook.post(_body([text_event(text, event_id)], ascii_only=False)) == 200
    stored = webhook.stored()
    assert [e.webhook_event_id for e in stored] == [event_id]
    assert stored[0].status == "done" and stored[0].last_error is None


def test_hundreds_of_events_in_one_body_are_stored_once_each(webhook: Webhook) -> None:
    events = [
        {
            "type": "unsend",
            "mode": "active",
            "timestamp": 1,
            "webhookEventId": _event_id(),
            "source": {"type": "user", "userId": "U" + "d" * 32},
            "unsend": {"messageId": str(i)},
        }
        for i in range(500)
    ]
    body = _body(events)
    assert webhook.post(body) == 200
    assert webhook.post(body) == 200  # redelivered: nothing new
    assert len(webhook.stored()) == 500


def test_a_signed_body_that_is_not_utf8_is_refused(webhook: Webhook) -> None:
    assert webhook.post(b'{"events": [], "x": "\xff\xfe"}') == 400


# ---- the signature --------------------------------------------------------------------------------------------


def _good_body() -> bytes:
    return _body([text_event("สวัสดี", _event_id())]).encode()


def test_a_wrong_signature_of_the_right_length_is_400_and_nothing_is_stored(webhook: Webhook) -> None:
    body = _good_body()
    right = signature_of(body)
    wrong = signature_of(body, secret="another-channel-secret-000000000")
    assert len(wrong) == len(right) and wrong != right
    assert webhook.post(body, signature=wrong) == 400
    flipped = signature_of(body + b" ")  # signature of a different body
    assert webhook.post(body, signature=flipped) == 400
    assert webhook.post(body, signature=None) == 400
    assert webhook.post(body, signature="") == 400
    assert webhook.post(body, signature="%%%not base64%%%") == 400
    assert webhook.stored() == []


def test_the_signature_is_compared_with_hmac_compare_digest(webhook: Webhook, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Constant time: the check must go through hmac.compare_digest, never `==` on the strings."""
    calls: list[tuple[Any, Any]] = []
    real = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    body = _good_body()
    wrong = signature_of(body, secret="another-channel-secret-000000000")
    assert webhook.post(body, signature=wrong) == 400
    assert any(wrong.encode() in (a, b) or wrong in (a, b) for a, b in calls)
    assert webhook.post(body) == 200


@FUZZ
@given(
    signature=st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=60)
    | st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=", min_size=44, max_size=44)
)
def test_no_forged_signature_gets_in(webhook: Webhook, signature: str) -> None:
    """Any header value an HTTP client can send (latin-1, no newlines), including 44-character base64."""
    body = _good_body()
    if signature == signature_of(body):
        return
    assert webhook.post(body, signature=signature) == 400


# ---- found while writing these tests ----------------------------------------------------------------------


def test_a_fresh_event_is_answered_by_the_web_process_only_without_a_woken_worker(webhook_app, database) -> None:  # type: ignore[no-untyped-def]
    """SQLite (local mode): the web process answers itself. PostgreSQL: it only stores, the worker answers."""
    plain = Webhook(webhook_app.test_client(), database, None)
    body = _body([text_event("สวัสดีค่ะ", _event_id())]).encode()
    response = plain.client.post(
        "/callback", data=body, headers={"X-Line-Signature": signature_of(body)}, content_type="application/json"
    )
    assert response.status_code == 200
    response.close()  # the after-response processing runs here
    in_web = webhook_app.extensions["otopbot"].settings.answers_in_web
    assert in_web == database.is_sqlite
    assert [e.status for e in plain.stored()] == ["done" if in_web else "pending"]
