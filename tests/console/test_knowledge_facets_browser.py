"""In headless Chromium: DSS staff rewrite the short answer the bot gave an owner, preview it as the
chat shows it, save it, and the owner asking again through LINE gets the new words."""

from __future__ import annotations

import time
from typing import Any

import pytest
from console_helpers import PASSWORD
from sqlalchemy import select
from test_browser import chromium, phone  # noqa: F401  (the shared browser fixtures)

from otopbot.console import auth
from otopbot.models import AuditEntry, KnowledgeEntry

pytestmark = pytest.mark.browser

ASKED = "ใบรับรอง มผช. ของกลุ่มเรามีอายุใช้ได้กี่ปีคะ"
REWRITTEN = "ดูวันหมดอายุที่พิมพ์บนใบรับรอง มผช. ของท่านได้เลยค่ะ ถ้าไม่แน่ใจ โทรถามสำนักงานอุตสาหกรรมจังหวัดที่ออกใบให้"
FIRST = "ดูวันหมดอายุที่พิมพ์บนใบรับรอง มผช. ของท่านได้เลยค่ะ"


def _facet_that_answered(database: Any, reply: str) -> tuple[str, str]:
    """The (entry, facet) whose Thai text the bot sent: the test follows the content, whatever it says."""
    with database.transaction() as db:
        for entry in db.scalars(select(KnowledgeEntry)):
            for facet in entry.facets or []:
                if facet["answer_th"].strip() and facet["answer_th"].strip() in reply:
                    return entry.id, facet["id"]
    raise AssertionError(f"no facet answered: {reply[:200]}")


def _answer_becomes(owner: Any, chat: Any, expected: str, within: float = 12.0) -> str:
    """Ask until the answer carries `expected` (each process rechecks the knowledge revision every 5 s)."""
    deadline = time.monotonic() + within
    while True:
        answer = chat.visible_text(owner.say(ASKED))
        if expected in answer or time.monotonic() > deadline:
            return answer
        time.sleep(1.0)


def test_staff_rewrite_a_short_answer_and_the_owner_reads_it_next_time(phone, chat) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    owner = chat.follow()
    before = chat.visible_text(owner.say(ASKED))
    entry_id, facet_id = _facet_that_answered(chat.runtime.database, before)
    with chat.runtime.database.transaction() as db:
        auth.create_staff(db, "dss-facets", PASSWORD, "dss")
    base = chat.bot_app.config["BOT_URL"]

    phone.goto(f"{base}/console/")
    phone.fill("input[name=username]", "dss-facets")
    phone.fill("input[name=password]", PASSWORD)
    phone.click("button.primary")
    phone.wait_for_selector("text=ความคืบหน้าของโครงการ")
    phone.goto(f"{base}/console/knowledge/{entry_id}/edit")
    phone.click(f"#facets a[href$='/facets/{facet_id}']")
    phone.fill("textarea[name=answer_th]", REWRITTEN)
    phone.click("button[value=preview]")
    preview = phone.wait_for_selector("#facet-preview")
    assert REWRITTEN in preview.inner_text() and "อ่านเพิ่ม" in preview.inner_text()
    assert FIRST in phone.locator(".first-sentence").first.inner_text()  # what the notification shows
    assert REWRITTEN not in _answer_becomes(owner, chat, REWRITTEN, within=0)  # a preview changes nothing

    phone.click("button[value=save]")
    phone.wait_for_selector("text=บันทึกคำตอบสั้นแล้ว")
    assert REWRITTEN in _answer_becomes(owner, chat, REWRITTEN)
    with chat.runtime.database.transaction() as db:
        actions = list(db.scalars(select(AuditEntry.target).where(AuditEntry.action == "knowledge.edit_facet")))
    assert actions == [f"knowledge:{entry_id}"]
