"""Standards questions in the chat: answer from the knowledge base, or hand over to staff.

```mermaid
flowchart LR
    Q[user asks] --> KB{knowledge.ask}
    KB -- confident --> A[answer + source + related topics]
    KB -- weak --> W[not sure: 3 nearest topics; question recorded for staff]
    KB -- none --> N[passed to staff, reply expected within 2 working days; question recorded]
    P[tap kb:topic:id] --> A
```

Knows nothing about LINE: it returns neutral replies and keeps to LINE's limits (≤ 13 quick
replies, labels ≤ 20 characters, postback data ≤ 300 bytes).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from otopbot.clock import day
from otopbot.dialogue.menu import short_label
from otopbot.dialogue.turn import Turn
from otopbot.knowledge.questions import record_bot_answer, record_unanswered
from otopbot.knowledge.search import EntryView, view_from_row
from otopbot.models import KnowledgeEntry
from otopbot.postbacks import MAX_DATA, Topic
from otopbot.replies import Choice, Reply, Text

MAX_QUICK_REPLIES = 13
MAX_LABEL = 20


def answer_question(db: Session, turn: Turn) -> list[Reply]:
    """Answer `turn.text`: the entry when confident, the nearest topics when unsure, else staff."""
    text = (turn.text or "").strip()
    knowledge = turn.context.knowledge
    if not text or knowledge is None:
        return _handed_over(db, turn, text, None, None)
    category = turn.understanding.entities.category if turn.understanding else None
    result: Any = knowledge.ask(db, text, category=category)
    if result.confident and result.entry is not None:
        record_bot_answer(db, result.entry.id, float(result.score), turn.t.lang)
        return [_entry_reply(db, turn, result.entry)]
    if result.answer_id is not None and result.nearest:
        record_unanswered(db, turn.user, text, turn.t.lang, result.answer_id, float(result.score))
        choices = [_topic_choice(turn, id_, th, en) for id_, th, en in result.nearest[:3]]
        return [Text(turn.t("I'm not sure I understood. Is your question about one of these? "
                            "I've also passed it to our staff."), tuple(choices), needs_choices=True)]
    return _handed_over(db, turn, text, result.nearest[0][0] if result.nearest else None, float(result.score))


def show_topic(db: Session, turn: Turn, topic: Topic) -> list[Reply]:
    """Postback `kb:topic:<id>`: show that entry (it may have been removed since the button was sent)."""
    row = db.get(KnowledgeEntry, topic.entry_id)
    if row is not None:
        return [_entry_reply(db, turn, view_from_row(row))]
    return [Text(turn.t("Sorry, that topic is no longer available. Please ask your question again."))]


def _handed_over(db: Session, turn: Turn, text: str, best_id: str | None, score: float | None) -> list[Reply]:
    if text:
        record_unanswered(db, turn.user, text, turn.t.lang, best_id, score)
    return [Text(turn.t("I don't have an answer to that yet. I've passed your question to DSS staff; "
                        "they usually reply here in this chat within 2 working days."))]


def _entry_reply(db: Session, turn: Turn, entry: EntryView) -> Text:
    lang = turn.t.lang
    source = turn.t("Source: {source} (checked {date})", source=entry.source, date=day(entry.checked_on, lang))
    choices = [_topic_choice(turn, row.id, row.title_th, row.title_en) for row in _related(db, entry.related)]
    return Text(f"{entry.answer(lang)}\n\n{source}", tuple(choices[:MAX_QUICK_REPLIES]))


def _related(db: Session, ids: Iterable[str]) -> list[KnowledgeEntry]:
    rows = (db.get(KnowledgeEntry, id_) for id_ in ids)
    return [row for row in rows if row is not None]


def _topic_choice(turn: Turn, entry_id: str, title_th: str, title_en: str) -> Choice:
    title = title_en if turn.t.lang == "en" else title_th
    data = Topic(entry_id).data[:MAX_DATA]
    return Choice(label=_label(title), postback=data, display_text=title)


def _label(title: str) -> str:
    return short_label(title, MAX_LABEL)
