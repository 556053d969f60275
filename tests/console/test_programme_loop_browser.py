"""In headless Chromium: survey results on a workshop page, and what an announcement achieved after bookings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from console_helpers import PASSWORD, add_enterprise, add_workshop
from test_browser import chromium, console_url, phone  # noqa: F401  (the shared browser fixtures)

from otopbot.console import auth
from otopbot.db import utcnow
from otopbot.models import Booking, BookingStatus, OutboxStatus, SurveyResponse, SurveyStatus
from otopbot.services import bookings, broadcasts

pytestmark = pytest.mark.browser


def _sign_in(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/console/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_selector("text=ความคืบหน้าของโครงการ")


def test_dss_reads_the_survey_results_on_the_workshop_page(phone, console_url, database) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    with database.transaction() as db:
        auth.create_staff(db, "dss-survey", PASSWORD, "dss")
        workshop = add_workshop(db, code="W-RATED")
        for n, (rating, comment) in enumerate([(5, "ได้ความรู้ไปใช้จริง"), (3, None), (4, None)]):
            user, _ = add_enterprise(db, 500 + n)
            booking = Booking(
                code=f"RB{n:04d}", workshop_id=workshop.id, user_id=user.id, seats=1, status=BookingStatus.CONFIRMED
            )
            db.add(booking)
            db.flush()
            db.add(
                SurveyResponse(
                    booking_id=booking.id,
                    workshop_id=workshop.id,
                    user_id=user.id,
                    rating=rating,
                    comment=comment,
                    status=SurveyStatus.DONE,
                    asked_at=workshop.ends_at,
                    rated_at=workshop.ends_at,
                )
            )
        workshop_id = workshop.id
    _sign_in(phone, console_url, "dss-survey")
    phone.goto(f"{console_url}/console/workshops/{workshop_id}")
    section = phone.locator("#survey")
    section.scroll_into_view_if_needed()
    text = section.inner_text()
    assert "ได้คะแนน 3 รายการ" in text and "4.00" in text and "ได้ความรู้ไปใช้จริง" in text
    with phone.expect_download() as download:
        phone.click("#survey a[href$='survey.csv']")
    assert download.value.suggested_filename == "survey-W-RATED.csv"


def test_an_announcement_page_shows_the_bookings_that_followed(phone, console_url, database) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    with database.transaction() as db:
        auth.create_staff(db, "dip-attrib", PASSWORD, "dip")
        workshop, other = add_workshop(db, code="W-ANN"), add_workshop(db, code="W-OTH")
        for upcoming in (workshop, other):  # bookable now: the announcement goes out at the real time
            upcoming.registration_deadline = utcnow() + timedelta(days=10)
            upcoming.starts_at, upcoming.ends_at = utcnow() + timedelta(days=12), utcnow() + timedelta(days=12, hours=6)
        users = [add_enterprise(db, 600 + n)[0] for n in range(4)]
        broadcast = broadcasts.create(
            db,
            title="เปิดรับสมัครอบรมอาหาร",
            payload=broadcasts.text_payload("เปิดแล้วค่ะ", None),
            audience={},
            created_by="dip-attrib",
            workshop_id=workshop.id,
        )
        for row in broadcasts.send_now(db, broadcast.id):
            row.status = OutboxStatus.SENT
        when = db.get_one(type(broadcast), broadcast.id).started_at + timedelta(hours=2)
        bookings.book(db, users[0], workshop, 1, when)
        bookings.book(db, users[1], workshop, 2, when + timedelta(days=1))
        bookings.book(db, users[2], other, 1, when + timedelta(days=2))
        broadcast_id = broadcast.id
    _sign_in(phone, console_url, "dip-attrib")
    phone.goto(f"{console_url}/console/broadcasts/{broadcast_id}")
    figure = phone.inner_text("#attribution")
    assert "ผู้รับประกาศจอง 3 รายการ" in figure and "เวิร์กช็อปที่ประกาศ 2 รายการ" in figure
