"""Booking seats in the chat: registration first, seats, waiting list, promotion, cancelling."""

from __future__ import annotations

import re

from dialogue_helpers import registered
from dialogue_talk import Talk, postbacks, visible
from sqlalchemy import select

from otopbot.models import Booking, LineUser, OutboxMessage, Registration, Workshop


def _code(replies: list) -> str:
    found = re.search(r"(?:รหัสการจอง|code):? ([A-Z0-9]{6})", visible(replies))
    assert found, visible(replies)
    return found.group(1)


def test_an_unregistered_user_registers_then_goes_straight_back_to_the_booking(talk: Talk) -> None:
    workshop = talk.workshop()
    user = talk.follow()
    first = visible(talk.tap(user, f"book:{workshop}"))
    assert "ลงทะเบียนสั้น ๆ ก่อน" in first
    for step in (
        "form:yes",
        "กลุ่มแม่บ้านบ้านมอญ",
        "form:sme",
        "ลำปาง",
        "form:ceramics",
        "ชามตราไก่",
        "สมศรี",
        "0812345678",
        "form:testing",
        "form:__done",
    ):
        (talk.tap if step.startswith("form:") else talk.say)(user, step)
    back = talk.tap(user, "form:__confirm")
    assert "ต้องการจองกี่ที่นั่ง" in visible(back)
    booked = talk.tap(user, "form:2")
    assert "จองสำเร็จ" in visible(booked) and "2 ที่นั่ง" in visible(booked)
    (booking,) = talk.get(Booking)
    assert booking.code == _code(booked) and booking.seats == 2 and booking.status == "confirmed"
    assert talk.get(Workshop)[0].seats_taken == 2
    assert len(talk.get(Registration)) == 1


def test_a_workshop_tapped_while_registering_is_kept_and_booked_once_the_form_is_done(talk: Talk) -> None:
    workshop = talk.workshop()
    user = talk.follow()
    talk.say(user, "สมัครเข้าโครงการค่ะ")
    talk.tap(user, "form:yes")
    talk.say(user, "กลุ่มทอผ้าบ้านนาต้นจั่น")
    tapped = visible(talk.tap(user, f"book:{workshop}"))
    assert "พากลับไปจอง" in tapped and "ประเภทใด" in tapped  # said it is kept, then the same question
    for step in ("form:sme", "สุโขทัย", "form:food", "ข้าวแต๋น", "บุญมา", "0812345678", "form:testing", "form:__done"):
        (talk.tap if step.startswith("form:") else talk.say)(user, step)
    back = talk.tap(user, "form:__confirm")
    assert "ต้องการจองกี่ที่นั่ง" in visible(back)


def test_seats_said_in_words_are_understood_and_limited_to_five(talk: Talk) -> None:
    workshop = talk.workshop()
    user = registered(talk)
    talk.tap(user, f"book:{workshop}")
    assert "1 ถึง 5" in visible(talk.say(user, "เอา 8 ที่"))
    assert "จองสำเร็จ" in visible(talk.say(user, "สามที่นั่งค่ะ"))
    assert talk.get(Booking)[0].seats == 3


def test_confirmation_shows_the_check_in_qr_only_with_a_public_url(talk: Talk) -> None:
    workshop = talk.workshop()
    user = registered(talk)
    plain = talk.tap(user, f"book:{workshop}:1")
    assert [r.kind for r in plain] == ["text"]
    talk.context = type(talk.context)(
        settings=talk.settings.with_overrides(public_base_url="https://bot.example"), nlu=talk.context.nlu
    )
    other = talk.workshop("W2")
    with_qr = talk.tap(user, f"book:{other}:1")
    code = _code(with_qr)
    assert with_qr[-1].kind == "image" and with_qr[-1].url == f"https://bot.example/qr/{code}.png"


def test_booking_the_same_workshop_twice_is_recognised(talk: Talk) -> None:
    workshop = talk.workshop()
    user = registered(talk)
    code = _code(talk.tap(user, f"book:{workshop}:2"))
    again = visible(talk.tap(user, f"book:{workshop}"))
    assert "จองเวิร์กช็อปนี้ไว้แล้ว" in again and code in again
    assert len(talk.get(Booking)) == 1


def test_a_change_of_mind_about_seats_changes_the_booking_after_a_confirmation(talk: Talk) -> None:
    workshop = talk.workshop(capacity=4)
    user = registered(talk)
    code = _code(talk.tap(user, f"book:{workshop}:2"))
    asked = talk.say(user, "เปลี่ยนใจค่ะ ขอ ๓ ที่ได้ไหม")
    assert asked[-1].kind == "confirm" and "จาก 2 เป็น 3 ที่นั่ง" in visible(asked)
    assert "เปลี่ยนแล้ว" in visible(talk.say(user, "ค่ะ เปลี่ยนเลย"))
    (booking,) = talk.get(Booking)
    assert (booking.code, booking.seats, talk.get(Workshop)[0].seats_taken) == (code, 3, 3)
    assert "จาก 3 เป็น 5 ที่นั่ง" in visible(talk.say(user, "ขอเพิ่มอีก 2 คน"))
    assert "ที่ว่างไม่พอ" in visible(talk.tap(user, f"seats:{code}:5"))  # 4 seats in all
    assert "จาก 3 เป็น 1 ที่นั่ง" in visible(talk.say(user, "ขอลดเหลือ 1 ที่"))
    talk.tap(user, f"seats:{code}:1")
    assert talk.get(Workshop)[0].seats_taken == 1 and talk.get(Booking)[0].seats == 1


def test_full_workshop_offers_the_waiting_list_and_a_freed_seat_is_pushed_to_the_first(talk: Talk) -> None:
    workshop = talk.workshop(capacity=2)
    first, second = registered(talk, "สมศรี"), registered(talk, "มานพ", "0898765432")
    code = _code(talk.tap(first, f"book:{workshop}:2"))
    full = talk.tap(second, f"book:{workshop}:1")
    assert full[0].kind == "confirm" and "เต็มแล้ว" in visible(full) and "ลำดับที่ 1" in visible(full)
    assert f"wait:{workshop}:1" in postbacks(full)
    waiting = visible(talk.tap(second, f"wait:{workshop}:1"))
    assert "คิวสำรอง" in waiting and "ลำดับที่ 1" in waiting
    assert "คิวสำรอง ลำดับที่ 1" in visible(talk.say(second, "ขอดูการจองของฉันหน่อย"))

    asked = talk.say(first, "ขอยกเลิกการจองค่ะ")
    assert asked[0].kind == "confirm" and postbacks(asked) == [f"cancelok:{code}", f"keep:{code}"]
    assert "ยกเลิกการจอง" in visible(talk.tap(first, f"cancelok:{code}"))

    with talk.database.transaction() as db:
        statuses = dict(db.execute(select(Booking.user_id, Booking.status)).all())
        pushes = db.scalars(select(OutboxMessage).where(OutboxMessage.kind == "push")).all()
    assert statuses == {first: "cancelled", second: "confirmed"}
    assert talk.get(Workshop)[0].seats_taken == 1
    (push,) = pushes
    assert "ข่าวดี" in push.payload[0]["text"]


def test_cancelling_with_several_bookings_asks_which_one(talk: Talk) -> None:
    one, two = talk.workshop("W1"), talk.workshop("W2", days=20)
    user = registered(talk)
    talk.tap(user, f"book:{one}:1")
    code = _code(talk.tap(user, f"book:{two}:1"))
    which = talk.say(user, "ยกเลิกการจอง")
    assert "รายการไหน" in visible(which) and len([p for p in postbacks(which) if p.startswith("cancel:")]) == 2
    assert talk.tap(user, f"cancel:{code}")[0].kind == "confirm"
    assert "ยังคงอยู่" in visible(talk.tap(user, f"keep:{code}"))
    assert {b.status for b in talk.get(Booking)} == {"confirmed"}


def test_someone_elses_booking_code_cannot_be_cancelled(talk: Talk) -> None:
    workshop = talk.workshop()
    owner, other = registered(talk, "สมศรี"), registered(talk, "มานพ")
    code = _code(talk.tap(owner, f"book:{workshop}:1"))
    assert "ไม่มีผลแล้ว" in visible(talk.tap(other, f"cancelok:{code}"))
    assert talk.get(Booking)[0].status == "confirmed"


def test_my_bookings_when_there_are_none_offers_the_workshops(talk: Talk) -> None:
    user = talk.follow()
    none = talk.tap(user, "menu:my_bookings")
    assert "ยังไม่มีการจอง" in visible(none) and "menu:workshops" in postbacks(none)


def test_erasing_ones_data_gives_the_seat_to_the_waiting_list_and_tells_them(talk: Talk) -> None:
    workshop = talk.workshop(capacity=1)
    first, second = registered(talk, "สมศรี"), registered(talk, "มานพ", "0898765432")
    talk.tap(first, f"book:{workshop}:1")
    talk.tap(second, f"wait:{workshop}:1")
    talk.tap(first, "erase:yes")
    with talk.database.transaction() as db:
        (push,) = db.scalars(select(OutboxMessage).where(OutboxMessage.kind == "push")).all()
        waiting_user = db.get(LineUser, second)
        assert waiting_user is not None and push.recipients == [waiting_user.line_user_id]
    assert "ข่าวดี" in push.payload[0]["text"]
