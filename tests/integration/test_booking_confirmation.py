"""A booking confirmation always reaches the owner with its code, through the webhook and the simulator.

LINE refuses a whole request when one image address is plain http; the check-in QR image used to go
in the same reply as the text and took it down. Now the image goes only with an https public address,
a refusal is logged with LINE's reason, and the simulator's chat page shows it instead of silence.
"""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import select

from otopbot.db import utcnow
from otopbot.models import LineUser, OutboxMessage, OutboxStatus, Workshop
from otopbot.services import registrations

CODE = re.compile(r"(?<![A-Za-z0-9])[A-Z0-9]{6}(?![A-Za-z0-9])")


def _registered_owner(chat):  # type: ignore[no-untyped-def]
    owner = chat.follow("แม่เพ็ญ")
    with chat.runtime.database.transaction() as db:
        user = db.scalar(select(LineUser).where(LineUser.line_user_id == owner.user_id))
        user.consent_at = utcnow()
        registrations.submit(
            db,
            user,
            {
                "enterprise_name": "ร้านน้ำพริกแม่เพ็ญ",
                "enterprise_type": "sme",
                "province": "ขอนแก่น",
                "category": "food",
                "products": "น้ำพริก",
                "contact_name": "เพ็ญ ดีงาม",
                "phone": "0891112233",
            },
            utcnow(),
        )
        workshop_id = db.scalars(select(Workshop.id).order_by(Workshop.starts_at)).first()
    return owner, workshop_id


def _with_public_url(chat, url: str) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from otopbot.runtime import Runtime

    runtime = chat.runtime
    settings = runtime.settings.with_overrides(public_base_url=url)
    context = replace(runtime.context, settings=settings)
    chat.runtime = Runtime(settings, runtime.database, context)
    chat.bot_app.extensions["otopbot"] = chat.runtime
    chat.bot_app.extensions["otopbot_intake"].runtime = chat.runtime


@pytest.mark.parametrize("public_url", [None, "http://127.0.0.1:8000"])
def test_without_https_the_confirmation_text_with_its_code_arrives_and_no_image(chat, public_url) -> None:  # type: ignore[no-untyped-def]
    _with_public_url(chat, public_url)
    owner, workshop_id = _registered_owner(chat)
    answer = owner.tap(f"book:{workshop_id}:1")
    assert [m["type"] for m in answer] == ["text"]
    assert CODE.search(answer[0]["text"]), answer[0]["text"]
    assert not [r for r in chat.sim.requests() if r["status"] == 400]


def test_with_https_the_text_comes_first_and_the_qr_image_beside_it(chat) -> None:  # type: ignore[no-untyped-def]
    _with_public_url(chat, "https://bot.example")
    owner, workshop_id = _registered_owner(chat)
    answer = owner.tap(f"book:{workshop_id}:1")
    assert [m["type"] for m in answer] == ["text", "image"]
    code = CODE.search(answer[0]["text"]).group(0)
    assert answer[1]["originalContentUrl"] == f"https://bot.example/qr/{code}.png"


def test_a_refused_answer_is_logged_with_lines_reason_and_shown_on_the_chat_page(chat, caplog) -> None:  # type: ignore[no-untyped-def]
    owner = chat.follow()
    reason = {
        "message": "The request body has 1 error(s)",
        "details": [{"message": "must be non-empty text", "property": "messages[0].text"}],
    }
    chat.sim.add_fault("/v2/bot/message/reply", status=400, body=reason)
    with caplog.at_level(logging.WARNING, logger="otopbot.worker.delivery"):
        assert owner.say("สวัสดีค่ะ") == []
    with chat.runtime.database.transaction() as db:
        failed = db.scalars(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)).all()
    assert len(failed) == 1 and "messages[0].text: must be non-empty text" in (failed[0].last_error or "")
    assert "must be non-empty text" in caplog.text
    assert not [r for r in chat.sim.requests() if r["path"].endswith("/push")], "a refused answer is not pushed"


def test_the_chat_page_timeline_records_what_line_refused(chat) -> None:  # type: ignore[no-untyped-def]
    owner = chat.follow()
    refused = chat.sim.session.post(
        f"{chat.sim.base_url}/v2/bot/message/push",
        json={
            "to": owner.user_id,
            "messages": [
                {"type": "image", "originalContentUrl": "http://x/qr.png", "previewImageUrl": "http://x/qr.png"}
            ],
        },
        headers={"Authorization": "Bearer test-access-token"},
        timeout=5,
    )
    assert refused.status_code == 400
    timeline = chat.sim.messages(owner.user_id, include_user=True)
    notices = [e for e in timeline if e["via"] == "refused"]
    assert notices and notices[0]["message"]["request"] == "push"
    assert not [e for e in chat.sim.messages(owner.user_id) if e["via"] == "refused"]
    assert any("originalContentUrl" in d["property"] for d in notices[0]["message"]["details"])
