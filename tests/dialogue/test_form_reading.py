"""Inside a form every message is read for what it does: a yes, a no, a question, a stop, a correction.

Whole conversations with the real NLU and a real database, typed the way owners type on a phone
(particles, Thai digits, second thoughts). The wording here is our own.
"""

from __future__ import annotations

import pytest
from dialogue_helpers import registered
from dialogue_talk import Talk, postbacks, visible

from otopbot.models import Booking, ConversationState, LineUser, Question, Registration
from otopbot.replies import Card, Confirm


def _consent_prompt(talk: Talk) -> int:
    user = talk.follow()
    first = talk.say(user, "อยากลงทะเบียนเข้าโครงการครับ ทำกระดาษสาที่เชียงใหม่")
    assert postbacks(first)[-2:] == ["form:yes", "form:no"]
    return user


def _consented(talk: Talk, user: int) -> bool:
    return talk.get(LineUser, id=user)[0].consent_at is not None


@pytest.mark.parametrize(
    "question",
    [
        "ข้อมูลพวกนี้จะเก็บไว้กี่ปีคะ",
        "ใครจะเห็นเบอร์โทรของเราบ้างครับ",
        "ถ้าไม่อยากให้ชื่อจริงได้ไหมคะ",
        "เอาข้อมูลไปใช้ทำอะไรคะ?",
    ],
)
def test_a_question_about_data_at_the_consent_prompt_is_answered_and_never_taken_as_consent(
    talk: Talk, question: str
) -> None:
    user = _consent_prompt(talk)
    answer = talk.say(user, question)
    text = visible(answer)
    assert "วศ." in text and "กสอ." in text and "ลบข้อมูลของฉัน" in text  # who sees it, how to erase it
    assert isinstance(answer[-1], Confirm) and postbacks(answer)[-2:] == ["form:yes", "form:no"]
    assert not _consented(talk, user)
    (state,) = talk.get(ConversationState, user_id=user)
    assert state.form == "registration" and state.step == "consent"


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("ขอพาเพื่อนมาด้วยอีก ๓ คนได้มั้ยครับ", "5 ที่นั่ง"),
        ("สมัครแล้วเสียตังค์ไหมคะ ฟรีรึเปล่า", "ไม่มีค่าใช้จ่าย"),
        ("กรอกนานมั้ยครับ", "2 นาที"),
        ("ต้องเตรียมเอกสารอะไรไหมคะ", "ไม่ต้องใช้เอกสาร"),
    ],
)
def test_another_question_at_the_consent_prompt_gets_its_own_short_answer(
    talk: Talk, question: str, answered: str
) -> None:
    """Not the data-use answer to everything: the question's own answer, then the yes/no again (short)."""
    user = _consent_prompt(talk)
    answer = talk.say(user, question)
    text = visible(answer)
    assert answered in text and "ลบข้อมูลของฉัน" not in text
    assert len(answer) == 2 and isinstance(answer[-1], Confirm)
    assert not _consented(talk, user)


def test_a_question_about_workshops_at_the_consent_prompt_shows_them_then_asks_again(talk: Talk) -> None:
    talk.workshop()
    user = _consent_prompt(talk)
    answer = talk.say(user, "อบรมจัดที่ไหนบ้างคะ")
    assert isinstance(answer[-1], Confirm) and "ลบข้อมูลของฉัน" not in visible(answer)
    assert any(p.startswith("book:") for p in postbacks(answer))
    assert "เก็บอะไร" not in visible(answer)  # the privacy notice is not repeated in full
    assert not _consented(talk, user)


@pytest.mark.parametrize("yes", ["ยินยอมค่ะ", "ตกลงครับ", "ได้ค่ะ", "โอเค", "ใช่ครับ"])
def test_only_a_clear_yes_records_consent(talk: Talk, yes: str) -> None:
    user = _consent_prompt(talk)
    assert "ชื่ออะไร" in visible(talk.say(user, yes))
    assert _consented(talk, user)


@pytest.mark.parametrize("unclear", ["เอาไงดีล่ะ", "ได้ยินว่ามีอบรมด้วย", "ขอคิดดูก่อนนะ", "อืมมม"])
def test_anything_else_at_the_consent_prompt_asks_again_without_consent(talk: Talk, unclear: str) -> None:
    user = _consent_prompt(talk)
    talk.say(user, unclear)
    assert not _consented(talk, user)
    (state,) = talk.get(ConversationState, user_id=user)
    assert state.form in ("registration", None)


@pytest.mark.parametrize("no", ["ไม่ยินยอมค่ะ", "ไม่ค่ะ"])
def test_a_typed_no_declines_and_stores_nothing(talk: Talk, no: str) -> None:
    user = _consent_prompt(talk)
    assert "ไม่มีการเก็บข้อมูล" in visible(talk.say(user, no))
    assert not _consented(talk, user) and talk.get(Registration) == []
    (state,) = talk.get(ConversationState, user_id=user)
    assert state.form is None


def _at_products(talk: Talk) -> int:
    user = talk.follow()
    talk.say(user, "สมัครเข้าร่วมโครงการค่ะ")
    talk.say(user, "ยินยอมค่ะ")
    talk.say(user, "กลุ่มแม่บ้านดอนแก้วค่ะ")
    talk.say(user, "เป็นวิสาหกิจชุมชนค่ะ")
    talk.say(user, "ข้ามค่ะ")
    talk.say(user, "เชียงใหม่ค่ะ")
    asked = visible(talk.say(user, "อาหารแปรรูป"))
    assert "ผลิตภัณฑ์หลัก" in asked
    return user


def test_a_correction_mid_form_changes_that_field_and_asks_the_same_question_again(talk: Talk) -> None:
    user = _at_products(talk)
    answer = visible(talk.say(user, "อุ๊ย โทษทีค่ะ จังหวัดไม่ใช่ จังหวัดผิด จริงๆ อยู่ลำปางค่ะ"))
    assert "แก้จังหวัดเป็น ลำปาง แล้วค่ะ" in answer and "ผลิตภัณฑ์หลัก" in answer
    talk.say(user, "แคบหมูค่ะ")
    talk.say(user, "สมพงษ์ครับ")
    talk.say(user, "๐๙๑-๒๒๒-๓๓๔๔")
    talk.tap(user, "form:testing")
    summary = visible(talk.tap(user, "form:__done"))
    assert "จังหวัด: ลำปาง" in summary and "ผลิตภัณฑ์หลัก: แคบหมู" in summary  # nothing shifted
    assert "ชื่อผู้ติดต่อ: สมพงษ์" in summary and "เบอร์โทร: 0912223344" in summary


def test_corrections_at_the_summary_change_the_named_field_and_show_it_again(talk: Talk) -> None:
    user = _at_products(talk)
    for step in ("แคบหมู", "สมพงษ์", "0912223344", "มาตรฐานค่ะ", "เสร็จแล้วค่ะ"):
        talk.say(user, step)
    province = talk.say(user, "ขอแก้จังหวัดเป็นลำพูนค่ะ")
    assert "แก้จังหวัดเป็น ลำพูน แล้วค่ะ" in visible(province) and isinstance(province[-1], Card)
    assert "จังหวัด: ลำพูน" in visible(province)
    assert "เบอร์โทร: 0865551212" in visible(talk.say(user, "เบอร์ผิดค่ะ ขอแก้เป็น ๐๘๖ ๕๕๕ ๑๒๑๒"))
    category = visible(talk.say(user, "หมวดผิดครับ จริงๆ เป็นเซรามิก"))
    assert "แก้หมวด OTOP เป็น เซรามิก แล้วค่ะ" in category and "หมวด OTOP: เซรามิก" in category
    assert "ชื่อผู้ติดต่อ: สมหญิง" in visible(talk.say(user, "ชื่อผิดค่ะ จริงๆชื่อสมหญิงค่ะ"))
    talk.say(user, "ยืนยันค่ะ")
    (saved,) = talk.get(Registration)
    assert (saved.province, saved.phone, saved.category, saved.contact_name) == (
        "ลำพูน",
        "0865551212",
        "ceramics",
        "สมหญิง",
    )


def test_the_summary_offers_confirm_and_change_once(talk: Talk) -> None:
    user = _at_products(talk)
    for step in ("แคบหมู", "สมพงษ์", "0912223344", "มาตรฐาน", "เสร็จ"):
        talk.say(user, step)
    shown = postbacks(talk.say(user, "ดูอีกทีค่ะ"))
    assert shown.count("form:__confirm") == 1 and shown.count("form:__edit") == 1


def test_answers_are_stored_clean_and_a_phone_is_not_a_name(talk: Talk) -> None:
    user = talk.follow()
    talk.say(user, "ลงทะเบียนค่ะ กลุ่มเราอยู่ อ.สันกำแพง เชียงใหม่ ทำอาหาร")
    talk.say(user, "ได้ค่ะ")
    talk.say(user, "วิสาหกิจชุมชนบ้านดอนค่ะ")
    assert "ผลิตภัณฑ์หลัก" in visible(talk.say(user, "ทำคนเดียวค่ะ"))  # province and category came first
    talk.say(user, "ทำน้ำพริกตาแดงค่ะ")
    taken = visible(talk.say(user, "๐๘๑๒๓๔๕๖๗๘"))  # a phone typed at the name question
    assert "0812345678" in taken and "ชื่อ" in taken
    assert "ชื่อ" in visible(talk.say(user, "12345"))  # digits alone are not a name
    summary = visible(talk.say(user, "นางสาวคะนึงนิจ ครับผม"))
    assert "ความช่วยเหลือ" in summary  # the phone question was not asked again
    talk.say(user, "บรรจุภัณฑ์")
    summary = visible(talk.say(user, "เสร็จ"))
    assert "อำเภอ: สันกำแพง" in summary
    talk.tap(user, "form:__confirm")
    (saved,) = talk.get(Registration)
    assert saved.enterprise_name == "วิสาหกิจชุมชนบ้านดอน" and saved.products == "น้ำพริกตาแดง"
    assert saved.contact_name == "นางสาวคะนึงนิจ" and saved.phone == "0812345678"
    assert saved.district == "สันกำแพง" and saved.province == "เชียงใหม่"


def test_an_answer_that_sounds_like_a_standards_topic_is_kept_not_sent_to_staff(talk: Talk) -> None:
    user = talk.follow()
    talk.say(user, "สมัครค่ะ ทำอาหารแปรรูปที่พิษณุโลก")
    talk.say(user, "ยินยอม")
    talk.say(user, "กลุ่มแม่บ้านทุ่งทอง")
    assert "ประเภท" in visible(talk.say(user, "การตลาด กับ มาตรฐาน"))  # at the type question: asked again
    talk.tap(user, "form:sme")
    assert "ผู้ติดต่อ" in visible(talk.say(user, "การตลาด กับ มาตรฐาน"))  # at the products question: kept
    assert talk.get(Question) == []


@pytest.mark.parametrize("bare", ["ยืนยันค่ะ", "โอเค", "ไม่ใช่"])
def test_a_bare_yes_or_no_is_never_stored_as_a_name(talk: Talk, bare: str) -> None:
    user = talk.follow()
    talk.say(user, "ลงทะเบียนค่ะ")
    talk.say(user, "ยินยอมค่ะ")
    again = visible(talk.say(user, bare))  # at the enterprise-name question
    assert "ชื่อ" in again and "ประเภท" not in again
    assert "ประเภท" in visible(talk.say(user, "กลุ่มจักสานบ้านหนองแขม"))


@pytest.mark.parametrize("bad", ["0812", "1234567890", "๐๑๒๓๔๕๖๗๘๙"])
def test_a_phone_that_is_not_a_thai_number_is_asked_again(talk: Talk, bad: str) -> None:
    user = _at_products(talk)
    talk.say(user, "แคบหมู")
    talk.say(user, "สมพงษ์")
    assert "081 234 5678" in visible(talk.say(user, bad))
    assert "ความช่วยเหลือ" in visible(talk.say(user, "02-201-7000"))  # a Bangkok landline is fine


@pytest.mark.parametrize(
    "stop", ["ไม่เอาแล้วครับ ยกเลิกก่อน", "พอก่อนนะคะ", "ไว้ทีหลังค่ะ", "เลิกๆ ไม่ทำแล้ว", "ไว้วันหลังนะคะ", "ยังไม่สะดวกค่ะ ไว้คราวหน้า"]
)
def test_a_stop_phrase_anywhere_leaves_the_form(talk: Talk, stop: str) -> None:
    user = _at_products(talk)
    answer = visible(talk.say(user, stop))
    assert "หยุด" in answer
    (state,) = talk.get(ConversationState, user_id=user)
    assert state.form is None and talk.get(Registration) == []


@pytest.mark.parametrize("pause", ["พอก่อนนะคะ", "เดี๋ยวค่อยมาทำต่อค่ะ ตอนนี้ขายของอยู่"])
def test_a_pause_keeps_the_answers_and_registering_again_goes_on_from_them(talk: Talk, pause: str) -> None:
    user = _at_products(talk)
    assert "เก็บไว้ให้" in visible(talk.say(user, pause))
    assert "กลุ่มแม่บ้านดอนแก้ว" in visible(talk.say(user, "ข้อมูลของฉัน"))  # what is kept is shown
    resumed = visible(talk.say(user, "ลงทะเบียนต่อค่ะ"))
    assert "ผลิตภัณฑ์หลัก" in resumed and "ชื่ออะไร" not in resumed


@pytest.mark.parametrize("quit_words", ["ไม่สมัครแล้วค่ะ", "เลิกๆ ไม่ทำแล้ว"])
def test_giving_the_form_up_keeps_nothing(talk: Talk, quit_words: str) -> None:
    user = _at_products(talk)
    assert "หยุดให้แล้ว" in visible(talk.say(user, quit_words))
    assert "กลุ่มแม่บ้านดอนแก้ว" not in visible(talk.say(user, "ข้อมูลของฉัน"))
    assert "ชื่ออะไร" in visible(talk.say(user, "ลงทะเบียนค่ะ"))


def test_erasing_my_data_deletes_a_paused_registration_too(talk: Talk) -> None:
    user = _at_products(talk)
    talk.say(user, "ไว้ทีหลังค่ะ")
    talk.say(user, "ลบข้อมูลของฉันค่ะ")
    talk.say(user, "ใช่ ลบเลยค่ะ")
    assert "กลุ่มแม่บ้านดอนแก้ว" not in visible(talk.say(user, "ข้อมูลของฉัน"))
    assert "ยินดีต้อนรับกลับ" not in visible(talk.say(user, "ลงทะเบียนค่ะ"))  # consent asked again, from scratch


@pytest.mark.parametrize("said", ["เป็นกลุ่มแม่บ้านค่ะ ยังไม่ได้จดทะเบียน", "กลุ่มค่ะ ยังไม่มีเลขทะเบียน"])
def test_a_group_not_registered_yet_is_not_asked_for_its_number(talk: Talk, said: str) -> None:
    user = talk.follow()
    talk.say(user, "สมัครค่ะ")
    talk.say(user, "ยินยอมค่ะ")
    talk.say(user, "กลุ่มแม่บ้านหนองบัวค่ะ")
    answer = visible(talk.say(user, said))
    assert "จังหวัด" in answer and "ทะเบียนวิสาหกิจชุมชนไหม" not in answer


def test_cancel_means_a_booking_only_when_no_form_is_active(talk: Talk) -> None:
    user = registered(talk)
    workshop = talk.workshop()
    talk.tap(user, f"book:{workshop}")
    assert "หยุดให้แล้ว" in visible(talk.say(user, "ยกเลิกค่ะ"))  # leaves the seats question
    assert talk.get(Booking) == []
    talk.tap(user, f"book:{workshop}:2")
    assert "ยกเลิก" in visible(talk.say(user, "ยกเลิกการจองค่ะ"))
    assert "ยกเลิกการจอง" in visible(talk.say(user, "ใช่ครับ ยกเลิกได้เลย"))
    (booking,) = talk.get(Booking)
    assert booking.status == "cancelled"


def test_a_question_mid_form_is_never_an_answer(talk: Talk) -> None:
    user = _at_products(talk)
    talk.say(user, "แคบหมู")
    talk.say(user, "ต้องใส่ชื่อจริงไหมคะ")
    (state,) = talk.get(ConversationState, user_id=user)
    assert state.step == "contact_name" and "contact_name" not in state.slots


def test_a_standards_question_mid_form_is_answered_then_the_question_asked_again(talk: Talk) -> None:
    user = _at_products(talk)
    answer = visible(talk.say(user, "ขอ มผช. แคบหมูต้องทำยังไงคะ"))
    assert "ผลิตภัณฑ์หลัก" in answer.splitlines()[-2] or "ผลิตภัณฑ์หลัก" in answer
    (state,) = talk.get(ConversationState, user_id=user)
    assert state.step == "products"


@pytest.mark.parametrize(
    ("reply", "erased"),
    [
        ("ค่ะ ลบเลย", True),
        ("ใช่ครับ ลบได้เลย", True),
        ("ยืนยันค่ะ", True),
        ("ไม่ลบค่ะ เก็บไว้ก่อน", False),
        ("ไม่ดีกว่าครับ", False),
        ("ลบได้เลยครับ ไม่ต้องเก็บไว้", True),
        ("อย่าลบนะคะ", False),
        ("ไม่ต้องลบค่ะ", False),
        ("เปลี่ยนใจแล้วค่ะ", False),
        ("ยกเลิกค่ะ", False),
    ],
)
def test_a_yes_or_no_inside_a_sentence_answers_the_delete_prompt(talk: Talk, reply: str, erased: bool) -> None:
    user = registered(talk)
    talk.say(user, "ลบข้อมูลของฉันทั้งหมด")
    talk.say(user, reply)
    assert (talk.get(Registration)[0].phone is None) is erased


def test_a_question_at_the_delete_prompt_asks_again_and_deletes_nothing(talk: Talk) -> None:
    user = registered(talk)
    talk.say(user, "ลบข้อมูลของฉันทั้งหมด")
    again = talk.say(user, "ลบแล้วกู้คืนได้ไหมคะ")
    assert isinstance(again[-1], Confirm) and "erase:yes" in postbacks(again)
    assert talk.get(Registration)[0].phone == "0812345678"
    talk.say(user, "ได้ค่ะ")
    assert talk.get(Registration)[0].phone is None


def test_a_request_for_staff_is_kept_as_typed_and_the_phone_asked_separately(talk: Talk) -> None:
    user = talk.follow()
    talk.say(user, "ขอคุยกับเจ้าหน้าที่หน่อยค่ะ")
    request = "  แกงไตปลาแห้งของเราต้องขอ อย. ไหมคะ ถ้าจะส่งขายร้านกาแฟ  "
    asked = visible(talk.say(user, request))
    assert "เบอร์" in asked and "ข้าม" in asked
    assert "081 234 5678" in visible(talk.say(user, "เบอร์ 123"))
    talk.say(user, "๐๘๙-๗๗๗-๖๖๖๕ ค่ะ")
    (question,) = talk.get(Question)
    assert question.text == request.strip() and question.phone == "0897776665"
    assert question.kind == "contact"


def test_a_request_for_staff_may_mention_cancelling_and_the_phone_may_be_skipped(talk: Talk) -> None:
    user = talk.follow()
    talk.tap(user, "menu:contact")
    talk.say(user, "อยากยกเลิกการจองแต่กดไม่ได้ค่ะ")
    talk.tap(user, "form:__skip")
    (question,) = talk.get(Question)
    assert question.text == "อยากยกเลิกการจองแต่กดไม่ได้ค่ะ" and question.phone is None


def test_a_negated_choice_word_is_not_a_choice_and_details_given_early_are_kept(talk: Talk) -> None:
    user = talk.follow()
    talk.say(user, "อยากสมัครโครงการค่ะ")
    talk.say(user, "ได้ค่ะ")
    talk.say(user, "ร้านยายทองขนมไทยค่ะ")
    asked = visible(talk.say(user, "เป็นร้านค้าค่ะ ไม่ได้เป็นกลุ่ม"))
    assert "จังหวัด" in asked and "เลขทะเบียน" not in asked  # SME: no community-enterprise number
    talk.say(user, "อยู่ อำเภอแม่ริม จังหวัดเชียงใหม่ค่ะ")
    noted = visible(talk.say(user, "ไม่ใช่เชียงใหม่ค่ะ ลำพูนค่ะ"))
    assert "แก้จังหวัดเป็น ลำพูน แล้วค่ะ" in noted
    assert "แก้ชื่อกิจการเป็น ร้านยายทอง แล้วค่ะ" in visible(talk.say(user, "ชื่อร้านผิดค่ะ ที่ถูกคือ ร้านยายทอง"))
    (state,) = talk.get(ConversationState, user_id=user)
    assert state.slots["enterprise_name"] == "ร้านยายทอง" and state.slots["enterprise_type"] == "sme"
    assert state.slots["province"] == "ลำพูน" and "district" not in state.slots  # แม่ริม is not in ลำพูน


def test_a_province_given_at_another_question_is_noted_and_not_asked_again(talk: Talk) -> None:
    user = talk.follow()
    talk.say(user, "อยากสมัครโครงการค่ะ")
    talk.say(user, "ได้ค่ะ")
    talk.say(user, "ร้านยายทองขนมไทยค่ะ")
    talk.tap(user, "form:individual")
    again = visible(talk.say(user, "ทำขนมไทยค่ะ"))  # not a province: the category is noted, the question stays
    assert "อาหารแปรรูป" in again and "จังหวัด" in again
    noted = visible(talk.say(user, "อยู่ที่ อ.บางคนที สมุทรสงครามค่ะ"))
    assert "บางคนที" in noted and "ผลิตภัณฑ์หลัก" in noted  # category not asked: it was noted
    (state,) = talk.get(ConversationState, user_id=user)
    assert (state.slots["province"], state.slots["district"], state.slots["category"]) == (
        "สมุทรสงคราม",
        "บางคนที",
        "food",
    )


def test_a_correction_without_the_word_wrong_still_names_the_field(talk: Talk) -> None:
    user = _at_products(talk)
    answer = visible(talk.say(user, "อ้าว จังหวัดไม่ถูกค่ะ ต้องเป็นสุโขทัย"))
    assert "แก้จังหวัดเป็น สุโขทัย แล้วค่ะ" in answer and "ผลิตภัณฑ์หลัก" in answer


def test_an_owner_who_prefers_line_chat_skips_the_phone_in_words(talk: Talk) -> None:
    user = talk.follow()
    talk.tap(user, "menu:contact")
    talk.say(user, "สอบถามเรื่องส่งตรวจเซรามิกค่ะ")
    done = visible(talk.say(user, "ไม่สะดวกให้เบอร์ค่ะ คุยในไลน์ได้เลย"))
    assert "1 วันทำการ" in done
    (question,) = talk.get(Question)
    assert question.text == "สอบถามเรื่องส่งตรวจเซรามิกค่ะ" and question.phone is None


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("หจก. ค่ะ", "sme"),
        ("เป็นร้านค้าปลีกครับ", "sme"),
        ("ผลิตคนเดียวค่ะ", "individual"),
        ("กลุ่มแม่บ้านค่ะ", "community_enterprise"),
    ],
)
def test_the_kind_of_enterprise_is_understood_as_typed(talk: Talk, typed: str, kind: str) -> None:
    user = talk.follow()
    talk.say(user, "ขอสมัครค่ะ")
    talk.say(user, "ตกลงค่ะ")
    talk.say(user, "ร้านขนมบ้านสวน")
    talk.say(user, typed)
    (state,) = talk.get(ConversationState, user_id=user)
    assert state.slots["enterprise_type"] == kind


def test_asking_for_staff_in_the_middle_of_registering_leaves_for_the_staff_request(talk: Talk) -> None:
    user = talk.follow()
    talk.say(user, "ขอสมัครค่ะ")
    talk.say(user, "ตกลงค่ะ")
    asked = visible(talk.say(user, "ขอคุยกับเจ้าหน้าที่หน่อยได้ไหมคะ"))
    assert "เจ้าหน้าที่" in asked
    (state,) = talk.get(ConversationState, user_id=user)
    assert state.form == "contact" and talk.get(Registration) == []


def test_an_english_speaker_gets_the_same_reading(talk: Talk) -> None:
    user = talk.follow(language="en")
    talk.say(user, "I'd like to register please")
    answer = visible(talk.say(user, "who will see my data?"))
    assert "DSS" in answer and not _consented(talk, user)
    talk.say(user, "ok, I agree")
    for step in ("Baan Don Pottery", "SME", "Lampang", "ceramics", "bowls and vases"):
        talk.say(user, step)
    noted = visible(talk.say(user, "my name is Somchai, phone 0812345678"))
    assert "Somchai" in noted and "0812345678" in noted
    (state,) = talk.get(ConversationState, user_id=user)
    assert state.slots["contact_name"] == "Somchai" and state.slots["phone"] == "0812345678"
    assert "stopped" in visible(talk.say(user, "later"))
    (state,) = talk.get(ConversationState, user_id=user)
    assert state.form is None
