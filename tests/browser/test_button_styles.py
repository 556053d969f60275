"""In the chat page, a destructive button looks different from the main action.

"ยกเลิกการจอง" (cancel a booking) and "ลบข้อมูลของฉัน" (delete my data) are red text on no fill;
"จอง" (book) is the filled green main action. Checked on the rendered page, as the owner sees it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from otopbot.db import Database, utcnow
from otopbot.models import LineUser, Workshop
from otopbot.services import bookings, registrations
from otopbot.settings import Settings

pytestmark = pytest.mark.browser
RED = "rgb(217, 48, 37)"
TRANSPARENT = "rgba(0, 0, 0, 0)"
VALUES = {
    "enterprise_name": "กลุ่มเซรามิกบ้านทุ่ง",
    "enterprise_type": "sme",
    "province": "ลำปาง",
    "category": "ceramics",
    "products": "ชาม",
    "contact_name": "สมศรี",
    "phone": "0812345678",
    "help_wanted": ["standards"],
}


def register_and_book(settings: Settings) -> None:
    """The chat's demo user, registered and booked straight in the database (the forms have their own tests)."""
    database = Database(settings.database_url)
    with database.transaction() as db:
        user = db.scalars(select(LineUser)).one()
        user.consent_at = utcnow()
        registrations.submit(db, user, VALUES, utcnow())
        workshop = db.scalars(
            select(Workshop).where(Workshop.starts_at > utcnow()).order_by(Workshop.starts_at)
        ).first()
        assert workshop is not None
        bookings.book(db, user, workshop, 1, utcnow())
    database.dispose()


def say(page, text: str):  # type: ignore[no-untyped-def]
    before = page.locator(".msg.bot").count()
    page.locator("#text").fill(text)
    page.locator("#text").press("Enter")
    page.wait_for_function(f"document.querySelectorAll('.msg.bot').length > {before}", timeout=15000)
    page.wait_for_timeout(500)  # the rest of a multi-message answer


def look(page, name: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    button = page.locator(".flex-bubble .fx-button", has_text=name).last
    button.wait_for(timeout=15000)
    return button.evaluate("b => { const s = getComputedStyle(b); return {bg: s.backgroundColor, color: s.color}; }")


def test_cancel_and_delete_buttons_are_red_text_and_booking_is_green(local_bot: str, page, settings) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{local_bot}/simulator/_sim/")
    page.get_by_role("button", name=re.compile("เพิ่มเพื่อน|Add friend", re.IGNORECASE)).first.click()
    page.locator(".msg.bot").first.wait_for(timeout=15000)
    register_and_book(settings)

    say(page, "มีอบรมอะไรบ้างคะ")
    book = look(page, "จอง")
    say(page, "การจองของฉัน")
    cancel = look(page, "ยกเลิกการจอง")
    say(page, "ข้อมูลของฉัน")
    delete, change = look(page, "ลบข้อมูลของฉัน"), look(page, "แก้ไขข้อมูล")

    assert book["bg"] not in (TRANSPARENT, RED) and book["color"] == "rgb(255, 255, 255)"
    for destructive in (cancel, delete):
        assert destructive == {"bg": TRANSPARENT, "color": RED}
    assert change["bg"] != TRANSPARENT and change["color"] != RED
    page.screenshot(
        path=str(Path(os.environ.get("OTOPBOT_SCREENSHOTS", "/tmp")) / "otopbot-destructive.png"), full_page=True
    )
