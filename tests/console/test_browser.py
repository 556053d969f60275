"""The console in headless Chromium on a phone-sized screen: the daily work of DIP and DSS staff."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from console_helpers import PASSWORD, FakeQuota, add_booking, add_enterprise, build_app
from sqlalchemy import select

from otopbot.console import auth
from otopbot.models import Booking, OutboxMessage, Registration, Workshop

pytestmark = pytest.mark.browser


@pytest.fixture
def chromium(browser):  # type: ignore[no-untyped-def]
    return browser


@pytest.fixture
def console_url(settings, database) -> Iterator[str]:  # type: ignore[no-untyped-def]
    from otopbot.simulator.serving import serve_in_thread

    served = serve_in_thread(build_app(settings, database, FakeQuota()))
    yield served.url
    served.shutdown()


@pytest.fixture
def phone(chromium):  # type: ignore[no-untyped-def]
    context = chromium.new_context(locale="th-TH", viewport={"width": 400, "height": 850})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _sign_in(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/console/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_selector("text=ความคืบหน้าของโครงการ")


def test_dip_signs_in_and_selects_a_registration(phone, console_url, database) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        auth.create_staff(db, "dip-browser", PASSWORD, "dip")
        _, reg = add_enterprise(db, 1, category="ceramics", name="เซรามิกบ้านทุ่ง")
        add_enterprise(db, 2, category="food", name="น้ำพริกแม่สมร")
    _sign_in(phone, console_url, "dip-browser")
    phone.click("header nav a[href$='/console/registrations']")
    phone.select_option("select[name=category]", "ceramics")
    phone.click("text=กรอง")
    assert phone.locator("text=น้ำพริกแม่สมร").count() == 0
    phone.click("text=เซรามิกบ้านทุ่ง")
    phone.fill("textarea[name=note]", "ยินดีด้วยค่ะ")
    phone.click("button[value=selected]")
    phone.wait_for_selector("text=แจ้งผู้ประกอบการทาง LINE แล้ว")
    with database.transaction() as db:
        assert db.get(Registration, reg.id).status == "selected"
        assert len(list(db.scalars(select(OutboxMessage)))) == 1


def test_dss_creates_a_workshop_announces_it_and_checks_someone_in(phone, console_url, database) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        auth.create_staff(db, "dss-browser", PASSWORD, "dss")
        potter, _ = add_enterprise(db, 1, category="ceramics", name="เซรามิกบ้านทุ่ง")
        add_enterprise(db, 2, category="ceramics")
        add_enterprise(db, 3, category="food")
    _sign_in(phone, console_url, "dss-browser")
    phone.click("header nav a[href$='/console/workshops']")
    phone.click("a[href$='/console/workshops/new']")
    phone.fill("input[name=title]", "เคลือบเซรามิกไร้สารตะกั่ว")
    phone.select_option("select[name=category]", "ceramics")
    phone.fill("input[name=venue]", "ศูนย์เซรามิก ลำปาง")
    phone.fill("input[name=province]", "ลำปาง")
    phone.fill("input[name=starts_at]", "01/08/2573 09:00")
    phone.fill("input[name=ends_at]", "01/08/2573 16:00")
    phone.fill("input[name=capacity]", "25")
    phone.fill("input[name=registration_deadline]", "25/07/2573 17:00")
    phone.click("button.primary")
    phone.wait_for_selector("text=บันทึกการอบรมแล้ว")

    phone.click("a[href*='/console/broadcasts/new']")
    phone.select_option("select[name=category]", "ceramics")
    phone.click("button[value=preview]")
    phone.wait_for_selector("text=ประกาศนี้จะส่งถึง 2 คน")
    assert phone.locator(".line-card >> text=จองที่นั่ง").count() >= 1
    phone.click("button[value=send]")
    phone.wait_for_selector("text=กำลังส่งประกาศถึง 2 คน")
    with database.transaction() as db:
        rows = list(db.scalars(select(OutboxMessage)))
        workshop = db.scalars(select(Workshop)).one()
        add_booking(db, workshop, potter, "DOOR01")
    assert sorted(uid for r in rows for uid in r.recipients) == sorted([potter.line_user_id, f"U{2:032x}"])

    phone.goto(f"{console_url}/console/workshops/{workshop.id}/checkin")
    assert ("สแกน QR ไม่ได้" in phone.inner_text("#scan-status")) != phone.is_visible("#scan-start")
    phone.fill("#checkin-code", "door01")
    phone.click("#checkin-form button")
    phone.wait_for_selector("text=ลงทะเบียนเข้างานแล้ว: เซรามิกบ้านทุ่ง")
    with database.transaction() as db:
        assert db.scalars(select(Booking.checked_in_at)).one() is not None
