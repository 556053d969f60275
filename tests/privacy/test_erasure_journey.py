"""“Delete my data” erases the person: after a whole journey through the webhook (simulator), no text
column of any table holds their name, phone, LINE user id or what they typed (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from privacy_helpers import PASSWORD, found_in_every_text_column, log_in, post
from sqlalchemy import func, select

from otopbot.console import auth
from otopbot.db import utcnow
from otopbot.models import (
    Broadcast,
    ErasureRecord,
    InboundEvent,
    LineUser,
    OutboxMessage,
    Question,
    Registration,
)
from otopbot.services import broadcasts, kpi
from otopbot.worker.loop import purge_expired

NAME = "สมศรี ใจดี"
PHONE = "081-234-5678"
ENTERPRISE = "วิสาหกิจชุมชนเครื่องปั้นดินเผาบ้านมอญ"
PRODUCTS = "ชามตราไก่ แจกันดินเผา"
QUESTION = f"ดิฉัน{NAME} เบอร์ {PHONE} ขอถามเรื่องมาตรฐานเตาเผาไฟฟ้าว่าต้องขอ มอก. ไหมคะ"
CONTACT = "อยากให้ช่วยดูสูตรดินปั้นของบ้านมอญให้แตกร้าวน้อยลงค่ะ"
NOTE = f"คุยกับ{NAME} แล้ว โทร {PHONE} พร้อมเข้าร่วม"


def _register(user: Any, chat: Any) -> None:
    user.say("อยากสมัครเข้าร่วมโครงการค่ะ ทำเซรามิกที่ลำปาง")
    user.tap("form:yes")
    user.say(ENTERPRISE)
    user.tap("form:community_enterprise")
    user.say("ข้าม")
    user.say(PRODUCTS)
    user.say(NAME)
    user.say(PHONE)
    user.tap("form:packaging")
    user.tap("form:__done")
    user.tap("form:__confirm")


def _needles(line_user_id: str) -> list[str]:
    return [
        NAME,
        "สมศรี",
        PHONE,
        PHONE.replace("-", ""),
        line_user_id,
        ENTERPRISE,
        PRODUCTS,
        QUESTION[:30],
        "มาตรฐานเตาเผาไฟฟ้า",
        CONTACT[:20],
    ]


def _counts(summary: Any) -> tuple[object, ...]:
    return summary.registered, summary.selected, summary.by_category, summary.by_region


def _journey(chat: Any, bot: Any) -> tuple[Any, str]:
    user = chat.follow(display_name=NAME)
    _register(user, chat)
    asked = chat.visible_text(user.say(QUESTION))
    assert "เจ้าหน้าที่" in asked, asked
    found = user.say("มีเวิร์กช็อปเซรามิกที่ลำปางไหมคะ")
    book = next(p for p in chat.postbacks(found) if p.startswith("book:"))
    user.tap(book)
    assert re.search(r"รหัสการจอง: [A-Z0-9]{6}", chat.visible_text(user.tap("form:1")))
    user.say("ขอคุยกับเจ้าหน้าที่ค่ะ")
    user.say(CONTACT)
    user.tap("form:__skip")
    database = chat.runtime.database
    with database.transaction() as db:
        registration_id = db.scalars(select(Registration.id)).one()
        auth.create_staff(db, "dip-privacy", PASSWORD, "admin")  # selects (DIP) and answers (DSS)
        assert {q.kind for q in db.scalars(select(Question))} >= {"unanswered", "contact"}, asked
        contact_id = db.scalars(select(Question.id).where(Question.kind == "contact")).one()
    staff = bot.test_client()
    assert log_in(staff, "dip-privacy").status_code == 302
    decided = post(staff, f"/console/registrations/{registration_id}/decide", {"decision": "selected", "note": NOTE})
    assert decided.status_code == 302
    answered = post(staff, f"/console/questions/{contact_id}/answer", {"answer": f"เรียนคุณ{NAME} ลองผสมทรายละเอียดค่ะ"})
    assert answered.status_code == 302
    announced = post(
        staff,
        "/console/broadcasts/new",
        {"kind": "text", "text_th": "เชิญร่วมงานเซรามิกแฟร์", "category": "ceramics", "timing": "now", "action": "send"},
    )
    assert announced.status_code == 302
    chat.settle()
    assert ENTERPRISE in chat.visible_text(user.tap("mydata:show"))
    assert "ลองผสมทรายละเอียด" in chat.visible_text(user.inbox())
    return user, NAME


def test_erasing_leaves_nothing_that_leads_back_to_the_person(chat, bot) -> None:  # type: ignore[no-untyped-def]
    user, _ = _journey(chat, bot)
    database = chat.runtime.database
    assert found_in_every_text_column(database, _needles(user.user_id))  # the scan sees what is there
    with database.transaction() as db:
        before = _counts(kpi.summary(db))

    user.tap("erase:ask")
    confirmation = chat.visible_text(user.tap("erase:yes"))
    assert "ลบข้อมูลส่วนบุคคล" in confirmation  # the confirmation still reaches the person
    chat.settle()

    assert found_in_every_text_column(database, _needles(user.user_id)) == []
    with database.transaction() as db:
        (record,) = db.scalars(select(ErasureRecord)).all()
        assert (record.category, record.was_registered, record.was_selected) == ("ceramics", True, True)
        assert db.scalar(select(func.count()).select_from(LineUser)) == 1  # still counted, linked to nobody
        assert db.scalar(select(func.count()).select_from(Question)) >= 2
        assert db.scalar(select(func.count()).select_from(InboundEvent)) > 10  # bookkeeping rows stay
        assert _counts(kpi.summary(db)) == before  # the dashboard still reconciles
        (broadcast,) = db.scalars(select(Broadcast)).all()
        assert broadcasts.progress(db, broadcast).delivered_users == 1  # the batch still counts them


def test_writing_again_after_erasing_starts_afresh_and_is_answered(chat, bot) -> None:  # type: ignore[no-untyped-def]
    user = chat.follow(display_name=NAME)
    _register(user, chat)
    user.tap("erase:ask")
    user.tap("erase:yes")
    again = chat.visible_text(user.tap("mydata:show"))
    assert "ยังไม่ได้ลงทะเบียน" in again and ENTERPRISE not in again
    with chat.runtime.database.transaction() as db:
        ids = list(db.scalars(select(LineUser.line_user_id).order_by(LineUser.id)))
    assert len(ids) == 2 and ids[0].startswith("erased:") and ids[1] == user.user_id


def test_retention_scrubs_old_webhooks_and_delivered_messages(chat) -> None:  # type: ignore[no-untyped-def]
    user = chat.follow(display_name=NAME)
    user.say(QUESTION)
    database = chat.runtime.database
    assert purge_expired(database, 30).events == 0  # nothing is old yet
    swept = purge_expired(database, 30, utcnow() + timedelta(days=31))
    assert swept.events >= 2 and swept.messages >= 2
    with database.transaction() as db:
        payloads = [e.payload for e in db.scalars(select(InboundEvent))]
        bodies = [(m.recipients, m.payload) for m in db.scalars(select(OutboxMessage))]
    assert all(set(p) <= {"type", "timestamp", "mode", "scrubbed"} for p in payloads)
    assert all(body == ([], []) for body in bodies)
    again = purge_expired(database, 30, utcnow() + timedelta(days=31))
    assert (again.events, again.messages) == (0, 0)  # done once
