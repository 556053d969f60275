"""A fragment typed after an answer continues the last topic; a message with a topic of its own does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from otopbot.knowledge.analysis import Analyzer
from otopbot.knowledge.content import load_synonyms
from otopbot.knowledge.followup import FollowUp, FollowUpKind, read_follow_up

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(load_synonyms(ROOT / "bot"))


@pytest.mark.parametrize("text", ["อ่านเพิ่ม", "อ่านเพิ่มเติมค่ะ", "ขอรายละเอียดเพิ่มหน่อยครับ", "read more", "more details please"])
def test_asking_for_more_shows_the_rest(analyzer: Analyzer, text: str) -> None:
    assert read_follow_up(analyzer, text) == FollowUp(FollowUpKind.MORE)


@pytest.mark.parametrize(
    "text, category",
    [
        ("แล้วต้องเตรียมเอกสารอะไรบ้างคะ", None),
        ("ค่าใช้จ่ายประมาณเท่าไหร่", None),
        ("ใช้เวลากี่วัน", None),
        ("how much does it cost", None),
        ("แล้วถ้าเป็นเซรามิกล่ะ", "ceramics"),
        ("ส่วนหมอนยางพาราล่ะคะ", "rubber"),
    ],
)
def test_another_fact_or_product_is_asked_in_the_topics_context(
    analyzer: Analyzer, text: str, category: str | None
) -> None:
    found = read_follow_up(analyzer, text)
    assert found is not None and (found.kind, found.category) == (FollowUpKind.ASK, category)


@pytest.mark.parametrize("text", ["ถ้าขายแค่ในหมู่บ้านล่ะ", "แล้วถ้าส่งขายร้านค้าในตำบลล่ะคะ"])
def test_another_case_of_the_same_topic_is_asked_in_its_context(analyzer: Analyzer, text: str) -> None:
    """Where one sells names no topic: the fragment asks the last topic again, not "cannot help"."""
    assert read_follow_up(analyzer, text) == FollowUp(FollowUpKind.ASK)


@pytest.mark.parametrize("text", ["ค่าสมัครกี่บาทคะ", "อบรมฟรีไหม", "สมัครต้องเสียเงินมั้ย", "ค่าเรียนเท่าไร"])
def test_a_fee_for_joining_is_a_fragment_asking_a_cost(analyzer: Analyzer, text: str) -> None:
    """Whose fee (a workshop's, a standard's) is then decided by what was shown last."""
    assert read_follow_up(analyzer, text) == FollowUp(FollowUpKind.ASK, None, "cost")


@pytest.mark.parametrize(
    "text",
    [
        "ขอบคุณมากค่ะ",
        "โอเคค่ะ",
        "ได้ค่ะ",
        "มีอบรมอะไรบ้าง",
        "อยากลงทะเบียน",
        "ยกเลิกการจอง",
        "ขอคุยกับเจ้าหน้าที่",
        "ขอ มผช ต้องทำยังไง",
        "มีที่เชียงใหม่ไหม",
        "ดูข้อมูลของฉัน",
        "",
    ],
)
def test_a_message_with_its_own_topic_is_not_a_follow_up(analyzer: Analyzer, text: str) -> None:
    assert read_follow_up(analyzer, text) is None
