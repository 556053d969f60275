"""What each announcement achieved: bookings by its recipients within 7 days, on its page and the dashboard."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from console_helpers import PASSWORD, add_booking, add_enterprise, add_workshop, log_in, post
from sqlalchemy import select

from otopbot import cards
from otopbot.console import auth
from otopbot.db import utcnow
from otopbot.i18n import LANGUAGES, Translator
from otopbot.models import Booking, Broadcast, LineUser, OutboxMessage, Registration, Workshop, WorkshopStatus
from otopbot.services import attribution, broadcasts


def _announce(chat, workshop_id: int | None = None) -> int:  # type: ignore[no-untyped-def]
    settings = chat.runtime.settings
    with chat.runtime.database.transaction() as db:
        if workshop_id is None:
            payload = broadcasts.text_payload("มีเวิร์กช็อปใหม่หลายรายการค่ะ", None)
        else:
            translators = [Translator(settings.locales_dir, lang) for lang in LANGUAGES]
            payload = cards.workshop_announcement(db.get_one(Workshop, workshop_id), translators)
        broadcast = broadcasts.create(
            db, title="ประกาศทดสอบ", payload=payload, audience={}, created_by="test", workshop_id=workshop_id
        )
        broadcasts.send_now(db, broadcast.id)
        broadcast_id = broadcast.id
    chat.settle()
    return broadcast_id


def _registered(chat, name: str = "สมศรี"):  # type: ignore[no-untyped-def]
    """A follower whose registration is on file (as the registration form leaves it)."""
    user = chat.follow(name)
    with chat.runtime.database.transaction() as db:
        row = db.scalar(select(LineUser).where(LineUser.line_user_id == user.user_id))
        row.consent_at = utcnow()
        db.add(
            Registration(
                user_id=row.id,
                enterprise_name=f"กลุ่ม{name}",
                enterprise_type="sme",
                province="ลำปาง",
                region="north",
                category="ceramics",
                contact_name=name,
                phone="0812345678",
                help_wanted="standards",
                language="th",
                status="pending",
            )
        )
    return user


def _book(chat, user, workshop_id: int) -> None:  # type: ignore[no-untyped-def]
    answer = chat.visible_text(user.tap(f"book:{workshop_id}:1"))
    assert "รหัสการจอง" in answer, answer


def test_the_announcement_page_counts_bookings_its_recipients_made(chat) -> None:  # type: ignore[no-untyped-def]
    with chat.runtime.database.transaction() as db:
        announced, other = db.scalars(
            select(Workshop.id).where(Workshop.status == WorkshopStatus.OPEN).order_by(Workshop.starts_at).limit(2)
        ).all()
    somsri, manee, quiet = _registered(chat), _registered(chat, "มานี"), _registered(chat, "เงียบ")
    broadcast_id = _announce(chat, announced)
    assert "จองที่นั่ง" in chat.visible_text(somsri.new_messages())
    latecomer = _registered(chat, "มาทีหลัง")  # followed after the announcement: not a recipient
    _book(chat, somsri, announced)
    _book(chat, manee, other)
    _book(chat, latecomer, announced)
    with chat.runtime.database.transaction() as db:
        result = attribution.for_broadcast(db, db.get_one(Broadcast, broadcast_id))
    assert (result.reached, result.bookings, result.workshop_bookings) == (3, 2, 1)

    with chat.runtime.database.transaction() as db:
        auth.create_staff(db, "dssstaff", PASSWORD, "dss")
    client = chat.bot_app.test_client()
    assert log_in(client, "dssstaff").status_code == 302
    page = client.get(f"/console/broadcasts/{broadcast_id}").get_data(as_text=True)
    figure = page[page.index('id="attribution"') :]
    assert "ผู้รับประกาศจอง 2 รายการ" in figure and "เวิร์กช็อปที่ประกาศ 1 รายการ" in figure
    assert quiet.user_id  # received it, booked nothing


def test_bookings_outside_the_seven_days_do_not_count(chat) -> None:  # type: ignore[no-untyped-def]
    with chat.runtime.database.transaction() as db:
        workshop_id = db.scalars(select(Workshop.id).where(Workshop.status == WorkshopStatus.OPEN)).first()
    owner = _registered(chat)
    _book(chat, owner, workshop_id)  # before the announcement
    with chat.runtime.database.transaction() as db:
        db.scalars(select(Booking)).one().created_at = utcnow() - timedelta(minutes=1)
    broadcast_id = _announce(chat)
    with chat.runtime.database.transaction() as db:
        broadcast = db.get_one(Broadcast, broadcast_id)
        assert attribution.for_broadcast(db, broadcast).bookings == 0
        db.scalars(select(Booking)).one().created_at = broadcast.started_at + timedelta(days=6, hours=23)
    with chat.runtime.database.transaction() as db:
        assert attribution.for_broadcast(db, db.get_one(Broadcast, broadcast_id)).bookings == 1
        db.scalars(select(Booking)).one().created_at = db.get_one(Broadcast, broadcast_id).started_at + timedelta(
            days=7
        )
    with chat.runtime.database.transaction() as db:
        assert attribution.for_broadcast(db, db.get_one(Broadcast, broadcast_id)).bookings == 0


def test_a_workshop_announcement_leaves_out_who_already_booked_and_says_how_many(staff_client, database) -> None:  # type: ignore[no-untyped-def]
    dss = staff_client("dss")
    with database.transaction() as db:
        workshop = add_workshop(db, category="glass")
        users = [add_enterprise(db, n, category="glass")[0] for n in range(5)]
        add_booking(db, workshop, users[0], "LEFT01")
        add_booking(db, workshop, users[1], "LEFT02", status="waitlisted")
        add_booking(db, workshop, users[2], "LEFT03", status="cancelled")  # cancelled: may want it again
        workshop_id, booked = workshop.id, {users[0].line_user_id, users[1].line_user_id}
    form = {"kind": "workshop", "workshop_id": workshop_id, "timing": "now"}
    page = post(dss, "/console/broadcasts/new", {**form, "action": "preview"}).get_data(as_text=True)
    assert "ส่งถึง 3 คน" in page and "ไม่ส่งถึงผู้ที่จองเวิร์กช็อปนี้แล้ว 2 คน" in page
    unticked = post(dss, "/console/broadcasts/new", {**form, "action": "preview", "leave_out_booked": "0"})
    assert "ส่งถึง 5 คน" in unticked.get_data(as_text=True)
    assert (
        post(dss, "/console/broadcasts/new", {**form, "action": "send", "leave_out_booked": ["0", "1"]}).status_code
        == 302
    )
    with database.transaction() as db:
        sent_to = {uid for row in db.scalars(select(OutboxMessage)) for uid in row.recipients}
    assert len(sent_to) == 3 and not sent_to & booked


def test_the_dashboard_sums_every_announcement_exactly(staff_client, database) -> None:  # type: ignore[no-untyped-def]
    """Recomputed here from the tables with plain loops, then compared with the page and the CSV."""
    with database.transaction() as db:
        workshop = add_workshop(db)
        users = [add_enterprise(db, n)[0] for n in range(6)]
        for n, audience in enumerate(({}, {"category": "food"})):
            broadcast = broadcasts.create(
                db,
                title=f"ประกาศ {n}",
                payload=broadcasts.text_payload("ข่าว", None),
                audience=audience,
                created_by="t",
                workshop_id=workshop.id if n else None,
            )
            for row in broadcasts.send_now(db, broadcast.id):
                row.status = "sent"
        started = db.get_one(Broadcast, broadcast.id).started_at
        for n, user in enumerate(users[:4]):
            booking = add_booking(db, workshop, user, f"DSH{n:03d}")
            booking.created_at = started + timedelta(days=n * 3)  # days 0, 3, 6 count; day 9 does not
    with database.transaction() as db:
        expected = 0
        for broadcast in db.scalars(select(Broadcast)):
            reached = {
                u
                for row in db.scalars(select(OutboxMessage).where(OutboxMessage.broadcast_id == broadcast.id))
                for u in row.recipients
            }
            for booking in db.scalars(select(Booking)):
                owner = db.get_one(LineUser, booking.user_id)
                if owner.line_user_id in reached and timedelta(
                    0
                ) <= booking.created_at - broadcast.started_at < timedelta(days=7):
                    expected += 1
    assert expected == 6
    client = staff_client("dip")
    section = client.get("/console/").get_data(as_text=True).split('id="announcements-achieved"')[1]
    assert f"รวม {expected} รายการ จากประกาศ 2 ฉบับ เป็นการจองเวิร์กช็อปที่ประกาศ 3 รายการ" in section
    rows = list(csv.reader(io.StringIO(client.get("/console/kpi.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert sum(int(r[3]) for r in rows if r[0] == "announcement") == expected
