"""Thai search: colloquial questions reach the right entry, off-topic ones are refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from otopbot.knowledge.commands import evaluate
from otopbot.knowledge.search import SearchIndex

ROOT = Path(__file__).resolve().parents[3]
ASK_DEV = ROOT / ".." / "shared" / "eval" / "ask-dev.yml"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ขอ มผช ต้องทำยังไงคะ", "mpc-apply"),
        ("มผช.มีค่าใช้จ่ายมั้ยคะ", "mpc-cost"),
        ("ใบรับรองมาตรฐานชุมชนหมดอายุกี่ปี", "mpc-validity"),
        ("ทำน้ำพริกขายออนไลน์ต้องขอ อย. ไหมครับ", "fda-food-serial"),
        ("เลข อย ๑๓ หลักคืออะไร", "fda-food-serial"),
        ("หมอนยางพาราต้องขอ มอก มั้ยคะ", "rubber-latex-products"),
        ("ถ้วยเซรามิคมีสารตะกั่วไหมคะ", "ceramics-lead"),
        ("กระดาษสาต้องขอมาตรฐานอะไร", "paper-mulberry"),
        ("จดวิสาหกิจชุมชนต้องมีกี่คนคะ", "community-enterprise"),
        ("ขอฮาลาลได้ที่ไหนครับบบ", "halal"),
        ("What is TCPS?", "mpc-overview"),
        ("how do I get an FDA number", "fda-food-serial"),
        ("มผช ปิดรับคำขอเดือนไหนคะปีนี้", "mpc-apply"),  # a polite ending glued mid-message
    ],
)
def test_colloquial_questions_reach_the_right_entry(content_index: SearchIndex, text: str, expected: str) -> None:
    answer = content_index.search(text)
    assert answer.answer_id == expected
    assert answer.entry is not None and answer.entry.id == expected


@pytest.mark.parametrize(
    "text",
    [
        "ขอกู้เงินธนาคารเพื่อขยายกิจการ",
        "อากาศพรุ่งนี้เป็นยังไง",
        "ขอวีซ่าไปญี่ปุ่นยังไง",
        "หวยออกวันไหน",
        "how to open a bank account",
        "ขอคืนเงินภาษีมูลค่าเพิ่ม",
        "",
    ],
)
def test_questions_outside_every_entry_are_refused(content_index: SearchIndex, text: str) -> None:
    answer = content_index.search(text)
    assert answer.answer_id is None and not answer.confident and answer.entry is None


def test_a_confident_answer_is_confident_and_lists_nearest_topics(content_index: SearchIndex) -> None:
    answer = content_index.search("เลขสารบบอาหารขอที่ไหนครับ")
    assert answer.confident and answer.answer_id == "fda-food-serial"
    assert answer.nearest[0][0] == "fda-food-serial" and len(answer.nearest) <= 3


def test_held_out_phrasings_meet_the_bar(content_index: SearchIndex, heldout: list[dict[str, Any]]) -> None:
    report = evaluate(content_index.search, heldout)
    assert report["top1"] >= 0.85 and report["top3"] >= 0.95
    assert report["refusal_rate"] >= 0.8


def test_the_category_from_the_nlu_breaks_ties_towards_that_category(content_index: SearchIndex) -> None:
    plain = content_index.search("ต้องตรวจอะไรบ้าง")
    boosted = content_index.search("ต้องตรวจอะไรบ้าง", category="ceramics")
    assert boosted.nearest[0][0] == "ceramics-lead" or boosted.score >= plain.score


def test_ask_dev_reaches_the_bar(content_index: SearchIndex) -> None:
    if not ASK_DEV.is_file():
        pytest.skip("shared eval set not present")
    report = evaluate(content_index.search, yaml.safe_load(ASK_DEV.read_text(encoding="utf-8")))
    assert report["top1"] >= 0.9, report
    assert report["top3"] >= 0.95, report
    assert report["false_refusal_rate"] <= 0.1, report
    assert report["refusal_rate"] >= 0.6, report
    assert report["confident_wrong"] == 0, report["errors"]


CHALLENGE = Path(__file__).with_name("challenge.yml")
# Confident answers from the wrong entry on the challenge set: none.
CHALLENGE_CONFIDENT_WRONG = 0


def test_challenge_set_of_owner_style_questions_meets_the_bar(content_index: SearchIndex) -> None:
    """Unseen colloquial, typo'd, English and off-topic questions: answered confidently or refused."""
    report = evaluate(content_index.search, yaml.safe_load(CHALLENGE.read_text(encoding="utf-8")))
    assert report["should_refuse"] >= 25 and report["answerable"] >= 100, report
    assert report["top1"] >= 0.85 and report["top3"] >= 0.95, report
    assert report["false_refusal_rate"] <= 0.1, report
    assert report["confident_share"] >= 0.85, report
    assert report["refusal_rate"] >= 0.7 and report["refusal_precision"] >= 0.65, report
    assert report["confident_wrong"] <= CHALLENGE_CONFIDENT_WRONG, report["errors"]


def test_held_out_right_answers_are_mostly_confident(content_index: SearchIndex, heldout: list[dict[str, Any]]) -> None:
    report = evaluate(content_index.search, heldout)
    assert report["confident_share"] >= 0.88 and report["false_refusal_rate"] <= 0.05, report
    assert report["confident_wrong"] == 0, report["errors"]


@pytest.mark.parametrize(
    "text",
    [
        "จดทะเบียนเครื่องหมายการค้าสินค้าเราที่ไหนคะ",
        "ขอใบขับขี่ต้องทำอะไรบ้าง",
    ],
)
def test_generic_verbs_alone_do_not_pull_an_unknown_topic_onto_an_entry(content_index: SearchIndex, text: str) -> None:
    assert content_index.search(text).answer_id is None


@pytest.mark.parametrize("text", ["ม.ผ.ช. คืออะไร", "ขอมผชยังไง"])
def test_dotted_and_unspaced_abbreviations_are_understood(content_index: SearchIndex, text: str) -> None:
    answer = content_index.search(text)
    assert answer.answer_id in {"mpc-overview", "mpc-apply"}


OWNERS_ASKED = Path(__file__).with_name("owners-asked.yml")


def test_owners_asked_set_meets_the_bar(content_index: SearchIndex) -> None:
    """Our December held-out set (every topic and production fix, refusals): a margin below what it reaches."""
    report = evaluate(content_index.search, yaml.safe_load(OWNERS_ASKED.read_text(encoding="utf-8")))
    assert report["answerable"] >= 120 and report["should_refuse"] >= 10, report
    assert report["top1"] >= 0.93 and report["facet_top1"] >= 0.88, report["errors"]
    assert report["refusal_rate"] >= 0.85 and report["confident_wrong"] == 0, report["errors"]
