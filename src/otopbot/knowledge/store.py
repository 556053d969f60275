"""Copy bot/knowledge into the KnowledgeEntry table without undoing what staff did in the console.

The YAML files are reviewed content; the table is what the bot answers from, and staff add to it
(a phrasing taught from a user's question, an entry created from a question, an answer re-checked).
So a sync:

* inserts topics that are missing;
* keeps every phrasing already in the row and appends the file's new ones (union, file order first);
* takes titles, answers, facets, sources, labels, provenance (`source`), categories, related and
  date from the file, unless staff checked
  the row more recently than the file (`checked_on` newer), in which case the row's text stays;
* leaves rows that have no file (entries staff created) alone;
* bumps `revision` of every row it changed, which makes every process rebuild its search index.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from otopbot.db import utcnow
from otopbot.knowledge.content import Topic, load_topics
from otopbot.knowledge.entries import facet_to_dict
from otopbot.models import KnowledgeEntry


def sync_from_content(session: Session, content_dir: Path) -> int:
    """Upsert every topic of content_dir/knowledge; return how many rows were inserted or changed."""
    changed = 0
    for topic in load_topics(content_dir):
        row = session.get(KnowledgeEntry, topic.id)
        if row is None:
            session.add(_new_row(topic))
            changed += 1
        elif _merge(row, topic):
            row.revision = (row.revision or 0) + 1
            row.updated_at = utcnow()
            changed += 1
    session.flush()
    return changed


def union_phrasings(first: list[str] | tuple[str, ...], second: list[str] | tuple[str, ...]) -> list[str]:
    """Both lists, in order, without repeats (compared ignoring case and surrounding spaces)."""
    seen: set[str] = set()
    merged = []
    for phrase in (*first, *second):
        key = phrase.strip().lower()
        if key and key not in seen:
            seen.add(key)
            merged.append(phrase.strip())
    return merged


def _new_row(topic: Topic) -> KnowledgeEntry:
    return KnowledgeEntry(
        id=topic.id,
        title_th=topic.title_th,
        title_en=topic.title_en,
        questions=list(topic.questions),
        answer_th=topic.answer_th,
        answer_en=topic.answer_en,
        categories=list(topic.categories),
        related=list(topic.related),
        source=topic.source,
        checked_on=topic.checked_on,
        revision=1,
        updated_at=utcnow(),
        **_shown(topic),
    )


def _shown(topic: Topic) -> dict[str, object]:
    """The new-schema columns: facets, official sources and the quick-reply label."""
    return {
        "facets": [facet_to_dict(f) for f in topic.facets],
        "sources": [{"name_th": s.name_th, "name_en": s.name_en, "url": s.url} for s in topic.sources],
        "label": {"th": topic.label_th, "en": topic.label_en} if topic.label_th else None,
    }


def _merge(row: KnowledgeEntry, topic: Topic) -> bool:
    """Apply the file to the row as the module docstring says; True when anything changed."""
    wanted: dict[str, object] = {"questions": union_phrasings(topic.questions, row.questions or [])}
    if row.checked_on is None or topic.checked_on >= row.checked_on:
        wanted.update(
            title_th=topic.title_th,
            title_en=topic.title_en,
            answer_th=topic.answer_th,
            answer_en=topic.answer_en,
            categories=list(topic.categories),
            related=list(topic.related),
            source=topic.source,
            checked_on=topic.checked_on,
            **_shown(topic),
        )
    dirty = False
    for name, value in wanted.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            dirty = True
    return dirty
