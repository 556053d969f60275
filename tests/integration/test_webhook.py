"""The webhook end to end: signed events through the LINE simulator over HTTP, answers back through it."""

from __future__ import annotations

import json
from datetime import timedelta

import requests
from sqlalchemy import func, select

from otopbot.db import utcnow
from otopbot.models import InboundEvent, LineUser, OutboxMessage, OutboxStatus
from otopbot.replies import Text
from otopbot.services import outbox

THAI = set("กขคงจฉชซญดตถทธนบปผพฟภมยรลวศสหอฮะาิีึืุูเแโใไ่้๊๋ั็์ำ")


def _has_thai(text: str) -> bool:
    return any(ch in THAI for ch in text)


def _count(chat, model) -> int:  # type: ignore[no-untyped-def]
    with chat.runtime.database.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_follow_gets_a_thai_greeting(chat) -> None:  # type: ignore[no-untyped-def]
    user = chat.sim.create_user(display_name="สมศรี", language="th")
    chat.sim.follow(user["userId"])
    chat.settle()
    greeting = chat.visible_text(m["message"] for m in chat.sim.messages(user["userId"]))
    assert _has_thai(greeting)


def test_a_signed_text_message_gets_a_thai_reply_by_reply_token(chat) -> None:  # type: ignore[no-untyped-def]
    somsri = chat.follow()
    answer = somsri.say("สวัสดีค่ะ")
    assert answer and _has_thai(chat.visible_text(answer))
    replies = [r for r in chat.sim.requests() if r["path"].endswith("/message/reply")]
    assert replies and all(r["status"] == 200 for r in replies)


def test_bad_or_missing_signature_is_400_and_nothing_is_stored_or_sent(chat) -> None:  # type: ignore[no-untyped-def]
    somsri = chat.follow()
    body = json.dumps(
        {
            "destination": "U" + "0" * 32,
            "events": [
                {
                    "type": "message",
                    "mode": "active",
                    "timestamp": 1,
                    "webhookEventId": "01BADSIGNATURE0000000000000",
                    "source": {"type": "user", "userId": somsri.user_id},
                    "deliveryContext": {"isRedelivery": False},
                    "replyToken": "x",
                    "message": {"id": "1", "type": "text", "text": "hi", "quoteToken": "q"},
                }
            ],
        }
    )
    stored_before = _count(chat, InboundEvent)
    assert chat.sim.raw(body, signature="bm90IHRoZSByaWdodCBzaWduYXR1cmU=")["status"] == 400
    bot_url = chat.runtime.settings.line_api_base_url  # the simulator; the bot's own URL is below
    assert bot_url
    assert requests.post(_bot_url(chat) + "/callback", data=body.encode(), timeout=5).status_code == 400
    chat.settle()
    assert _count(chat, InboundEvent) == stored_before
    assert somsri.new_messages() == []


def _bot_url(chat) -> str:  # type: ignore[no-untyped-def]
    from flask import Flask

    app: Flask = chat.bot_app
    return str(app.config["BOT_URL"])


def test_the_verify_call_with_no_events_gets_200(chat) -> None:  # type: ignore[no-untyped-def]
    assert chat.sim.raw(json.dumps({"destination": "U" + "0" * 32, "events": []}))["status"] == 200


def test_malformed_bodies_with_a_valid_signature_get_400_not_500(chat) -> None:  # type: ignore[no-untyped-def]
    for body in [
        "not json",
        "[]",
        '{"events": "no"}',
        '{"events": [1]}',
        '{"events": [{"type": "message"}]}',
        '{"events": [{"webhookEventId": 5, "type": "message"}]}',
        "{" * 5000,
    ]:
        assert chat.sim.raw(body)["status"] == 400, body


def test_the_same_event_posted_twice_is_answered_once(chat) -> None:  # type: ignore[no-untyped-def]
    somsri = chat.follow()
    sent = chat.sim.say(somsri.user_id, "ขอดูเมนูหน่อยค่ะ")
    chat.settle()
    first = somsri.new_messages()
    assert first
    again = chat.sim.raw(sent["body"])  # the identical body, as a duplicate delivery
    assert again["status"] == 200
    chat.sim.redeliver(sent["event"]["webhookEventId"])
    chat.settle()
    assert somsri.new_messages() == []
    assert _count(chat, InboundEvent) == 2  # the follow and the text, each once


def test_a_push_failing_with_500_then_429_is_delivered_exactly_once(chat) -> None:  # type: ignore[no-untyped-def]
    somsri = chat.follow()
    chat.sim.add_fault("/v2/bot/message/push", status=500, count=1)
    chat.sim.add_fault("/v2/bot/message/push", status=429, count=1)
    with chat.runtime.database.transaction() as session:
        user = session.scalar(select(LineUser).where(LineUser.line_user_id == somsri.user_id))
        row = outbox.push(session, user, [Text("แจ้งเตือน: พรุ่งนี้มีอบรมค่ะ")])
        session.flush()
        row_id = row.id
    now = utcnow()
    for step in range(6):  # the worker tries, backs off, tries again
        chat.run_worker(now=now + timedelta(seconds=2**step * 2))
    pushes = [r for r in chat.sim.requests() if r["path"].endswith("/message/push")]
    assert [p["status"] for p in pushes][:3] == [500, 429, 200]
    assert len({p["retryKey"] for p in pushes}) == 1  # one retry key for every attempt
    assert chat.visible_text(somsri.new_messages()).count("แจ้งเตือน") == 1
    with chat.runtime.database.transaction() as session:
        assert session.get_one(OutboxMessage, row_id).status == OutboxStatus.SENT


def test_an_expired_reply_token_falls_back_to_a_push(chat) -> None:  # type: ignore[no-untyped-def]
    somsri = chat.follow()
    chat.sim.config(reply_token_ttl=0.0)
    answer = somsri.say("สวัสดีครับ")
    assert answer
    paths = [r["path"] for r in chat.sim.requests()]
    assert any(p.endswith("/message/push") for p in paths)


def test_unfollowed_users_get_no_more_pushes(chat) -> None:  # type: ignore[no-untyped-def]
    somsri = chat.follow()
    chat.sim.unfollow(somsri.user_id)
    chat.settle()
    with chat.runtime.database.transaction() as session:
        user = session.scalar(select(LineUser).where(LineUser.line_user_id == somsri.user_id))
        assert user is not None and user.following is False
        assert outbox.push(session, user, [Text("ข่าวใหม่")]) is None


def test_stickers_and_images_get_a_short_polite_reply(chat) -> None:  # type: ignore[no-untyped-def]
    somsri = chat.follow()
    chat.sim.sticker(somsri.user_id)
    chat.settle()
    assert _has_thai(chat.visible_text(somsri.new_messages()))


def test_healthz_reports_the_database(chat) -> None:  # type: ignore[no-untyped-def]
    response = requests.get(_bot_url(chat) + "/healthz", timeout=5)
    assert response.status_code == 200 and response.json()["database"] is True
