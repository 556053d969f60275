"""Whole journeys through LINE: the simulator posts signed webhooks, the worker answers, we read the chat."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from otopbot.models import Booking, Registration, Workshop


def _register(user, chat) -> None:  # type: ignore[no-untyped-def]
    consent = user.say("อยากสมัครเข้าร่วมโครงการค่ะ ทำเซรามิกที่ลำปาง")
    assert "ข้อมูลส่วนบุคคล" in chat.visible_text(consent)
    user.tap("form:yes")
    user.say("วิสาหกิจชุมชนเครื่องปั้นดินเผาบ้านมอญ")
    user.tap("form:community_enterprise")
    user.say("ข้าม")
    user.say("ชามตราไก่ แจกันดินเผา")
    user.say("สมศรี ใจดี")
    user.say("081-234-5678")
    user.tap("form:packaging")
    summary = chat.visible_text(user.tap("form:__done"))
    assert "ลำปาง" in summary and "0812345678" in summary
    assert "รอ กสอ. พิจารณา" in chat.visible_text(user.tap("form:__confirm"))


def test_an_owner_registers_books_a_workshop_and_is_reminded_the_day_before(chat) -> None:  # type: ignore[no-untyped-def]
    user = chat.follow(display_name="สมศรี")
    _register(user, chat)
    found = user.say("มีเวิร์กช็อปเซรามิกที่ลำปางไหมคะ")
    book = next(p for p in chat.postbacks(found) if p.startswith("book:"))
    assert "ต้องการจองกี่ที่นั่ง" in chat.visible_text(user.tap(book))
    booked = chat.visible_text(user.tap("form:2"))
    code = re.search(r"รหัสการจอง: ([A-Z0-9]{6})", booked)
    assert "จองสำเร็จ" in booked and code

    with chat.runtime.database.transaction() as db:
        booking = db.scalars(select(Booking)).one()
        starts_at = db.get_one(Workshop, booking.workshop_id).starts_at
    chat.run_worker(now=starts_at - timedelta(hours=20))
    chat.run_worker(now=starts_at - timedelta(hours=19))
    reminders = [m for m in user.new_messages() if "พรุ่งนี้" in chat.visible_text([m])]
    assert len(reminders) == 1 and code.group(1) in chat.visible_text(reminders)


def test_declining_consent_over_line_stores_nothing(chat) -> None:  # type: ignore[no-untyped-def]
    user = chat.follow()
    user.say("ลงทะเบียนค่ะ")
    answer = chat.visible_text(user.tap("form:no"))
    assert "ไม่มีการเก็บข้อมูล" in answer
    with chat.runtime.database.transaction() as db:
        assert db.scalars(select(Registration)).all() == []


def test_an_owner_asks_for_staff_and_is_told_when_to_expect_an_answer(chat) -> None:  # type: ignore[no-untyped-def]
    user = chat.follow()
    user.say("ขอคุยกับเจ้าหน้าที่ค่ะ")
    user.say("อยากให้ช่วยดูสูตรน้ำพริกเผาให้เก็บได้นานขึ้นค่ะ")
    done = chat.visible_text(user.tap("form:__skip"))
    assert "1 วันทำการ" in done
