"""“My data”, through LINE: everything the bot keeps about an owner — registration, bookings, certificates,
survey answers, questions and the call-back number — short enough for a phone; asking to see never erases."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from otopbot.db import utcnow
from otopbot.models import (
    Booking,
    BookingStatus,
    Certificate,
    LineUser,
    Question,
    Registration,
    SurveyResponse,
    Workshop,
    WorkshopStatus,
)

ENTERPRISE = "กลุ่มปั้นดินเผาบ้านหนองบัว"
CALL_BACK = "0897654321"
COMMENT = "วิทยากรอธิบายเข้าใจง่าย อยากได้เอกสารเพิ่มค่ะ"


def _register(user: Any) -> None:
    user.say("อยากลงทะเบียนร่วมโครงการค่ะ ปั้นเครื่องดินเผาอยู่ลำปาง")
    user.tap("form:yes")
    user.say(ENTERPRISE)
    user.tap("form:individual")
    user.say("กระถางดินเผา โคมไฟดินเผา")
    user.say("บัวผัน ศรีสุข")
    user.say("0861112222")
    user.tap("form:packaging")
    user.tap("form:__done")
    user.tap("form:__confirm")


def _workshop(db: Any, code: str, days_from_now: float, title: str) -> Workshop:
    start = utcnow() + timedelta(days=days_from_now)
    workshop = Workshop(
        code=code,
        title=title,
        title_en=title,
        category="ceramics",
        venue="ศูนย์เซรามิก",
        province="ลำปาง",
        region="north",
        starts_at=start,
        ends_at=start + timedelta(hours=6),
        capacity=20,
        seats_taken=1,
        registration_deadline=start - timedelta(days=2),
        status=WorkshopStatus.OPEN,
    )
    db.add(workshop)
    db.flush()
    return workshop


def _attended(chat: Any, line_user_id: str, code: str, days_ago: float, title: str) -> None:
    """A workshop the owner was checked in at, which has just ended (survey and certificate follow)."""
    with chat.runtime.database.transaction() as db:
        user = db.scalar(select(LineUser).where(LineUser.line_user_id == line_user_id))
        workshop = _workshop(db, code, -days_ago, title)
        db.add(
            Booking(
                code=code,
                workshop_id=workshop.id,
                user_id=user.id,
                seats=1,
                status=BookingStatus.CONFIRMED,
                checked_in_at=workshop.starts_at + timedelta(minutes=10),
            )
        )


def _upcoming(chat: Any, line_user_id: str) -> None:
    with chat.runtime.database.transaction() as db:
        user = db.scalar(select(LineUser).where(LineUser.line_user_id == line_user_id))
        workshop = _workshop(db, "W-NEXT", 20, "ออกแบบลายดินเผาร่วมสมัย")
        db.add(
            Booking(code="NEXT01", workshop_id=workshop.id, user_id=user.id, seats=1, status=BookingStatus.CONFIRMED)
        )


def _counts(chat: Any) -> tuple[int, ...]:
    with chat.runtime.database.transaction() as db:
        return tuple(
            db.scalar(select(func.count()).select_from(model).where(model.user_id.is_not(None)))
            for model in (Registration, Booking, Question, Certificate, SurveyResponse)
        )


def _owner_with_everything(chat: Any) -> Any:
    owner = chat.follow(display_name="บัวผัน")
    _register(owner)
    owner.say("กระถางดินเผาต้องเผากี่องศาถึงจะส่งขายญี่ปุ่นได้คะ")  # the bot cannot answer: kept for staff
    owner.say("ขอให้เจ้าหน้าที่โทรหาหน่อยค่ะ")
    owner.say("อยากปรึกษาเรื่องการขอมาตรฐาน มผช. ของกระถางค่ะ")  # call back on the registered number
    _attended(chat, owner.user_id, "DONE01", 0.3, "การเคลือบสีธรรมชาติสำหรับดินเผา")
    _upcoming(chat, owner.user_id)
    chat.settle()
    survey = chat.postbacks(owner.new_messages())
    owner.tap(next(p for p in survey if p.endswith(":4")))
    owner.say(COMMENT)
    return owner


def test_my_data_lists_every_kind_of_data_kept_and_offers_to_change_or_delete(chat) -> None:  # type: ignore[no-untyped-def]
    owner = _owner_with_everything(chat)
    with chat.runtime.database.transaction() as db:
        code = db.scalars(select(Certificate.code)).one()

    shown = owner.say("ขอดูข้อมูลของฉันหน่อย")
    seen = chat.visible_text(shown)
    assert ENTERPRISE in seen and "บัวผัน ศรีสุข" in seen  # the registration's details
    assert "การจอง: กำลังจะถึง 1 · ผ่านไปแล้ว 1" in seen
    assert f"เกียรติบัตร {code}: การเคลือบสีธรรมชาติสำหรับดินเผา" in seen
    assert "คะแนนประเมินเวิร์กช็อป: 1 ครั้ง · ความคิดเห็น 1 ข้อ" in seen
    assert "คำถามถึงเจ้าหน้าที่: 2 (รอคำตอบ 2)" in seen
    assert "เบอร์ให้โทรกลับ" not in seen  # the registered number, already shown with the registration
    assert "ลบหลัง 30 วัน" in seen  # what they type is kept only for the retention period
    assert {"mydata:edit", "erase:ask"} <= set(chat.postbacks(shown))


def test_asking_what_is_kept_never_opens_deletion_and_deleting_asks_first(chat) -> None:  # type: ignore[no-untyped-def]
    owner = _owner_with_everything(chat)
    before = _counts(chat)
    for asking in ("ขอดูข้อมูลของฉันหน่อย", "เก็บข้อมูลอะไรเราไว้บ้าง", "บอทเก็บข้อมูลอะไรของผมไว้บ้างครับ"):
        shown = owner.say(asking)
        assert "erase:yes" not in chat.postbacks(shown), asking
        assert ENTERPRISE in chat.visible_text(shown), asking
    assert _counts(chat) == before

    confirm = owner.say("ลบข้อมูลของฉันทั้งหมดเลยค่ะ")
    assert "erase:yes" in chat.postbacks(confirm) and "ย้อนกลับไม่ได้" in chat.visible_text(confirm)
    assert "เพิกถอนเกียรติบัตร" in chat.visible_text(confirm)  # the owner is told what goes
    owner.tap("erase:no")
    assert _counts(chat) == before


def test_many_certificates_are_counted_not_listed(chat) -> None:  # type: ignore[no-untyped-def]
    owner = chat.follow()
    for n in range(4):
        _attended(chat, owner.user_id, f"OLD{n:03d}", 1 + n, f"หลักสูตรที่ {n + 1}")
    chat.settle()
    assert len(re.findall("รหัสตรวจสอบ", chat.visible_text(owner.new_messages()))) == 4  # all four were sent
    seen = chat.visible_text(owner.say("ข้อมูลของฉัน"))
    assert len(re.findall(r"เกียรติบัตร [A-Z0-9]{10}:", seen)) == 2
    assert "เกียรติบัตรก่อนหน้านี้อีก 2 ใบ" in seen
    assert "คะแนนประเมินเวิร์กช็อป" not in seen  # no survey answered: no line about it


def test_an_owner_who_only_asked_staff_sees_the_request_and_can_delete_it(chat) -> None:  # type: ignore[no-untyped-def]
    guest = chat.follow()
    guest.say("ขอคุยกับเจ้าหน้าที่ค่ะ")
    guest.say("อยากทราบว่าขอทุนพัฒนาบรรจุภัณฑ์ได้ที่ไหนบ้างคะ")
    guest.say(CALL_BACK)
    shown = guest.say("ข้อมูลของฉัน")
    seen = chat.visible_text(shown)
    assert "ยังไม่ได้ลงทะเบียน" in seen and "คำถามถึงเจ้าหน้าที่: 1 (รอคำตอบ 1)" in seen
    assert f"เบอร์ให้โทรกลับ: {CALL_BACK}" in seen and "erase:ask" in chat.postbacks(shown)
