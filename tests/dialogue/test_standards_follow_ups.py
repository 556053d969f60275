"""After a standards answer, a fragment ("อ่านเพิ่ม", "แล้วค่าใช้จ่ายล่ะ", "แล้วถ้าเป็นเซรามิกล่ะ") stays on its topic."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from dialogue_talk import Talk, postbacks, visible

from otopbot.knowledge.search import KnowledgeBase
from otopbot.knowledge.store import sync_from_content

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def owner(talk: Talk) -> tuple[Talk, int]:
    with talk.database.transaction() as db:
        sync_from_content(db, ROOT / "bot")
    talk.context = replace(talk.context, knowledge=KnowledgeBase(ROOT / "bot", recheck_seconds=0))
    return talk, talk.follow()


def test_typed_read_more_shows_the_rest_of_the_last_topic(owner: tuple[Talk, int]) -> None:
    talk, user = owner
    first = visible(talk.say(user, "เลข อย. ขอที่ไหนคะ"))
    assert "สาธารณสุขจังหวัด" in first
    more = visible(talk.say(user, "อ่านเพิ่ม"))
    assert "สบ.1" in more and more != first


def test_another_fact_and_another_product_stay_on_the_topic(owner: tuple[Talk, int]) -> None:
    talk, user = owner
    assert "สอจ" in visible(talk.say(user, "ขอ มผช ต้องทำยังไงคะ"))
    assert "มช.1" in visible(talk.say(user, "แล้วต้องเตรียมเอกสารอะไรบ้างคะ"))
    assert "46/2556" in visible(talk.say(user, "แล้วถ้าเป็นเซรามิกล่ะ"))


def test_a_fragment_long_after_the_answer_is_not_a_follow_up(owner: tuple[Talk, int]) -> None:
    talk, user = owner
    talk.say(user, "ขอ มผช ต้องทำยังไงคะ")
    later = visible(talk.say(user, "แล้วต้องเตรียมเอกสารอะไรบ้างคะ", at=talk.now + timedelta(hours=2)))
    assert "มช.1" not in later


def test_a_workshop_search_after_the_answer_takes_the_follow_up(owner: tuple[Talk, int]) -> None:
    talk, user = owner
    talk.workshop(category="paper", title="การย้อมกระดาษสาให้สีสม่ำเสมอ")
    talk.say(user, "มผช. คืออะไรคะ")
    talk.say(user, "มีอบรมเรื่องเซรามิกไหมคะ")
    assert "41/2560" not in visible(talk.say(user, "แล้วกระดาษล่ะคะ"))


def test_an_agencys_phone_is_answered_and_our_staff_are_still_reachable(owner: tuple[Talk, int]) -> None:
    talk, user = owner
    assert "02 201 7000" in visible(talk.say(user, "ขอเบอร์โทรกรมวิทยาศาสตร์บริการหน่อยค่ะ"))
    staff = visible(talk.say(user, "ขอเบอร์โทรเจ้าหน้าที่หน่อยค่ะ"))
    assert "เรื่องอะไร" in staff  # our staff: the number to call, and a message can still be left for them


def test_a_clear_request_after_an_answer_is_that_request(owner: tuple[Talk, int]) -> None:
    talk, user = owner
    talk.say(user, "ขอ มผช ต้องทำยังไงคะ")
    assert "สอจ" not in visible(talk.say(user, "สมัครยังไงคะ"))  # registering with the programme


@pytest.mark.parametrize("text", ["เดือนหน้ามีอะไรบ้าง", "ที่ขอนแก่นมีอะไรบ้างคะ"])
def test_an_unsure_workshop_request_with_a_time_or_place_is_never_a_standards_answer(
    owner: tuple[Talk, int], text: str
) -> None:
    talk, user = owner
    replies = talk.say(user, text)
    assert not any(data.startswith("kb:") for data in postbacks(replies)), visible(replies)


def test_what_to_apply_for_then_its_time_fee_and_office(owner: tuple[Talk, int]) -> None:
    talk, user = owner
    first = visible(talk.say(user, "ทำกล้วยตากขาย ต้องขออะไรบ้างคะ"))
    assert "GMP 420" in first and "สบ.1" in first and "มผช" in first
    assert "1 วันทำการ" in visible(talk.say(user, "แล้วใช้เวลานานไหม"))
    assert "200 บาท" in visible(talk.say(user, "ค่าใช้จ่ายเท่าไหร่"))
    assert "สาธารณสุขจังหวัด" in visible(talk.say(user, "ยื่นที่ไหน"))


def test_a_fact_the_topic_lacks_is_said_in_short_without_the_last_answer_again(owner: tuple[Talk, int]) -> None:
    talk, user = owner
    first = visible(talk.say(user, "ปลาส้มเปรี้ยวไม่เท่ากันทุกรอบ แก้ยังไงดี"))
    replies = talk.say(user, "แล้วใช้เวลานานไหม")
    again = visible(replies)
    assert "ยังไม่มีข้อมูลทางการ" in again
    assert not set(first.splitlines()[:3]) & set(again.splitlines()), again  # nothing said again
    assert any(data.startswith("kb:facet:") for data in postbacks(replies))


def test_the_fee_asked_after_a_workshop_list_is_the_workshops_fee(owner: tuple[Talk, int]) -> None:
    talk, user = owner
    talk.workshop(category="paper", title="การย้อมกระดาษสาให้สีสม่ำเสมอ")
    talk.say(user, "มีอบรมเรื่องกระดาษไหมคะ")
    fee = visible(talk.say(user, "ค่าสมัครกี่บาท"))
    assert "02 201 7000" in fee and "มผช" not in fee and "สอจ" not in fee
