"""`/verify/<code>` in headless Chromium on a phone: what a buyer sees after scanning the certificate's QR."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from console_helpers import add_booking, add_enterprise, add_workshop
from test_browser import chromium, console_url, phone  # noqa: F401  (the shared browser fixtures)

from otopbot.models import Certificate

pytestmark = pytest.mark.browser


def test_a_certificate_is_confirmed_and_an_unknown_code_is_not(phone, console_url, database) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    with database.transaction() as db:
        user, _ = add_enterprise(db, 7, name="กลุ่มจักสานบ้านนา")
        workshop = add_workshop(db)
        booking = add_booking(db, workshop, user, "VRF001")
        db.add(
            Certificate(
                code="K7P2M9Q4XW",
                booking_id=booking.id,
                workshop_id=workshop.id,
                user_id=user.id,
                enterprise_name="กลุ่มจักสานบ้านนา",
                contact_name="คุณ 7",
                workshop_title=workshop.title,
                workshop_date=datetime(2026, 12, 12, 2, 0, tzinfo=UTC),
                language="th",
            )
        )
    phone.goto(f"{console_url}/verify/K7P2M9Q4XW")
    assert "ถูกต้อง" in phone.inner_text("#verdict")
    body = phone.inner_text("main")
    assert "กลุ่มจักสานบ้านนา" in body and "อบรมมาตรฐานอาหาร" in body and "12 ธ.ค. 2569" in body
    assert "0812345678" not in body and "VRF001" not in body
    response = phone.goto(f"{console_url}/verify/NOSUCHCODE")
    assert response is not None and response.status == 404
    assert "ไม่พบเกียรติบัตร" in phone.inner_text("#verdict")
