"""The staff-account page in headless Chromium: an admin creates an account, disables it mid-session
(the session ends), enables it again and resets its password."""

from __future__ import annotations

import pytest
from console_helpers import PASSWORD
from sqlalchemy import select
from test_browser import chromium, console_url, phone  # noqa: F401  (the shared browser fixtures)

from otopbot.console import auth
from otopbot.models import AuditEntry, StaffAccount

pytestmark = pytest.mark.browser


def _sign_in(page, base: str, username: str, password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/console/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button.primary")
    page.wait_for_selector("text=ความคืบหน้าของโครงการ")


def test_an_admin_creates_disables_and_resets_an_account(  # type: ignore[no-untyped-def]
    phone,  # noqa: F811  (fixtures imported from test_browser)
    chromium,  # noqa: F811
    console_url,  # noqa: F811
    database,
) -> None:
    with database.transaction() as db:
        auth.create_staff(db, "admin-browser", PASSWORD, "admin")
    _sign_in(phone, console_url, "admin-browser")
    phone.click("header nav a[href$='/console/staff']")
    phone.fill("#new-staff input[name=username]", "somchai")
    phone.fill("#new-staff input[name=display_name]", "สมชาย วศ.")
    phone.select_option("#new-staff select[name=role]", "dss")
    phone.fill("#new-staff input[name=password]", "somchai-2569")
    phone.click("#new-staff button.primary")
    phone.wait_for_selector("text=สร้างบัญชี somchai แล้ว")

    other = chromium.new_context(locale="th-TH", viewport={"width": 400, "height": 850})
    colleague = other.new_page()
    colleague.set_default_timeout(10_000)
    _sign_in(colleague, console_url, "somchai", "somchai-2569")
    colleague.click("header nav a[href$='/console/workshops']")
    assert "/console/workshops" in colleague.url

    phone.click("tr[data-username=somchai] button.danger")
    phone.wait_for_selector("text=แก้ไขบัญชี somchai แล้ว")
    assert phone.locator("tr[data-username=somchai]", has_text="ระงับแล้ว").count() == 1
    colleague.reload()
    colleague.wait_for_selector("input[name=password]")
    assert "/console/login" in colleague.url

    phone.click("tr[data-username=somchai] button:has-text('เปิดใช้งาน')")
    phone.wait_for_selector("tr[data-username=somchai] >> text=ใช้งานอยู่")
    phone.click("tr[data-username=somchai] summary:has-text('ตั้งรหัสผ่านใหม่')")
    phone.fill("tr[data-username=somchai] input[name=password]", "forgot-it-2569")
    phone.click("tr[data-username=somchai] button:has-text('บันทึกรหัสผ่านใหม่')")
    phone.wait_for_selector("text=แก้ไขบัญชี somchai แล้ว")
    _sign_in(colleague, console_url, "somchai", "forgot-it-2569")
    other.close()
    with database.transaction() as db:
        assert db.scalars(select(StaffAccount.active).where(StaffAccount.username == "somchai")).one() is True
        actions = set(db.scalars(select(AuditEntry.action)))
    assert {"staff.create", "staff.disable", "staff.enable", "staff.password"} <= actions
