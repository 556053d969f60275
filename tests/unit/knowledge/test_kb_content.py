"""The knowledge content: every required topic, valid files, LINE-sized answers, sources and dates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from otopbot.errors import ContentError
from otopbot.knowledge.content import load_synonyms, load_topic, load_topics
from otopbot.nlu.normalize import normalize

ROOT = Path(__file__).resolve().parents[3]
ASK_DEV = ROOT / ".." / "shared" / "eval" / "ask-dev.yml"

REQUIRED = [
    "programme-overview",
    "mpc-overview",
    "mpc-apply",
    "mpc-cost",
    "mpc-validity",
    "tis-overview",
    "tis-vs-mpc",
    "fda-food-serial",
    "gmp-primary",
    "food-label",
    "ceramics-lead",
    "glass-food-contact",
    "rubber-latex-products",
    "paper-mulberry",
    "dss-testing",
    "otop-star",
    "halal",
    "community-enterprise",
]


def test_every_topic_of_the_standards_list_has_an_entry() -> None:
    ids = {t.id for t in load_topics(ROOT / "bot")}
    assert set(REQUIRED) <= ids


def test_the_topic_list_in_the_reference_matches_the_required_ids() -> None:
    reference = ROOT / ".." / "shared" / "reference" / "standards-topics.md"
    if not reference.is_file():
        pytest.skip("shared reference not present")
    listed = set(re.findall(r"^\| `([a-z-]+)` \|", reference.read_text(encoding="utf-8"), re.MULTILINE))
    assert listed == set(REQUIRED)


def test_every_answer_fits_a_line_bubble_and_names_its_source_and_date() -> None:
    for topic in load_topics(ROOT / "bot"):
        assert len(topic.answer_th) <= 1000 and len(topic.answer_en) <= 1000, topic.id
        assert topic.source and topic.checked_on.year >= 2025, topic.id
        ways_of_asking = len(topic.questions) + sum(len(f.questions) for f in topic.facets)
        assert ways_of_asking >= 8, topic.id


def test_no_knowledge_question_is_copied_from_the_dev_set() -> None:
    if not ASK_DEV.is_file():
        pytest.skip("shared eval not present")
    dev = {normalize(i["text"]) for i in yaml.safe_load(ASK_DEV.read_text(encoding="utf-8"))}
    copied = [q for t in load_topics(ROOT / "bot") for q in t.questions if normalize(q) in dev]
    assert copied == []


def test_synonyms_load_and_link_the_thai_abbreviations() -> None:
    groups = {g.name: g.phrases for g in load_synonyms(ROOT / "bot")}
    assert "มาตรฐานผลิตภัณฑ์ชุมชน" in groups["mpc"] and "มผช" in groups["mpc"]
    assert "อย" in groups["fda"] and "มอก" in groups["tis"]


def _write(folder: Path, name: str, text: str) -> Path:
    (folder / "knowledge").mkdir(exist_ok=True)
    path = folder / "knowledge" / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """id: sample
title: {th: ตัวอย่าง, en: Sample}
questions: [ถามอะไร]
answer: {th: ตอบ, en: Answer}
categories: [food]
related: []
source: nowhere
checked: 2026-11-25
"""


def test_a_valid_file_loads(tmp_path: Path) -> None:
    topic = load_topic(_write(tmp_path, "sample.yml", GOOD))
    assert topic.id == "sample" and topic.categories == ("food",)


@pytest.mark.parametrize(
    "broken, key",
    [
        (GOOD.replace("answer: {th: ตอบ, en: Answer}", "answer: {th: ตอบ}"), "answer.en"),
        (GOOD.replace("categories: [food]", "categories: [wood]"), "categories"),
        (GOOD.replace("checked: 2026-11-25", "checked: soon"), "checked"),
        (GOOD.replace("id: sample", "id: other"), "id"),
        (GOOD.replace("questions: [ถามอะไร]", "questions: []"), "questions"),
        (GOOD + "colour: red\n", "colour"),
        ("id: [unclosed", "YAML"),
    ],
)
def test_an_invalid_file_is_rejected_naming_the_file_and_key(tmp_path: Path, broken: str, key: str) -> None:
    with pytest.raises(ContentError) as error:
        load_topic(_write(tmp_path, "sample.yml", broken))
    assert "sample.yml" in str(error.value) and key in str(error.value)


def test_related_must_name_existing_topics(tmp_path: Path) -> None:
    _write(tmp_path, "sample.yml", GOOD.replace("related: []", "related: [nowhere]"))
    with pytest.raises(ContentError, match="sample.yml.*related"):
        load_topics(tmp_path)
