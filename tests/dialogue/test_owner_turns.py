"""Turns that broke whole owner conversations (tests/conversations/owners-*.yml), one rule each.

Products typed at the category question are kept, a question in the middle of the registration
gets the form's own short answer, "จองอันนี้" books the one workshop just shown, a filter said
without naming workshops again leans on the last search, a registered owner changes a detail in
one sentence, and other agencies' registrations are never ours. The wording is our own.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from dialogue_helpers import registered
from dialogue_talk import Talk, postbacks, visible

from otopbot.models import Booking, ConversationState, LineUser, Registration
from otopbot.replies import Card, Carousel, Confirm


def _at_category(talk: Talk) -> int:
    user = talk.follow()
    for text in ("สมัครค่ะ", "ยินยอมค่ะ", "ร้านของฝากป้าจันทร์", "SME ค่ะ", "พิษณุโลกค่ะ"):
        talk.say(user, text)
    return user


def _slots(talk: Talk, user: int) -> dict:
    (state,) = talk.get(ConversationState, user_id=user)
    return dict(state.slots or {})


@pytest.mark.parametrize(
    ("answer", "products"),
    [
        ("ทำน้ำพริกกับแคบหมูค่ะ", "น้ำพริกกับแคบหมู"),
        ("ขายกล้วยตากจ้า", "กล้วยตาก"),
        ("อาหารแปรรูปค่ะ พวกทุเรียนกวน", "พวกทุเรียนกวน"),
    ],
)
def test_products_typed_at_the_category_question_are_kept_and_not_asked_again(
    talk: Talk, answer: str, products: str
) -> None:
    user = _at_category(talk)
    replies = visible(talk.say(user, answer))
    slots = _slots(talk, user)
    assert slots["category"] == "food" and slots["products"] == products
    assert products in replies and "ผลิตภัณฑ์หลักของกิจการคืออะไร" not in replies


@pytest.mark.parametrize("answer", ["อาหารแปรรูปค่ะ", "หมวดอาหาร", "อาหารแปรูป"])
def test_a_category_name_alone_leaves_the_products_question(talk: Talk, answer: str) -> None:
    user = _at_category(talk)
    assert "ผลิตภัณฑ์หลัก" in visible(talk.say(user, answer))
    assert "products" not in _slots(talk, user)


def test_a_product_of_another_category_is_not_taken_for_the_products(talk: Talk) -> None:
    """ "แจกันแก้ว" is glass; without แก้ว, แจกัน alone would read as ceramics: not a product of glass."""
    user = _at_category(talk)
    talk.say(user, "แจกันแก้วค่ะ")
    slots = _slots(talk, user)
    assert slots["category"] == "glass" and "products" not in slots


def test_a_question_mid_form_gets_the_forms_answer_and_the_same_question(talk: Talk) -> None:
    user = _at_category(talk)
    replies = talk.say(user, "สมัครแล้วมีค่าใช้จ่ายไหมครับ")
    assert "ไม่มีค่าใช้จ่าย" in visible(replies) and "หมวด OTOP" in visible(replies[-1:])
    (state,) = talk.get(ConversationState, user_id=user)
    assert state.step == "category"


def test_a_question_at_the_summary_gets_the_forms_answer_and_the_summary_again(talk: Talk) -> None:
    user = _at_category(talk)
    for text in ("ขนมเปี๊ยะ", "อาหารแปรรูป", "จันทร์เพ็ญ", "0812223344"):
        talk.say(user, text)
    talk.tap(user, "form:production")
    talk.tap(user, "form:__done")
    replies = talk.say(user, "ยืนยันแล้วทำอะไรต่อคะ")
    assert "คัดเลือก" in visible(replies) and isinstance(replies[-1], Card)
    assert talk.get(Registration) == []


@pytest.mark.parametrize("text", ["ขอเปลี่ยนจังหวัดเป็นชัยนาทค่ะ", "จังหวัดขอเปลี่ยนเป็นชัยนาทค่ะ"])
def test_a_correction_glued_to_เป็น_is_still_a_correction(talk: Talk, text: str) -> None:
    user = _at_category(talk)
    replies = visible(talk.say(user, text))
    assert "ชัยนาท" in replies and _slots(talk, user)["province"] == "ชัยนาท"
    (state,) = talk.get(ConversationState, user_id=user)
    assert state.step == "category"


@pytest.mark.parametrize("later", ["เดี๋ยวมาทำต่อนะคะ", "ขอคิดดูก่อนนะครับ", "ไว้ค่อยมากรอกนะ"])
def test_saying_later_leaves_the_form(talk: Talk, later: str) -> None:
    user = _at_category(talk)
    talk.say(user, later)
    (state,) = talk.get(ConversationState, user_id=user)
    assert state.form is None


def test_booking_the_one_workshop_just_shown_by_typing(talk: Talk) -> None:
    talk.workshop()
    user = registered(talk)
    talk.say(user, "มีอบรมที่ลำปางไหมคะ")
    replies = talk.say(user, "จองอันนี้ค่ะ ๒ ที่", at=talk.now + timedelta(minutes=1))
    (booking,) = talk.get(Booking)
    assert booking.seats == 2 and booking.code in visible(replies)


def test_booking_by_typing_after_several_workshops_shows_them_to_choose(talk: Talk) -> None:
    talk.workshop("W1")
    talk.workshop("W2", days=20, title="การออกแบบเซรามิกของที่ระลึก")
    user = registered(talk)
    talk.say(user, "มีอบรมที่ลำปางไหมคะ")
    replies = talk.say(user, "จองอันนี้ค่ะ", at=talk.now + timedelta(minutes=1))
    assert talk.get(Booking) == [] and any(isinstance(r, Carousel) for r in replies)


def test_a_period_said_alone_after_a_search_keeps_its_category(talk: Talk) -> None:
    talk.workshop("CER", days=40, category="ceramics", title="เซรามิกเดือนหน้า")
    talk.workshop("RUB", days=40, category="rubber", province="ตรัง", region="south", title="ยางเดือนหน้า")
    user = talk.follow()
    talk.say(user, "อบรมเซรามิกมีไหมคะ")
    replies = talk.say(user, "เดือนหน้ามีไหมคะ", at=talk.now + timedelta(minutes=2))
    titles = [c.title for r in replies if isinstance(r, Carousel) for c in r.cards]
    assert titles == ["เซรามิกเดือนหน้า"]


def test_a_registered_owner_changes_the_phone_in_one_sentence(talk: Talk) -> None:
    user = registered(talk)
    replies = talk.say(user, "ขอเปลี่ยนเบอร์โทรเป็น ๐๘๙๙๙๙๑๒๓๔ ค่ะ")
    assert "0899991234" in visible(replies) and "form:__confirm" not in postbacks(replies)
    (registration,) = talk.get(Registration)
    assert registration.phone == "0899991234"  # saved as said: leaving now loses nothing
    assert talk.get(LineUser, id=user)[0].consent_at is not None


@pytest.mark.parametrize(
    ("text", "scheme"),
    [
        ("กองทุนหมู่บ้านสมัครยังไงครับ", "กองทุนหมู่บ้าน"),
        ("ขอสมัครโครงการของกระทรวงเกษตรค่ะ", "กระทรวงเกษตร"),
        ("ขึ้นทะเบียน สสว. ที่นี่ได้ไหมครับ", "สสว."),
    ],
)
def test_other_agencies_registrations_are_not_ours(talk: Talk, text: str, scheme: str) -> None:
    user = talk.follow()
    replies = talk.say(user, text)
    assert scheme in visible(replies) and "form:yes" not in postbacks(replies)


def test_a_question_about_the_erase_prompt_shows_the_prompt_again(talk: Talk) -> None:
    user = registered(talk)
    talk.say(user, "ลบข้อมูลของฉันทั้งหมดค่ะ")
    replies = talk.say(user, "ถ้าลบแล้วการจองจะหายด้วยไหมคะ")
    assert isinstance(replies[-1], Confirm) and "การจอง" in replies[-1].text
    assert talk.get(Registration) != []


def test_details_after_the_name_go_to_their_own_questions(talk: Talk) -> None:
    user = talk.follow()
    talk.say(user, "ลงทะเบียนค่ะ")
    talk.say(user, "ยอมรับค่ะ")
    replies = visible(talk.say(user, "กลุ่มแม่บ้านบ้านหนองแก ทำข้าวแต๋น อยู่ลำปางค่ะ"))
    slots = _slots(talk, user)
    assert slots["enterprise_name"] == "กลุ่มแม่บ้านบ้านหนองแก"
    assert (slots["products"], slots["category"], slots["province"]) == ("ข้าวแต๋น", "food", "ลำปาง")
    assert "ข้าวแต๋น" in replies and "ประเภทใด" in replies


def test_products_in_the_first_message_are_kept_but_a_question_is_not_a_product(talk: Talk) -> None:
    user = talk.follow()
    talk.say(user, "สมัครค่ะ ทำน้ำพริกเผา อยู่ขอนแก่น")
    assert _slots(talk, user).get("products") == "น้ำพริกเผา"
    other = talk.follow()
    talk.say(other, "อยากลงทะเบียน ทำยังไงคะ")
    assert "products" not in _slots(talk, other)
    glued = talk.follow()
    talk.say(glued, "ลงทะเบียนค่ะ ทำน้ำพริกอยู่ อ.สันกำแพง เชียงใหม่")
    slots = _slots(talk, glued)
    assert (slots["products"], slots["district"], slots["province"]) == ("น้ำพริก", "สันกำแพง", "เชียงใหม่")
    for category_only in ("สมัครค่ะ ทำเซรามิกที่ลำปาง", "ลงทะเบียนค่ะ กลุ่มเราอยู่ อ.สันกำแพง เชียงใหม่ ทำอาหาร"):
        owner = talk.follow()
        talk.say(owner, category_only)
        assert "products" not in _slots(talk, owner)  # a category is not a product


@pytest.mark.parametrize("no", ["ไม่สะดวกให้ข้อมูลค่ะ", "ไม่อยากให้ข้อมูลครับ", "ไม่สนใจแล้วค่ะ"])
def test_a_polite_no_at_the_consent_question_declines(talk: Talk, no: str) -> None:
    user = talk.follow()
    talk.say(user, "ลงทะเบียนค่ะ")
    assert "form:yes" not in postbacks(talk.say(user, no))
    assert talk.get(LineUser, id=user)[0].consent_at is None


def test_another_option_of_an_earlier_choice_corrects_it(talk: Talk) -> None:
    user = _at_category(talk)  # answered SME
    replies = visible(talk.say(user, "ไม่ใช่ SME ค่ะ เป็นวิสาหกิจชุมชน"))
    assert _slots(talk, user)["enterprise_type"] == "community_enterprise"
    assert "เลขทะเบียนวิสาหกิจชุมชน" in replies  # the question that now applies


def test_a_category_said_alone_after_a_search_is_a_follow_up_not_a_request_for_staff(talk: Talk) -> None:
    talk.workshop("CM", province="เชียงใหม่", category="paper", title="กระดาษสาเชียงใหม่")
    talk.workshop("RB", province="ตรัง", region="south", category="rubber", title="ยางพาราตรัง")
    user = talk.follow()
    talk.say(user, "อบรมที่เชียงใหม่มีอะไรบ้างคะ")
    replies = talk.say(user, "มีเรื่องยางไหมคะ", at=talk.now + timedelta(minutes=3))
    titles = [c.title for r in replies if isinstance(r, Carousel) for c in r.cards]
    assert "ยางพาราตรัง" in titles
    (state,) = talk.get(ConversationState, user_id=user)
    assert state.form is None


def test_the_seats_question_shows_the_place_and_answers_a_cost_question(talk: Talk) -> None:
    workshop = talk.workshop()
    user = registered(talk)
    shown = visible(talk.tap(user, f"book:{workshop}"))
    assert "📍 ศูนย์เซรามิกลำปาง" in shown
    replies = talk.say(user, "ต้องเสียค่าอบรมไหมคะ")
    assert "ไม่มีค่าใช้จ่าย" in visible(replies) and "กี่ที่นั่ง" in visible(replies[-1:])


def test_naming_the_contact_field_to_change_is_a_change_not_a_request_for_staff(talk: Talk) -> None:
    user = _at_category(talk)
    for text in ("อาหารแปรรูป", "ขนมเปี๊ยะ", "จันทร์เพ็ญ", "0812223344"):
        talk.say(user, text)
    talk.tap(user, "form:production")
    talk.tap(user, "form:__done")
    replies = visible(talk.say(user, "ขอแก้ชื่อผู้ติดต่อค่ะ"))
    assert "ผู้ติดต่อชื่ออะไร" in replies
    (state,) = talk.get(ConversationState, user_id=user)
    assert state.form == "registration" and state.step == "contact_name"


def test_what_happens_without_agreeing_is_answered_at_the_consent_question(talk: Talk) -> None:
    user = talk.follow()
    talk.say(user, "สมัครจ้า")
    replies = talk.say(user, "ถ้าไม่ยินยอมจะจองอบรมได้ไหมคะ")
    assert "การจองที่นั่งต้องลงทะเบียน" in visible(replies) and isinstance(replies[-1], Confirm)
