"""The browser chat page shows what the bot sent (Flex, quick replies) and sends what a user taps."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from linebot.v3.messaging import (
    ApiClient,
    Configuration,
    FlexContainer,
    FlexMessage,
    MessageAction,
    MessagingApi,
    PostbackAction,
    PushMessageRequest,
    QuickReply,
    QuickReplyItem,
    TextMessage,
)
from linebot.v3.webhooks import MessageEvent, PostbackEvent
from sim_harness import TOKEN, Sim, WebhookTarget

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def workshop_bubble(title: str, place: str, date: str, data: str) -> dict[str, Any]:
    return {
        "type": "bubble",
        "hero": {
            "type": "image",
            "url": "https://example.invalid/workshop.jpg",
            "size": "full",
            "aspectRatio": "20:13",
            "aspectMode": "cover",
        },
        "body": {
            "type": "box",
            "layout": "vertical",
            "spacing": "sm",
            "contents": [
                {"type": "text", "text": title, "weight": "bold", "size": "lg", "wrap": True},
                {
                    "type": "box",
                    "layout": "baseline",
                    "spacing": "sm",
                    "contents": [
                        {
                            "type": "text",
                            "text": "สถานที่",
                            "color": "#aaaaaa",
                            "size": "sm",
                            "flex": 2,
                        },
                        {"type": "text", "text": place, "wrap": True, "size": "sm", "flex": 5},
                    ],
                },
                {"type": "separator", "margin": "md"},
                {"type": "text", "text": date, "size": "sm", "color": "#06c755", "margin": "md"},
            ],
        },
        "footer": {
            "type": "box",
            "layout": "vertical",
            "contents": [
                {
                    "type": "button",
                    "style": "primary",
                    "action": {
                        "type": "postback",
                        "label": "จองที่นั่ง",
                        "data": data,
                        "displayText": "จอง " + title,
                    },
                }
            ],
        },
    }


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 760, "height": 900}, locale="th-TH")
    yield context.new_page()
    context.close()


def test_chat_page_renders_flex_and_sends_quick_reply(
    page: Any, mounted_sim: Sim, webhook_target: WebhookTarget, tmp_path: Path
) -> None:
    user = mounted_sim.client.create_user("สมศรี วิสาหกิจ", language="th")["userId"]
    mounted_sim.client.follow(user)
    carousel = {
        "type": "carousel",
        "contents": [
            workshop_bubble(
                "อบรมการควบคุมคุณภาพอาหารแปรรูป",
                "กรมวิทยาศาสตร์บริการ กรุงเทพฯ",
                "12 ธ.ค. 2569",
                "book:ws-1",
            ),
            workshop_bubble("เคลือบเซรามิกไร้สารตะกั่ว", "ลำปาง", "20 ม.ค. 2570", "book:ws-2"),
        ],
    }
    quick = QuickReply(
        items=[
            QuickReplyItem(
                action=PostbackAction(label="ดูรายการอบรม", data="menu:workshops", display_text="ดูรายการอบรม")
            ),
            QuickReplyItem(action=MessageAction(label="ถามเรื่อง มผช.", text="มผช. คืออะไร")),
        ]
    )
    with ApiClient(Configuration(host=mounted_sim.url, access_token=TOKEN)) as client:
        MessagingApi(client).push_message(
            PushMessageRequest(
                to=user,
                messages=[
                    TextMessage(text="สวัสดีค่ะ 🙏 นี่คือการอบรมที่เปิดรับสมัคร"),
                    FlexMessage(alt_text="การอบรม", contents=FlexContainer.from_json(json.dumps(carousel))),
                    TextMessage(text="ต้องการทำอะไรต่อคะ", quick_reply=quick),
                ],
            )
        )

    page.goto(f"{mounted_sim.url}/_sim/?userId={user}")
    page.locator(".flex-carousel .flex-bubble").nth(1).wait_for()
    assert page.locator(".flex-carousel .flex-bubble").count() == 2
    assert page.locator(".fx-text", has_text="เคลือบเซรามิกไร้สารตะกั่ว").is_visible()
    chips = page.locator(".qr-chip")
    assert chips.all_inner_texts() == ["ดูรายการอบรม", "ถามเรื่อง มผช."]
    page.screenshot(path=str(tmp_path / "chat.png"))

    chips.first.click()
    event = webhook_target.wait_for(lambda e: isinstance(e, PostbackEvent))
    assert event.postback.data == "menu:workshops" and event.source.user_id == user
    page.locator(".msg.user .bubble", has_text="ดูรายการอบรม").wait_for()
    assert page.locator(".qr-chip").count() == 0  # quick replies go away once used

    page.locator(".flex-bubble").first.get_by_role("button", name="จองที่นั่ง").click()
    booked = webhook_target.wait_for(lambda e: isinstance(e, PostbackEvent) and e.postback.data == "book:ws-1")
    assert booked.source.user_id == user

    page.fill("#text", "อยากได้ มผช. ขนมไทย")
    page.press("#text", "Enter")
    said = webhook_target.wait_for(lambda e: isinstance(e, MessageEvent))
    assert said.message.text == "อยากได้ มผช. ขนมไทย"


def test_chat_page_shows_a_message_line_refused_instead_of_silence(page: Any, mounted_sim: Sim) -> None:
    user = mounted_sim.client.create_user("สมศรี วิสาหกิจ", language="th")["userId"]
    mounted_sim.client.follow(user)
    image = {
        "type": "image",
        "originalContentUrl": "http://bot.local/qr/ABC123.png",
        "previewImageUrl": "http://bot.local/qr/ABC123.png",
    }
    refused = mounted_sim.client.session.post(
        f"{mounted_sim.url}/v2/bot/message/push",
        json={"to": user, "messages": [image]},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=5,
    )
    assert refused.status_code == 400

    page.goto(f"{mounted_sim.url}/_sim/?userId={user}")
    notice = page.locator(".msg.refused")
    notice.wait_for()
    assert "refused by LINE" in notice.inner_text() and "originalContentUrl" in notice.inner_text()
