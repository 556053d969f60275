"""Webhooks from the simulator are signed and shaped so linebot.v3 parses them into real classes."""

from __future__ import annotations

import json
import re

from linebot.v3.webhooks import (
    FollowEvent,
    ImageMessageContent,
    LocationMessageContent,
    MessageEvent,
    PostbackEvent,
    StickerMessageContent,
    TextMessageContent,
    UnfollowEvent,
)
from sim_harness import Sim, WebhookTarget


def test_text_message_arrives_signed_and_parsed(sim: Sim, webhook_target: WebhookTarget, friend: str) -> None:
    result = sim.client.say(friend, "อยากสมัครอบรมเซรามิกค่ะ")
    assert result["status"] == 200
    event = webhook_target.events[-1]
    assert isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent)
    assert event.message.text == "อยากสมัครอบรมเซรามิกค่ะ"
    assert event.message.quote_token and event.reply_token and event.source.user_id == friend
    assert event.mode == "active" and event.delivery_context.is_redelivery is False
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{26}", event.webhook_event_id)
    assert webhook_target.payloads[-1].destination == sim.state.destination
    assert json.loads(result["body"])["events"][0] == result["event"]


def test_follow_unfollow_and_unblock(sim: Sim, webhook_target: WebhookTarget) -> None:
    user = sim.client.create_user("ลุงชม", language="th")["userId"]
    sim.client.follow(user)
    sim.client.unfollow(user)
    sim.client.follow(user)
    follows = [e for e in webhook_target.events if isinstance(e, (FollowEvent, UnfollowEvent))]
    assert [type(e).__name__ for e in follows] == ["FollowEvent", "UnfollowEvent", "FollowEvent"]
    assert [follows[0].follow.is_unblocked, follows[2].follow.is_unblocked] == [False, True]
    assert follows[0].reply_token and "replyToken" not in json.dumps(sim.state.events[follows[1].webhook_event_id])


def test_postback_with_datetime_params(sim: Sim, webhook_target: WebhookTarget, friend: str) -> None:
    sim.client.postback(friend, "book:ws-12", params={"date": "2026-12-01"}, display_text="จองวันที่ 1 ธ.ค.")
    event = webhook_target.events[-1]
    assert isinstance(event, PostbackEvent)
    assert (event.postback.data, event.postback.params) == ("book:ws-12", {"date": "2026-12-01"})
    shown = sim.client.messages(friend, include_user=True)[-1]
    assert (shown["via"], shown["message"]["text"]) == ("user", "จองวันที่ 1 ธ.ค.")


def test_sticker_image_location(sim: Sim, webhook_target: WebhookTarget, friend: str) -> None:
    sim.client.sticker(friend)
    sim.client.image(friend)
    sim.client.location(friend, title="โรงงานปั้นดิน", latitude=18.29, longitude=99.49)
    sticker, image, location = (e.message for e in webhook_target.events[-3:])
    assert isinstance(sticker, StickerMessageContent) and sticker.package_id
    assert isinstance(image, ImageMessageContent) and image.content_provider.type == "line"
    assert isinstance(location, LocationMessageContent) and location.title == "โรงงานปั้นดิน"


def test_redelivery_keeps_the_event_id(sim: Sim, webhook_target: WebhookTarget, friend: str) -> None:
    first = sim.client.say(friend, "สวัสดี")["event"]
    again = sim.client.redeliver(first["webhookEventId"])
    assert again["status"] == 200
    original, redelivered = webhook_target.events[-2:]
    assert redelivered.webhook_event_id == original.webhook_event_id
    assert redelivered.reply_token == original.reply_token
    assert (
        original.delivery_context.is_redelivery,
        redelivered.delivery_context.is_redelivery,
    ) == (False, True)


def test_raw_bodies_for_bad_signature_and_verification(sim: Sim, webhook_target: WebhookTarget) -> None:
    body = json.dumps({"destination": sim.state.destination, "events": []})
    assert sim.client.raw(body)["status"] == 200  # the console's "Verify" request
    assert sim.client.raw(body, signature="AAAA")["status"] == 400
    assert webhook_target.rejected == [body]


def test_unreachable_bot_is_reported_not_raised(sim: Sim, friend: str) -> None:
    sim.client.config(webhook_url="http://127.0.0.1:9/callback", webhook_timeout=1)
    result = sim.client.say(friend, "ฮัลโหล")
    assert result["status"] is None and "ConnectionError" in result["error"]
    assert sim.client.webhooks()[-1]["status"] is None
