"""Registering interest: consent first, slots pre-filled from the first message, summary and correction."""

from __future__ import annotations

from dialogue_talk import Talk, postbacks, visible

from otopbot.models import ConversationState, LineUser, Registration


def _register_until_summary(talk: Talk, user: int) -> None:
    talk.say(user, "อยากสมัครเข้าร่วมโครงการค่ะ ทำเซรามิกที่ลำปาง")
    talk.tap(user, "form:yes")
    talk.say(user, "วิสาหกิจชุมชนเครื่องปั้นดินเผาบ้านมอญ")
    talk.tap(user, "form:community_enterprise")
    talk.say(user, "ข้าม")
    talk.say(user, "ชามตราไก่ แจกันดินเผา")
    talk.say(user, "สมศรี ใจดี")
    talk.say(user, "๐๘๑-๒๓๔-๕๖๗๘")
    talk.say(user, "บรรจุภัณฑ์ กับ มาตรฐาน")


def test_registration_asks_for_consent_first_and_prefills_what_was_said(talk: Talk) -> None:
    user = talk.follow()
    first = talk.say(user, "อยากสมัครเข้าร่วมโครงการค่ะ ทำเซรามิกที่ลำปาง")
    assert "ข้อมูลส่วนบุคคล" in visible(first)
    assert postbacks(first)[-2:] == ["form:yes", "form:no"]
    talk.tap(user, "form:yes")
    talk.say(user, "วิสาหกิจชุมชนเครื่องปั้นดินเผาบ้านมอญ")
    talk.tap(user, "form:community_enterprise")
    after_skip = visible(talk.say(user, "ข้าม"))
    assert "ผลิตภัณฑ์หลัก" in after_skip  # province and category were not asked: ลำปาง, เซรามิก came first
    assert (consented := talk.get(LineUser, id=user)[0].consent_at) is not None and consented == talk.now


def test_registration_summary_can_be_corrected_before_it_is_saved(talk: Talk) -> None:
    user = talk.follow()
    _register_until_summary(talk, user)
    summary = visible(talk.tap(user, "form:__done"))
    assert "ลำปาง" in summary and "เซรามิก" in summary and "0812345678" in summary
    assert talk.get(Registration) == []
    fields = talk.tap(user, "form:__edit")
    assert "form:__edit:province" in postbacks(fields)
    talk.tap(user, "form:__edit:province")
    corrected = visible(talk.say(user, "ย้ายไปอยู่เชียงใหม่แล้วค่ะ"))
    assert "เชียงใหม่" in corrected and "จังหวัด: ลำปาง" not in corrected
    done = visible(talk.tap(user, "form:__confirm"))
    assert "รอ กสอ. พิจารณา" in done
    (registration,) = talk.get(Registration)
    assert (registration.province, registration.region, registration.category) == ("เชียงใหม่", "north", "ceramics")
    assert registration.status == "pending" and registration.phone == "0812345678"
    assert registration.help_wanted.split(",") == ["standards", "packaging"]
    assert registration.ce_number is None and registration.enterprise_type == "community_enterprise"


def test_declining_consent_stores_nothing_and_says_how_to_come_back(talk: Talk) -> None:
    user = talk.follow()
    talk.say(user, "ลงทะเบียนค่ะ ทำน้ำพริกอยู่ที่ขอนแก่น เบอร์ 0891234567")
    answer = visible(talk.tap(user, "form:no"))
    assert "ไม่มีการเก็บข้อมูล" in answer and "ลงทะเบียน" in answer
    assert talk.get(Registration) == []
    assert talk.get(LineUser, id=user)[0].consent_at is None
    (state,) = talk.get(ConversationState, user_id=user)
    assert state.form is None and state.slots == {}


def test_a_wrong_phone_number_is_asked_again_with_an_example(talk: Talk) -> None:
    user = talk.follow()
    _register_until_summary(talk, user)
    talk.tap(user, "form:__done")
    talk.tap(user, "form:__edit:phone")
    again = visible(talk.say(user, "08123"))
    assert "081 234 5678" in again
    assert "0899999999" in visible(talk.say(user, "089 999 9999"))  # back at the summary, as digits


def test_registered_user_sees_and_edits_their_details(talk: Talk) -> None:
    user = talk.follow()
    _register_until_summary(talk, user)
    talk.tap(user, "form:__done")
    talk.tap(user, "form:__confirm")
    mine = visible(talk.say(user, "ข้อมูลของฉัน"))
    assert "บ้านมอญ" in mine and "0812345678" in mine and "รอ กสอ. พิจารณาคัดเลือก" in mine
    talk.tap(user, "mydata:edit")
    talk.tap(user, "form:__edit:products")
    talk.say(user, "ชามตราไก่ และจานเซรามิก")
    assert "แก้ไขข้อมูลเรียบร้อย" in visible(talk.tap(user, "form:__confirm"))
    (registration,) = talk.get(Registration)
    assert registration.products == "ชามตราไก่ และจานเซรามิก"


def test_registering_again_shows_the_existing_registration(talk: Talk) -> None:
    user = talk.follow()
    _register_until_summary(talk, user)
    talk.tap(user, "form:__done")
    talk.tap(user, "form:__confirm")
    again = talk.tap(user, "menu:register")
    assert "ลงทะเบียนไว้แล้ว" in visible(again) and "mydata:edit" in postbacks(again)
