"""Facet retrieval: the short answer to what was asked, tailored to the product, never confidently wrong."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from otopbot.dialogue.menu import short_label
from otopbot.knowledge.analysis import Analyzer
from otopbot.knowledge.commands import evaluate
from otopbot.knowledge.content import load_synonyms, load_topics
from otopbot.knowledge.facets import concepts
from otopbot.knowledge.search import SearchIndex, view_from_topic

ROOT = Path(__file__).resolve().parents[3]
FACETS = Path(__file__).with_name("facets.yml")


def test_own_facet_questions_reach_the_facet_asked(content_index: SearchIndex) -> None:
    items = yaml.safe_load(FACETS.read_text(encoding="utf-8"))
    report = evaluate(content_index.search, items)
    assert report["facet_items"] >= 20 and report["facet_top1"] >= 0.9, report["errors"]
    assert report["top1"] >= 0.95 and report["confident_wrong"] == 0, report["errors"]


def test_two_questions_on_one_entry_get_two_different_short_answers(content_index: SearchIndex) -> None:
    need = content_index.search("ทำน้ำพริกขายที่บ้าน ต้องขอ อย ไหมคะ")
    digits = content_index.search("เลข อย. 13 หลัก หมายความว่าอะไร")
    assert need.answer_id == digits.answer_id == "fda-food-serial" and need.confident and digits.confident
    assert need.facet is not None and digits.facet is not None and need.facet.id != digits.facet.id
    assert need.text("th").startswith("ต้อง")  # a yes/no question gets yes/no first
    assert "หลัก 10–13" in (digits.text("th") or "")  # all 13 digits, not only the first three


def test_a_time_question_on_mpc_never_gets_the_fda_entry_confidently(content_index: SearchIndex) -> None:
    for text in ("ขอ มผช ใช้เวลากี่เดือนครับ", "how long does มผช. take"):
        answer = content_index.search(text)
        assert answer.answer_id != "fda-food-serial" or not answer.confident, text
        assert answer.answer_id is None or answer.answer_id.startswith("mpc"), text


def test_a_product_named_in_the_question_gets_its_standard(content_index: SearchIndex) -> None:
    answer = content_index.search("how do I get มผช. for chili paste")
    assert answer.confident and "321/2556" in (answer.text("th") or "")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ขอ อย ใช้เวลากี่วัน", "time"),
        ("มผช ใช้ได้กี่ปี", "validity"),
        ("เสียค่าธรรมเนียมเท่าไร", "cost"),
        ("ต้องใช้เอกสารอะไรบ้าง", "documents"),
        ("พริกแกงใช้ มผช เลขอะไร", "number"),
        ("ยื่นที่ไหนคะ", "where"),
        ("มผช คืออะไร", "what"),
        ("ใครรับรอง", "who"),
        ("ขั้นตอนการขอ", "steps"),
        ("ต้องมีไหม", "need"),
        ("ต้องใส่วันหมดอายุบนฉลากไหม", "need"),  # a label's expiry date is not a certificate's validity
    ],
)
def test_the_key_concept_of_a_question_is_read_from_its_words(text: str, expected: str) -> None:
    analyzer = Analyzer(load_synonyms(ROOT / "bot"))
    assert concepts(analyzer.terms(text))[0] == expected


ENTRY = """id: pretend-standard
title: {{th: มาตรฐานสมมุติ, en: Pretend standard}}
categories: []
related: []
checked: 2026-12-01
answer: {{th: มาตรฐานสมมุติเป็นมาตรฐานตัวอย่างค่ะ, en: The pretend standard is an example.}}
sources:
  - name: {{th: สำนักงานตัวอย่าง (สต.), en: Example Office (EO)}}
    url: https://example.go.th
provenance: test fixture M1
facets:
  - id: what
    questions: [มาตรฐานสมมุติคืออะไร, what is the pretend standard]
    answer: {{th: มาตรฐานสมมุติคือมาตรฐานตัวอย่างค่ะ, en: It is an example standard.}}
  - id: need
    questions: [ต้องมีมาตรฐานสมมุติไหม, do I need the pretend standard]
    answer: {{th: ไม่ต้องค่ะ, en: "No, you do not."}}
{extra}
"""
PRODUCT_FACETS = """  - id: chili
    questions: [มาตรฐานสมมุติของน้ำพริกเลขอะไร]
    products: [น้ำพริก]
    answer: {th: น้ำพริกใช้มาตรฐานสมมุติ 11/2560 ค่ะ, en: Chili paste uses pretend standard 11/2560.}
  - id: paper
    questions: [มาตรฐานสมมุติของกระดาษสาเลขอะไร]
    products: [กระดาษสา]
    answer: {th: กระดาษสาใช้มาตรฐานสมมุติ 22/2560 ค่ะ, en: Sa paper uses pretend standard 22/2560.}
"""


def _index(tmp_path: Path, extra: str = "") -> SearchIndex:
    """The shipped entries plus a pretend one (so that scores are as in real use)."""
    folder = tmp_path / "knowledge"
    shutil.copytree(ROOT / "bot" / "knowledge", folder)
    (folder / "pretend-standard.yml").write_text(ENTRY.format(extra=extra), encoding="utf-8")
    topics = load_topics(tmp_path)
    return SearchIndex([view_from_topic(t) for t in topics], Analyzer(load_synonyms(ROOT / "bot")))


def test_a_fact_no_facet_gives_is_a_referral_not_a_confident_answer(tmp_path: Path) -> None:
    index = _index(tmp_path)
    asked = index.search("ขอมาตรฐานสมมุติใช้เวลากี่วัน")
    assert asked.answer_id == "pretend-standard" and not asked.confident and asked.referral
    assert asked.concept == "time" and asked.text("th")  # what is known is still shown
    plain = index.search("มาตรฐานสมมุติคืออะไรคะ")
    assert plain.confident and not plain.referral and plain.facet is not None and plain.facet.id == "what"


def test_a_product_in_the_question_or_the_owners_registration_picks_its_facet(tmp_path: Path) -> None:
    index = _index(tmp_path, PRODUCT_FACETS)
    named = index.search("มาตรฐานสมมุติสำหรับกระดาษสาเลขอะไร")
    assert named.facet is not None and named.facet.id == "paper" and named.confident
    registered = index.search("มาตรฐานสมมุติเลขอะไร", owner_products="น้ำพริกเผา ข้าวเกรียบ")
    assert registered.facet is not None and registered.facet.id == "chili"
    by_category = index.search("มาตรฐานสมมุติเลขอะไร", owner_category="paper")
    assert by_category.facet is not None and by_category.facet.id == "paper"


@pytest.mark.parametrize(
    "title, label",
    [
        ("เรื่องไหนติดต่อหน่วยงานไหนบ้าง", "เรื่องไหนติดต่อ"),
        ("Which office handles what for me", "Which office handles"),
        ("เลข อย.", "เลข อย."),
    ],
)
def test_a_long_title_becomes_a_label_cut_between_words(title: str, label: str) -> None:
    assert short_label(title) == label and len(label) <= 20


@pytest.mark.parametrize(
    "text, facet",
    [
        ("ขอ มผช ต้องทำยังไงคะ", "steps"),  # no product named: not the ceramics or paper facet
        ("มอก ขายของไม่มีแล้วโดนปรับไหม", "penalty"),
        ("ขายหมอนยางแล้วลูกค้าบ่นเรื่องกลิ่น", "odour"),
    ],
)
def test_a_question_naming_no_product_gets_the_general_facet_it_asks(
    content_index: SearchIndex, text: str, facet: str
) -> None:
    answer = content_index.search(text)
    assert answer.facet is not None and answer.facet.id == facet, (answer.answer_id, answer.facet)


def test_a_category_named_keeps_its_entry_and_never_makes_an_answer_surer(content_index: SearchIndex) -> None:
    paper = content_index.search("ทำกระดาษสาขาย จำเป็นต้องมี มอก หรือเปล่า")
    assert paper.answer_id == "paper-mulberry"
    assert content_index.search("วิธีทำกระดาษสาจากเปลือกปอสา").confident is False
