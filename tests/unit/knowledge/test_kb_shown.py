"""What owners read from the knowledge base: no internal notes, official sources, short direct facets,
and every entry traceable to the checked reference facts.

Provenance convention (agreed with the content writers): an entry's `provenance` names the fact ids
it rests on — ``F7``, ``M12``… are items of shared/reference/domain-standards.md, ``A26`` is item 26
of the December 2026 addendum domain-facts-2026-12.md.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from otopbot.knowledge.content import Topic, load_topics

ROOT = Path(__file__).resolve().parents[3]
REFERENCE = ROOT.parent / "shared" / "reference"
TOPICS = load_topics(ROOT / "bot")

# Notes writers leave for themselves or staff; an owner must never read them.
MARKERS = (
    "ยังไม่ได้ตรวจสอบ",
    "ไม่ได้ยืนยัน",
    "ยังไม่ยืนยัน",
    "ไม่แน่ใจ",
    "unverified",
    "unconfirmed",
    "todo",
    "fixme",
    "tbd",
    "?",
    "？",
)
# Government and public bodies only: Thai government (.go.th), public universities (.ac.th), and
# these public organisations on .or.th.
OFFICIAL_OR_TH = ("nstda.or.th", "mtec.or.th", "cicot.or.th")
FACET_MAX = 500
_FACT_ID = re.compile(r"\b([CMTFDPOHQ]\d{1,2}|A\d{1,2})\b")


def _shown_texts(topic: Topic) -> list[tuple[str, str]]:
    """(where, text) for everything an owner can read from the entry, in both languages."""
    texts = [
        ("answer.th", topic.answer_th),
        ("answer.en", topic.answer_en),
        ("title.th", topic.title_th),
        ("title.en", topic.title_en),
    ]
    for facet in topic.facets:
        texts += [
            (f"facet {facet.id}.th", facet.answer_th),
            (f"facet {facet.id}.en", facet.answer_en),
            (f"facet {facet.id} label", facet.label_th + " " + facet.label_en),
        ]
    for source in topic.sources:
        texts += [("source", f"{source.name_th} {source.name_en} {source.host()}")]
    return texts


def _official(host: str) -> bool:
    return (
        host.endswith((".go.th", ".ac.th"))
        or host in OFFICIAL_OR_TH
        or host.endswith(tuple("." + h for h in OFFICIAL_OR_TH))
    )


@pytest.mark.parametrize("topic", TOPICS, ids=lambda t: t.id)
def test_no_internal_note_reaches_an_owner(topic: Topic) -> None:
    found = [(where, m) for where, text in _shown_texts(topic) for m in MARKERS if m in text.lower()]
    assert found == [], f"{topic.id}.yml: {found}"


@pytest.mark.parametrize("topic", [t for t in TOPICS if t.facets], ids=lambda t: t.id)
def test_sources_shown_are_official_sites(topic: Topic) -> None:
    assert topic.sources, f"{topic.id}.yml: no `sources` to show owners"
    unofficial = [s.url for s in topic.sources if not _official(s.host())]
    assert unofficial == [], f"{topic.id}.yml: not an official site: {unofficial}"


@pytest.mark.parametrize("topic", [t for t in TOPICS if t.facets], ids=lambda t: t.id)
def test_each_facet_is_short_and_its_first_sentence_answers(topic: Topic) -> None:
    for facet in topic.facets:
        assert len(facet.answer_th) <= FACET_MAX and len(facet.answer_en) <= FACET_MAX, facet.id
        first_line = facet.answer_th.splitlines()[0]
        # the first sentence ends with ค่ะ on the first line, and is not itself a whole paragraph
        end = first_line.find("ค่ะ")
        assert 0 < end <= 220, f"{topic.id}.yml facet {facet.id}: first sentence does not end with ค่ะ soon enough"
        first_en = re.split(r"(?<=[.!:])\s", facet.answer_en.strip().splitlines()[0], maxsplit=1)[0]
        assert len(first_en) <= 300, f"{topic.id}.yml facet {facet.id}: first English sentence too long"


@pytest.mark.parametrize("topic", [t for t in TOPICS if t.facets], ids=lambda t: t.id)
def test_a_yes_no_facet_starts_with_yes_or_no(topic: Topic) -> None:
    for facet in (f for f in topic.facets if f.id == "need"):
        first = facet.answer_th.splitlines()[0][:120]
        assert re.search(r"ต้อง|ไม่ต้อง|ได้|ไม่ได้|ไม่บังคับ|บังคับ|ไม่จำเป็น|จำเป็น|ใช่|ไม่ใช่|ควร", first), (
            f"{topic.id}.yml facet need: no yes/no in {first!r}"
        )


def _reference_ids() -> tuple[set[str], set[str]]:
    standards = (REFERENCE / "domain-standards.md").read_text(encoding="utf-8")
    addendum = (REFERENCE / "domain-facts-2026-12.md").read_text(encoding="utf-8")
    ids = set(re.findall(r"\*\*([CMTFDPOHQ]\d{1,2})\*\*", standards))
    items = {f"A{n}" for n in re.findall(r"^\s*(\d{1,2})\. \*\*", addendum, re.MULTILINE)}
    return ids, items


@pytest.mark.parametrize("topic", [t for t in TOPICS if t.facets], ids=lambda t: t.id)
def test_every_entry_traces_to_the_reference_facts(topic: Topic) -> None:
    if not REFERENCE.is_dir():
        pytest.skip("shared/reference not present next to the checkout")
    standards, addendum = _reference_ids()
    named = set(_FACT_ID.findall(topic.source))
    assert named, f"{topic.id}.yml: provenance names no fact id (F7, M12, A26…)"
    unknown = sorted(named - standards - addendum)
    assert unknown == [], f"{topic.id}.yml: provenance names ids not in shared/reference: {unknown}"


def test_the_marker_and_host_checks_catch_what_the_issue_saw() -> None:
    """The checks above would have failed on the notes and sources the issue reported."""
    assert any(m in "…ยังไม่ได้ตรวจสอบ" for m in MARKERS)
    assert not _official("chiangmai-industry.tripod.com") and not _official("th.wikipedia.org")
    assert not _official("thaipharmaitem.com") and not _official("www3.tisi.go.th.example.com")
    assert _official("tcps.tisi.go.th") and _official("food.fda.moph.go.th") and _official("mtec.or.th")


def test_every_entry_is_written_in_facets_with_official_sources() -> None:
    old = [t.id for t in TOPICS if not t.facets or not t.sources]
    assert old == [], f"entries still in the old schema (no facets or no sources): {old}"
