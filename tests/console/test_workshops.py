"""DSS runs workshops: create, cancel (everyone booked is told), lists, and check-in at the door."""

from __future__ import annotations

from datetime import timedelta

from console_helpers import add_booking, add_enterprise, add_workshop, post
from sqlalchemy import select

from otopbot.db import utcnow
from otopbot.models import Booking, OutboxMessage, Workshop
from otopbot.services import checkin

FORM = {
    "title": "อบรมการทำขนมไทยให้ได้ มผช.",
    "title_en": "",
    "category": "food",
    "description": "",
    "venue": "ศูนย์ วศ. ลำปาง",
    "province": "ลำปาง",
    "region": "north",
    "starts_at": "2030-07-01T09:00",
    "ends_at": "2030-07-01T16:00",
    "capacity": "40",
    "registration_deadline": "2030-06-28T17:00",
}


def test_dss_creates_a_workshop_in_thailand_time(staff_client, database) -> None:
    dss = staff_client("dss")
    response = post(dss, "/console/workshops/new", FORM)
    assert response.status_code == 302
    with database.transaction() as db:
        workshop = db.scalars(select(Workshop)).one()
    assert workshop.capacity == 40 and workshop.status == "open"
    assert workshop.starts_at.hour == 2  # 09:00 in Bangkok is 02:00 UTC
    assert "อบรมการทำขนมไทย" in dss.get(response.headers["Location"]).get_data(as_text=True)


def test_a_bad_workshop_form_is_shown_again_with_the_reason(staff_client, database) -> None:
    dss = staff_client("dss")
    response = post(dss, "/console/workshops/new", {**FORM, "ends_at": "2030-07-01T08:00"})
    assert response.status_code == 400
    assert "เวลาสิ้นสุดต้องอยู่หลังเวลาเริ่ม" in response.get_data(as_text=True)
    with database.transaction() as db:
        assert db.scalars(select(Workshop)).first() is None


def test_capacity_cannot_drop_below_seats_booked(staff_client, database) -> None:
    dss = staff_client("dss")
    with database.transaction() as db:
        workshop = add_workshop(db, capacity=3)
        for n in range(2):
            user, _ = add_enterprise(db, n)
            add_booking(db, workshop, user, f"B{n:05d}")
        workshop_id = workshop.id
    form = {**FORM, "capacity": "1"}
    assert post(dss, f"/console/workshops/{workshop_id}/edit", form).status_code == 400
    with database.transaction() as db:
        assert db.get(Workshop, workshop_id).capacity == 3


def test_cancelling_a_workshop_tells_everyone_booked_once(staff_client, database) -> None:
    dss = staff_client("dss")
    with database.transaction() as db:
        workshop = add_workshop(db)
        users = []
        for n in range(3):
            user, _ = add_enterprise(db, n)
            users.append(user.line_user_id)
            add_booking(db, workshop, user, f"B{n:05d}", status="confirmed" if n < 2 else "waitlisted")
        workshop_id = workshop.id
    post(dss, f"/console/workshops/{workshop_id}/cancel", {"reason": "น้ำท่วม"})
    with database.transaction() as db:
        assert db.get(Workshop, workshop_id).status == "cancelled"
        pushes = list(db.scalars(select(OutboxMessage)))
        statuses = set(db.scalars(select(Booking.status)))
    assert sorted(r.recipients[0] for r in pushes) == sorted(users)
    assert all("ถูกยกเลิก" in r.payload[0]["text"] and "น้ำท่วม" in r.payload[0]["text"] for r in pushes)
    assert statuses == {"cancelled"}


def test_the_workshop_page_lists_attendees_and_the_waiting_list(staff_client, database) -> None:
    dss = staff_client("dss")
    with database.transaction() as db:
        workshop = add_workshop(db)
        a, _ = add_enterprise(db, 1, name="กลุ่มแม่บ้านดอยสะเก็ด")
        b, _ = add_enterprise(db, 2, name="ร้านเซรามิกบ้านเหนือ")
        add_booking(db, workshop, a, "BOOK01")
        add_booking(db, workshop, b, "BOOK02", status="waitlisted")
        workshop_id = workshop.id
    page = dss.get(f"/console/workshops/{workshop_id}").get_data(as_text=True)
    attendees, waiting = page.split("รายชื่อสำรอง (1)")
    assert "กลุ่มแม่บ้านดอยสะเก็ด" in attendees and "ร้านเซรามิกบ้านเหนือ" in waiting


def test_check_in_by_signed_qr_token_happens_once(staff_client, database, settings) -> None:
    dss = staff_client("dss")
    with database.transaction() as db:
        workshop = add_workshop(db)
        user, _ = add_enterprise(db, 1, name="กลุ่มทอผ้าบ้านนา")
        add_booking(db, workshop, user, "QR0001")
        workshop_id = workshop.id
    token = checkin.token_for(settings.secret_key, "QR0001")
    first = post(dss, f"/console/workshops/{workshop_id}/checkin", {"code": token}, follow_redirects=True)
    assert "ลงทะเบียนเข้างานแล้ว: กลุ่มทอผ้าบ้านนา" in first.get_data(as_text=True)
    with database.transaction() as db:
        stamped = db.scalars(select(Booking.checked_in_at)).one()
    second = post(dss, f"/console/workshops/{workshop_id}/checkin", {"code": token}, follow_redirects=True)
    assert "ลงทะเบียนเข้างานไปแล้ว" in second.get_data(as_text=True)
    with database.transaction() as db:
        assert db.scalars(select(Booking.checked_in_at)).one() == stamped


def test_a_forged_qr_is_refused_but_a_typed_code_works(staff_client, database) -> None:
    dss = staff_client("dss")
    with database.transaction() as db:
        workshop = add_workshop(db)
        user, _ = add_enterprise(db, 1)
        add_booking(db, workshop, user, "QR0002")
        workshop_id = workshop.id
    forged = post(
        dss,
        f"/console/workshops/{workshop_id}/checkin",
        {"code": "OTB1.QR0002.000000000000000000000000"},
        follow_redirects=True,
    )
    assert "QR โค้ดนี้ไม่ถูกต้อง" in forged.get_data(as_text=True)
    with database.transaction() as db:
        assert db.scalars(select(Booking.checked_in_at)).one() is None
    post(dss, f"/console/workshops/{workshop_id}/checkin", {"code": "qr0002"})
    with database.transaction() as db:
        assert db.scalars(select(Booking.checked_in_at)).one() is not None


def test_check_in_search_finds_attendees_by_name(staff_client, database) -> None:
    dss = staff_client("dss")
    with database.transaction() as db:
        workshop = add_workshop(db)
        for n, name in enumerate(["กลุ่มจักสานบ้านป่า", "โรงงานกระดาษสาบ่อสร้าง"]):
            user, _ = add_enterprise(db, n, name=name)
            add_booking(db, workshop, user, f"S{n:05d}")
        workshop_id = workshop.id
    page = dss.get(f"/console/workshops/{workshop_id}/checkin?q=กระดาษ").get_data(as_text=True)
    assert "โรงงานกระดาษสาบ่อสร้าง" in page and "กลุ่มจักสานบ้านป่า" not in page


def test_attendance_export_lists_who_came(staff_client, database, settings) -> None:
    dss = staff_client("dss")
    with database.transaction() as db:
        workshop = add_workshop(db)
        user, _ = add_enterprise(db, 1, name="กลุ่มเซรามิก")
        add_booking(db, workshop, user, "EX0001")
        checkin.check_in(db, "EX0001", secret_key=settings.secret_key)
        workshop_id = workshop.id
    text = dss.get(f"/console/workshops/{workshop_id}/attendance.csv").get_data(as_text=True)
    line = [row for row in text.splitlines() if row.startswith("EX0001")][0]
    assert "กลุ่มเซรามิก" in line and line.split(",")[-1]


def test_the_qr_image_is_a_png_for_real_bookings_only(client, database) -> None:
    with database.transaction() as db:
        workshop = add_workshop(db)
        user, _ = add_enterprise(db, 1)
        add_booking(db, workshop, user, "PNG001")
    response = client.get("/qr/PNG001.png")
    assert response.status_code == 200 and response.data.startswith(b"\x89PNG")
    assert client.get("/qr/NOPE01.png").status_code == 404


def test_workshops_are_listed_soonest_first_with_past_ones_apart(staff_client, database) -> None:
    dss = staff_client("dss")
    now = utcnow()
    with database.transaction() as db:
        for code, days in (("W-LATER", 40), ("W-PAST", -30), ("W-SOON", 3), ("W-LONGAGO", -90)):
            workshop = add_workshop(db, code=code)
            workshop.starts_at = now + timedelta(days=days)
            workshop.ends_at = workshop.starts_at + timedelta(hours=6)
            workshop.registration_deadline = workshop.starts_at - timedelta(days=1)
    page = dss.get("/console/workshops").get_data(as_text=True)
    coming, past = page.split("การอบรมที่ผ่านมาแล้ว")
    assert "การอบรมที่กำลังจะมาถึง" in coming
    assert coming.index("W-SOON") < coming.index("W-LATER") and "W-PAST" not in coming
    assert past.index("W-PAST") < past.index("W-LONGAGO") and "W-SOON" not in past


def test_workshop_form_dates_read_day_month_buddhist_year(staff_client, database) -> None:
    dss = staff_client("dss")
    thai_dates = {
        **FORM,
        "starts_at": "01/07/2573 09:00",
        "ends_at": "01/07/2573 16:00",
        "registration_deadline": "28/06/2573 17:00",
    }
    assert post(dss, "/console/workshops/new", thai_dates).status_code == 302
    with database.transaction() as db:
        workshop = db.scalars(select(Workshop)).one()
    assert (workshop.starts_at.year, workshop.starts_at.month, workshop.starts_at.day) == (2030, 7, 1)
    assert workshop.starts_at.hour == 2  # 09:00 in Bangkok
    form = dss.get(f"/console/workshops/{workshop.id}/edit").get_data(as_text=True)
    assert 'value="01/07/2573 09:00"' in form and 'value="28/06/2573 17:00"' in form
    assert "2030-07-01" not in form


def test_attendee_phones_are_shown_to_the_roles_that_contact_them(staff_client, database) -> None:
    with database.transaction() as db:
        workshop = add_workshop(db)
        user, registration = add_enterprise(db, 1)
        registration.phone = "0861112222"
        add_booking(db, workshop, user, "B00001")
        workshop_id = workshop.id
    for role in ("dss", "admin"):
        page = staff_client(role).get(f"/console/workshops/{workshop_id}").get_data(as_text=True)
        assert 'href="tel:0861112222"' in page and "เบอร์โทร" in page, role
    page = staff_client("dip").get(f"/console/workshops/{workshop_id}").get_data(as_text=True)
    assert "วิสาหกิจชุมชน 1" in page and "0861112222" not in page
