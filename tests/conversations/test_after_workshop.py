"""After a workshop, through LINE: the satisfaction survey, asked once and answered by tap or typing."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from otopbot.db import Database, utcnow
from otopbot.dialogue.flows.survey import rating_in
from otopbot.models import Booking, BookingStatus, LineUser, OutboxMessage, SurveyResponse, SurveyStatus, Workshop
from otopbot.services import surveys


def ended_workshop(db, code: str = "W-ENDED", hours_ago: int = 1) -> Workshop:  # type: ignore[no-untyped-def]
    now = utcnow()
    workshop = Workshop(
        code=code,
        title="อบรมยืดอายุน้ำพริก",
        title_en="Longer shelf life for chilli paste",
        category="food",
        venue="ศูนย์ราชการ",
        province="เชียงใหม่",
        region="north",
        starts_at=now - timedelta(hours=hours_ago + 6),
        ends_at=now - timedelta(hours=hours_ago),
        capacity=20,
        seats_taken=0,
        registration_deadline=now - timedelta(days=3),
    )
    db.add(workshop)
    db.flush()
    return workshop


def attend(db, workshop: Workshop, line_user_id: str, code: str, checked_in: bool = True) -> Booking:  # type: ignore[no-untyped-def]
    user = db.scalar(select(LineUser).where(LineUser.line_user_id == line_user_id))
    booking = Booking(
        code=code,
        workshop_id=workshop.id,
        user_id=user.id,
        seats=1,
        status=BookingStatus.CONFIRMED,
        checked_in_at=workshop.starts_at + timedelta(minutes=5) if checked_in else None,
    )
    workshop.seats_taken += 1
    db.add(booking)
    db.flush()
    return booking


def _survey(chat, booking_code: str) -> SurveyResponse:  # type: ignore[no-untyped-def]
    with chat.runtime.database.transaction() as db:
        booking = db.scalar(select(Booking).where(Booking.code == booking_code))
        return db.scalars(select(SurveyResponse).where(SurveyResponse.booking_id == booking.id)).one()


def test_a_checked_in_owner_is_asked_once_and_rates_by_tap_then_comments(chat) -> None:  # type: ignore[no-untyped-def]
    owner, absent = chat.follow(), chat.follow(display_name="ไม่ได้มา")
    with chat.runtime.database.transaction() as db:
        workshop = ended_workshop(db)
        attend(db, workshop, owner.user_id, "SRV001")
        attend(db, workshop, absent.user_id, "SRV002", checked_in=False)
    chat.settle()
    asked = owner.new_messages()
    assert "อบรมยืดอายุน้ำพริก" in chat.visible_text(asked) and "1" in chat.visible_text(asked)
    taps = chat.postbacks(asked)
    assert len(taps) == 5 and all(p.startswith("survey:") for p in taps)
    assert absent.new_messages() == []
    chat.run_worker()
    chat.run_worker(now=utcnow() + timedelta(hours=1))  # later rounds, as after a restart: nothing new
    assert owner.new_messages() == []

    comment_prompt = chat.visible_text(owner.tap(next(p for p in taps if p.endswith(":4"))))
    assert "ข้าม" in comment_prompt
    assert "ขอบคุณ" in chat.visible_text(owner.say("อยากให้มีภาคปฏิบัติมากกว่านี้ค่ะ"))
    survey = _survey(chat, "SRV001")
    assert (survey.rating, survey.comment, survey.status) == (4, "อยากให้มีภาคปฏิบัติมากกว่านี้ค่ะ", SurveyStatus.DONE)
    again = chat.visible_text(owner.tap(next(p for p in taps if p.endswith(":1"))))
    assert "ให้คะแนน" in again and _survey(chat, "SRV001").rating == 4  # a second tap changes nothing


@pytest.mark.parametrize(
    ("typed", "score"),
    [("๕", 5), ("ให้ 5 คะแนนเลยค่ะ", 5), ("ห้าดาว", 5), ("ดีมากค่ะ", 5), ("สามคะแนน", 3), ("ไม่ค่อยดี", 2), ("แย่มาก", 1)],
)
def test_a_rating_typed_as_a_number_or_a_thai_word_counts(chat, typed: str, score: int) -> None:  # type: ignore[no-untyped-def]
    owner = chat.follow()
    with chat.runtime.database.transaction() as db:
        attend(db, ended_workshop(db), owner.user_id, "SRV100")
    chat.settle()
    owner.new_messages()
    assert "ข้าม" in chat.visible_text(owner.say(typed))
    assert "ขอบคุณ" in chat.visible_text(owner.tap(f"survey:{_survey(chat, 'SRV100').id}:skip"))
    survey = _survey(chat, "SRV100")
    assert (survey.rating, survey.comment, survey.status) == (score, None, SurveyStatus.DONE)


def test_anything_else_is_asked_again_once_then_the_survey_is_left(chat) -> None:  # type: ignore[no-untyped-def]
    owner = chat.follow()
    with chat.runtime.database.transaction() as db:
        attend(db, ended_workshop(db), owner.user_id, "SRV200")
    chat.settle()
    owner.new_messages()
    reask = owner.say("ห้ามจอดรถหน้าศูนย์ใช่ไหมคะ")  # ห้าม is not ห้า
    assert "1 ถึง 5" in chat.visible_text(reask) and len(chat.postbacks(reask)) == 5
    assert _survey(chat, "SRV200").reasked
    moved_on = chat.visible_text(owner.say("มีเวิร์กช็อปเซรามิกไหมคะ"))
    assert "1 ถึง 5" not in moved_on
    survey = _survey(chat, "SRV200")
    assert (survey.status, survey.rating) == (SurveyStatus.LEFT, None)
    assert "1 ถึง 5" not in chat.visible_text(owner.say("๕"))  # a left survey no longer reads messages


@pytest.mark.parametrize("text", ["10", "4 หรือ 5", "ห้าม", "วิทยากรดีแต่ห้องร้อนมากจนทนไม่ไหวเลยค่ะ", "0", ""])
def test_messages_that_give_no_single_score_are_not_ratings(text: str) -> None:
    assert rating_in(text) is None


def _queue(db: Database) -> int:
    with db.transaction() as s:
        return surveys.queue_due_surveys(s, utcnow())


def test_two_workers_ask_each_attendee_once(database: Database) -> None:
    with database.transaction() as db:
        workshop = ended_workshop(db)
        for n in range(12):
            user = LineUser(line_user_id=f"U{n:032x}", language="th", following=True)
            db.add(user)
            db.flush()
            attend(db, workshop, user.line_user_id, f"TWO{n:03d}")
    counts: list[int] = []
    threads = [threading.Thread(target=lambda: counts.append(_queue(database))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 12 and _queue(database) == 0
    with database.transaction() as db:
        assert db.scalar(select(func.count()).select_from(OutboxMessage)) == 12
        assert db.scalar(select(func.count()).select_from(SurveyResponse)) == 12


def test_a_workshop_that_ended_long_ago_or_not_yet_is_not_surveyed(database: Database) -> None:
    with database.transaction() as db:
        old = ended_workshop(db, "W-OLD", hours_ago=24 * 5)
        running = ended_workshop(db, "W-NOW", hours_ago=-1)
        user = LineUser(line_user_id="U" + "a" * 32, language="th", following=True)
        db.add(user)
        db.flush()
        attend(db, old, user.line_user_id, "OLD001")
        attend(db, running, user.line_user_id, "RUN001")
    assert _queue(database) == 0
