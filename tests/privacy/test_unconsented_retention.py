"""People who never consent are answered, not enrolled: after the retention period nothing they typed, no
phone they gave and, once they have left, not even their LINE id is kept (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from privacy_helpers import PASSWORD, found_in_every_text_column, log_in, post
from sqlalchemy import select

from otopbot.console import auth
from otopbot.db import utcnow
from otopbot.events import store_events
from otopbot.models import ConversationState, InboundEvent, LineUser, Question, Registration
from otopbot.worker.loop import purge_expired

GUEST = "มาลัย ทองดี"
GUEST_PHONE = "089-765-4321"
ASKED = f"หนู{GUEST} โทร {GUEST_PHONE} อยากทราบว่าสบู่สมุนไพรส่งไปขายที่ลาวต้องเตรียมเอกสารอะไรบ้างคะ"
REQUEST = "อยากให้เจ้าหน้าที่ช่วยแนะนำแหล่งทุนทำโรงเรือนอบแห้งสมุนไพรค่ะ"
HALF_WAY = "ขอคุยกับเจ้าหน้าที่เรื่องฉลากสบู่ก้อนของกลุ่มแม่บ้านหน่อยค่ะ"
STAFF_ANSWER = f"เรียนคุณ{GUEST} ติดต่อสำนักงานพัฒนาชุมชนจังหวัดได้ค่ะ"
LATER = timedelta(days=31)


def _guest_asks_and_leaves(chat: Any, bot: Any) -> Any:
    """A visitor asks the bot, asks staff (with a phone), gets an answer, starts another request, leaves."""
    guest = chat.follow(display_name=GUEST)
    guest.say(ASKED)
    guest.say("ขอติดต่อเจ้าหน้าที่ค่ะ")
    guest.say(REQUEST)
    guest.say(GUEST_PHONE)
    with chat.runtime.database.transaction() as db:
        auth.create_staff(db, "dss-retention", PASSWORD, "dss")
        contact = db.scalars(select(Question.id).where(Question.kind == "contact")).one()
    staff = bot.test_client()
    assert log_in(staff, "dss-retention").status_code == 302
    assert post(staff, f"/console/questions/{contact}/answer", {"answer": STAFF_ANSWER}).status_code == 302
    guest.say(HALF_WAY)  # the bot asks for a phone number; the visitor never answers
    chat.sim.unfollow(guest.user_id)
    chat.settle()
    return guest


def _owner_asks(chat: Any) -> Any:
    """An owner who consented and registered asks staff something: kept until they erase it."""
    owner = chat.follow(display_name="เจ้าของกิจการ")
    with chat.runtime.database.transaction() as db:
        user = db.scalar(select(LineUser).where(LineUser.line_user_id == owner.user_id))
        user.consent_at = utcnow()
        db.add(
            Registration(
                user_id=user.id,
                enterprise_name="กลุ่มสมุนไพรบ้านโป่ง",
                enterprise_type="sme",
                province="ราชบุรี",
                region="central",
                category="food",
                contact_name="ชบา ใจเย็น",
                phone="0823334444",
                help_wanted="standards",
                language="th",
                status="registered",
            )
        )
    owner.say("ขอติดต่อเจ้าหน้าที่ค่ะ")
    owner.say("อยากทราบขั้นตอนขอเลข อย. สำหรับชาสมุนไพรแบบซองค่ะ")
    return owner


def _needles(guest: Any) -> list[str]:
    return [
        guest.user_id,
        GUEST,
        GUEST_PHONE,
        GUEST_PHONE.replace("-", ""),
        ASKED[:25],
        REQUEST[:25],
        HALF_WAY[:20],
        STAFF_ANSWER[:25],
    ]


def test_nothing_of_a_visitor_who_never_consented_outlives_the_retention_period(chat, bot) -> None:  # type: ignore[no-untyped-def]
    guest = _guest_asks_and_leaves(chat, bot)
    database = chat.runtime.database
    with database.transaction() as db:
        kinds = sorted(q.kind for q in db.scalars(select(Question)))
        half_way = db.scalars(select(ConversationState.slots)).all()
    assert kinds == ["contact", "unanswered"] and any(HALF_WAY in str(s) for s in half_way)

    purge_expired(database, 30)
    assert len(found_in_every_text_column(database, _needles(guest))) >= 6  # within the period all is there

    swept = purge_expired(database, 30, utcnow() + LATER)
    assert found_in_every_text_column(database, _needles(guest)) == []
    assert (swept.questions, swept.users) == (2, 1), "the operator's count says what was forgotten"
    assert "forgot 2 questions and 1 LINE ids" in str(swept)
    with database.transaction() as db:
        questions = db.scalars(select(Question)).all()
        assert len(questions) == 2 and all(q.user_id is None and q.status != "open" for q in questions)  # counted
        assert db.scalars(select(LineUser.line_user_id)).one().startswith("erased:")

    guest.say("สวัสดีค่ะ กลับมาแล้ว")  # writing again starts afresh, and is answered
    with database.transaction() as db:
        assert guest.user_id in db.scalars(select(LineUser.line_user_id)).all()


def test_followers_keep_their_line_id_and_owners_their_requests_after_the_sweep(chat) -> None:  # type: ignore[no-untyped-def]
    follower = chat.follow(display_name=GUEST)
    follower.say(ASKED)  # still follows: broadcasts and answers still reach them
    owner = _owner_asks(chat)
    database = chat.runtime.database

    purge_expired(database, 30, utcnow() + LATER)
    with database.transaction() as db:
        ids = set(db.scalars(select(LineUser.line_user_id)))
        kept = {q.text for q in db.scalars(select(Question))}
        payloads = [e.payload for e in db.scalars(select(InboundEvent))]
    assert {follower.user_id, owner.user_id} <= ids
    assert "อยากทราบขั้นตอนขอเลข อย. สำหรับชาสมุนไพรแบบซองค่ะ" in kept and ASKED not in kept
    assert all(set(p) <= {"type", "timestamp", "mode", "scrubbed"} for p in payloads)  # webhooks as before
    seen = chat.visible_text(owner.say("ข้อมูลของฉัน"))
    assert "คำถามถึงเจ้าหน้าที่: 1 (รอคำตอบ 1)" in seen


def test_the_sweep_never_touches_an_event_stored_but_not_yet_answered(chat) -> None:  # type: ignore[no-untyped-def]
    """Stored before the 200, answered once: a departed visitor's new message waiting for the worker keeps
    its text through the sweep, and is answered afterwards."""
    guest = chat.follow(display_name=GUEST)
    guest.say("สวัสดีค่ะ")
    chat.sim.unfollow(guest.user_id)
    chat.settle()
    database = chat.runtime.database
    with database.transaction() as db:
        said = next(e.payload for e in db.scalars(select(InboundEvent)) if e.payload.get("type") == "message")
        waiting = dict(
            said,
            webhookEventId="01WAITINGFORTHEWORKER0000000",
            timestamp=said["timestamp"] + 1,
            message=dict(said["message"], id="999", text="กลับมาถามเรื่อง อย. ค่ะ"),
        )
        (waiting_id,) = store_events(db, [waiting])

    purge_expired(database, 30, utcnow() + LATER)
    with database.transaction() as db:
        kept = db.get_one(InboundEvent, waiting_id)
        assert kept.status == "pending" and kept.payload["message"]["text"] == "กลับมาถามเรื่อง อย. ค่ะ"
        assert db.scalars(select(LineUser.line_user_id)).one().startswith("erased:")  # the departed row went
    chat.settle()
    with database.transaction() as db:
        assert db.get_one(InboundEvent, waiting_id).status == "done"
        assert guest.user_id in db.scalars(select(LineUser.line_user_id)).all()  # answered, as a new row
