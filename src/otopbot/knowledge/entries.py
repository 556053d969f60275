"""What the dialogue and the CLI get from the knowledge base: entries, their facets, and verdicts.

Detached from the database session (`view_from_row`) so that an index can outlive the session that
built it; facets are stored as JSON in KnowledgeEntry.facets (`facet_to_dict` / `facet_from_dict`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from otopbot.knowledge.content import Facet, Source, Topic
from otopbot.models import KnowledgeEntry


@dataclass(frozen=True, slots=True)
class EntryView:
    """What the dialogue needs to show an entry, detached from the database session."""

    id: str
    title_th: str
    title_en: str
    answer_th: str
    answer_en: str
    source: str
    checked_on: date
    related: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    facets: tuple[Facet, ...] = ()
    sources: tuple[Source, ...] = ()
    label_th: str = ""
    label_en: str = ""

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_th

    def label(self, lang: str) -> str:
        """The short quick-reply label written for the entry ('' when none was written)."""
        return self.label_en if lang == "en" else self.label_th

    def facet(self, facet_id: str) -> Facet | None:
        return next((f for f in self.facets if f.id == facet_id), None)

    def answer(self, lang: str) -> str:
        return self.answer_en if lang == "en" else self.answer_th


@dataclass(frozen=True, slots=True)
class Answer:
    """The verdict on one question.

    `answer_id` is the best entry when confident or weak, None when nothing fits; `entry` is set
    with it. `nearest` lists up to three (id, title_th, title_en), best first.
    """

    answer_id: str | None
    score: float
    confident: bool
    entry: EntryView | None
    nearest: list[tuple[str, str, str]]
    coverage: float = 0.0
    facet: Facet | None = None  # the short answer to show; None: the entry's summary
    concept: str | None = None  # the key concept read from the question (time, cost, where…)
    referral: bool = False  # the entry fits but nothing in it gives the asked fact: name the office
    agencies: tuple[str, ...] = ()  # the agencies the question names (~dss, ~fda…): "ขอเบอร์กรมวิทย์"

    def text(self, lang: str) -> str | None:
        """What the owner reads as the answer: the facet, else the entry's summary."""
        if self.facet is not None:
            return self.facet.answer(lang)
        return self.entry.answer(lang) if self.entry is not None else None

    @property
    def weak(self) -> bool:
        return self.answer_id is not None and not self.confident


def view_from_topic(topic: Topic) -> EntryView:
    return EntryView(
        topic.id,
        topic.title_th,
        topic.title_en,
        topic.answer_th,
        topic.answer_en,
        topic.source,
        topic.checked_on,
        topic.related,
        topic.categories,
        topic.questions,
        topic.facets,
        topic.sources,
        topic.label_th,
        topic.label_en,
    )


def view_from_row(row: KnowledgeEntry) -> EntryView:
    label = row.label or {}
    return EntryView(
        row.id,
        row.title_th,
        row.title_en,
        row.answer_th,
        row.answer_en,
        row.source,
        row.checked_on,
        tuple(row.related or ()),
        tuple(row.categories or ()),
        tuple(row.questions or ()),
        tuple(facet_from_dict(f) for f in row.facets or ()),
        tuple(Source(s["name_th"], s["name_en"], s["url"]) for s in row.sources or ()),
        label.get("th", ""),
        label.get("en", ""),
    )


def facet_to_dict(facet: Facet) -> dict[str, object]:
    """A facet as stored in KnowledgeEntry.facets (JSON)."""
    return {
        "id": facet.id,
        "label_th": facet.label_th,
        "label_en": facet.label_en,
        "questions": list(facet.questions),
        "answer_th": facet.answer_th,
        "answer_en": facet.answer_en,
        "products": list(facet.products),
    }


def facet_from_dict(data: dict[str, object]) -> Facet:
    def texts(key: str) -> tuple[str, ...]:
        value = data.get(key) or []
        return tuple(str(v) for v in value) if isinstance(value, list) else ()

    return Facet(
        str(data["id"]),
        texts("questions"),
        str(data["answer_th"]),
        str(data["answer_en"]),
        str(data.get("label_th") or ""),
        str(data.get("label_en") or ""),
        texts("products"),
    )
