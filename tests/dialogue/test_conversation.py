"""Finding workshops, leaving and resuming forms, the menu, language, contact staff, and my data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from dialogue_helpers import registered
from dialogue_talk import Talk, postbacks, visible

from otopbot.models import (
    Booking,
    ConversationState,
    ErasureRecord,
    LineUser,
    Question,
    Registration,
    Workshop,
)
from otopbot.services.workshops import load_sample_workshops


@pytest.fixture
def programme(talk: Talk) -> Talk:
    with talk.database.transaction() as db:
        load_sample_workshops(db, talk.settings.content_dir, talk.now)
    return talk


def test_workshops_are_filtered_by_what_the_user_said_with_thai_dates(programme: Talk) -> None:
    user = programme.follow()
    replies = programme.say(user, "มีอบรมเซรามิกที่ลำปางไหมคะ")
    carousel = replies[-1]
    assert carousel.kind == "carousel"
    assert [c.title for c in carousel.cards] == ["การลดสารตะกั่วและแคดเมียมในเคลือบเซรามิกสำหรับภาชนะสัมผัสอาหาร"]
    lines = "\n".join(carousel.cards[0].lines)
    assert "จ. 7 ธ.ค. 2569, 09:00–16:00 น." in lines and "ว่าง 30 จาก 30" in lines
    assert postbacks([carousel])[0].startswith("book:")


def test_no_match_offers_the_nearest_alternatives(programme: Talk) -> None:
    user = programme.follow()
    nearby = visible(programme.say(user, "มีเวิร์กช็อปแก้วที่ภูเก็ตไหม"))
    assert "จังหวัดอื่น" in nearby and "แก้ว" in nearby


def test_workshops_fall_back_to_the_registered_category_and_province(programme: Talk) -> None:
    user = registered(programme)
    cards = programme.tap(user, "menu:workshops")[-1].cards
    assert [c.title[:22] for c in cards] == ["การลดสารตะกั่วและแคดเมีย"[:22]]


def test_cancel_word_leaves_the_form_and_nothing_is_kept(talk: Talk) -> None:
    user = talk.follow()
    talk.say(user, "อยากลงทะเบียนค่ะ")
    talk.tap(user, "form:yes")
    assert "หยุดให้แล้ว" in visible(talk.say(user, "ยกเลิก"))
    (state,) = talk.get(ConversationState, user_id=user)
    assert state.form is None and talk.get(Registration) == []


def test_a_question_mid_form_is_answered_and_the_form_resumes(talk: Talk) -> None:
    user = talk.follow()
    talk.say(user, "อยากลงทะเบียนค่ะ")
    talk.tap(user, "form:yes")
    talk.say(user, "กลุ่มทอผ้าบ้านนา")
    answer = talk.say(user, "การจองของฉันมีอะไรบ้าง")
    assert "ยังไม่มีการจอง" in visible(answer)
    assert "ประเภทใด" in visible(answer[-1:])  # the pending question again
    assert "จังหวัดอะไร" in visible(talk.tap(user, "form:sme"))
    (state,) = talk.get(ConversationState, user_id=user)
    assert state.form == "registration" and state.slots["enterprise_name"] == "กลุ่มทอผ้าบ้านนา"


def test_menu_mid_form_shows_the_menu_and_the_form_can_go_on(talk: Talk) -> None:
    user = talk.follow()
    talk.say(user, "สมัครค่ะ")
    talk.tap(user, "form:yes")
    menu = talk.say(user, "เมนู")
    assert "menu:workshops" in postbacks(menu)
    assert "ประเภทใด" in visible(talk.say(user, "กลุ่มทอผ้าบ้านนา"))


def test_an_idle_form_expires_quietly_after_a_day(talk: Talk) -> None:
    user = talk.follow()
    talk.say(user, "อยากลงทะเบียนค่ะ")
    talk.tap(user, "form:yes")
    later = talk.say(user, "สวัสดีค่ะ", at=talk.now + timedelta(days=2))
    assert "สวัสดี" in visible(later) and "ชื่ออะไร" not in visible(later)
    (state,) = talk.get(ConversationState, user_id=user)
    assert state.form is None


def test_a_stale_form_button_is_explained(talk: Talk) -> None:
    user = talk.follow()
    assert "หมดเวลา" in visible(talk.tap(user, "form:food"))


@pytest.mark.parametrize(
    "data",
    [
        "menu:register",
        "menu:workshops",
        "menu:my_bookings",
        "menu:standards",
        "menu:contact",
        "menu:language",
        "mydata:show",
        "menu:help",
    ],
)
def test_every_rich_menu_button_answers(talk: Talk, data: str) -> None:
    assert visible(talk.tap(talk.follow(), data))


def test_language_toggle_switches_to_english_and_back(talk: Talk) -> None:
    user = talk.follow()
    assert "English from now on" in visible(talk.tap(user, "menu:language"))
    assert talk.get(LineUser, id=user)[0].language == "en"
    assert "Workshops" in visible(talk.say(user, "hello"))
    assert "ภาษาไทย" in visible(talk.tap(user, "menu:language"))
    assert talk.get(LineUser, id=user)[0].language == "th"


def test_welcome_greets_by_name_and_offers_the_main_actions(talk: Talk) -> None:
    user = talk.follow(display_name="สมศรี")
    welcome = talk.welcome(user)
    assert "คุณสมศรี" in visible(welcome) and "menu:register" in postbacks(welcome)
    assert "สวัสดีค่ะ น้อง" in visible(talk.welcome(talk.follow(display_name=None)))


def test_stickers_and_pictures_get_a_short_polite_reply(talk: Talk) -> None:
    user = talk.follow()
    assert "สติกเกอร์" in visible(talk.unsupported(user, "sticker"))
    assert "ข้อความ" in visible(talk.unsupported(user, "video"))


def test_out_of_scope_says_what_the_bot_can_do(talk: Talk) -> None:
    replies = talk.say(talk.follow(), "ช่วยจองตั๋วเครื่องบินไปเชียงใหม่ให้หน่อย")
    assert "menu:workshops" in postbacks(replies)


def test_contact_staff_opens_a_request_with_the_phone_number(talk: Talk) -> None:
    user = talk.follow()
    talk.say(user, "ขอคุยกับเจ้าหน้าที่หน่อยค่ะ")
    talk.say(user, "อยากให้ช่วยดูสูตรน้ำพริกเผาให้เก็บได้นานขึ้น")
    done = visible(talk.say(user, "โทรกลับที่ 089-123-4567 ได้เลยค่ะ"))
    assert "1 วันทำการ" in done and "0891234567" in done
    (question,) = talk.get(Question)
    assert (question.kind, question.phone, question.status) == ("contact", "0891234567", "open")
    assert "น้ำพริกเผา" in (question.text or "")


def test_words_at_the_phone_question_get_the_question_again_not_a_wrong_number_note(talk: Talk) -> None:
    user = talk.follow()
    talk.say(user, "ติดต่อเจ้าหน้าที่ค่ะ")
    talk.say(user, "อยากถามเรื่องฉลากขนมเปี๊ยะค่ะ")
    words = visible(talk.say(user, "อยากคุยกับคนจริงๆ"))
    assert "เบอร์ไหน" in words and "ไม่ใช่เบอร์" not in words
    assert "ไม่ใช่เบอร์" in visible(talk.say(user, "๐๘๑ ๒๓๔"))


def test_asking_for_our_phone_number_gets_it_and_the_question_is_not_sent_as_a_message(talk: Talk) -> None:
    user = talk.follow()
    first = visible(talk.say(user, "จะโทรหาเจ้าหน้าที่ต้องโทรเบอร์อะไรคะ"))
    assert "02 201 7000" in first and "เรื่องอะไร" in first
    talk.say(user, "เรื่องส่งตัวอย่างแคบหมูไปตรวจค่ะ")
    talk.say(user, "ข้าม")
    (question,) = talk.get(Question)
    assert "แคบหมู" in (question.text or "") and "เบอร์อะไร" not in (question.text or "")


def test_deleting_my_data_erases_it_frees_seats_and_keeps_only_counts(talk: Talk) -> None:
    workshop = talk.workshop(capacity=1)
    user, waiting = registered(talk, "สมศรี"), registered(talk, "มานพ")
    talk.tap(user, f"book:{workshop}:1")
    talk.tap(waiting, f"wait:{workshop}:1")
    asked = talk.say(user, "ลบข้อมูลของฉันทั้งหมดค่ะ")
    assert asked[0].kind == "confirm" and "erase:yes" in postbacks(asked)
    assert "ลบข้อมูลส่วนบุคคล" in visible(talk.tap(user, "erase:yes"))

    registration = next(r for r in talk.get(Registration) if r.erased_at is not None)
    assert (registration.enterprise_name, registration.phone, registration.contact_name, registration.user_id) == (
        None,
        None,
        None,
        None,
    )
    assert registration.category == "ceramics"
    (record,) = talk.get(ErasureRecord)
    assert (record.category, record.region, record.was_registered) == ("ceramics", "north", True)
    me = talk.get(LineUser, id=user)[0]
    assert me.consent_at is None
    assert {b.status for b in talk.get(Booking)} == {"cancelled", "confirmed"}  # the waiting user moved up
    assert talk.get(Workshop)[0].seats_taken == 1
    assert "ยังไม่ได้ลงทะเบียน" in visible(talk.say(user, "ข้อมูลของฉัน"))


def test_declining_to_delete_keeps_everything(talk: Talk) -> None:
    user = registered(talk)
    talk.say(user, "ลบข้อมูลของฉัน")
    assert "ไม่ได้ลบ" in visible(talk.tap(user, "erase:no"))
    assert talk.get(Registration)[0].phone == "0812345678"


def test_a_typed_yes_or_no_answers_the_yes_no_prompt_like_a_tap(talk: Talk) -> None:
    user = registered(talk)
    talk.say(user, "ลบข้อมูลของฉัน")
    assert "ไม่ได้ลบ" in visible(talk.say(user, "ไม่ค่ะ"))
    assert talk.get(Registration)[0].phone == "0812345678"
    talk.say(user, "ลบข้อมูลของฉัน")
    assert "ลบข้อมูลส่วนบุคคล" in visible(talk.say(user, "ใช่ค่ะ"))
    assert talk.get(Registration)[0].phone is None


def test_a_typed_yes_long_after_the_prompt_or_after_something_else_is_just_a_message(talk: Talk) -> None:
    user = registered(talk)
    talk.say(user, "ลบข้อมูลของฉัน")
    talk.say(user, "มีอบรมอะไรบ้าง")  # the owner moved on: the prompt no longer stands
    talk.say(user, "ใช่ค่ะ")
    assert talk.get(Registration)[0].phone == "0812345678"
