"""Standards questions in the chat: answer the facet asked, offer the rest, or hand over to staff.

```mermaid
flowchart LR
    Q[user asks] --> KB{knowledge.ask}
    KB -- confident --> A[facet answer + official source + อ่านเพิ่ม + related topics]
    KB -- fits, but the asked fact is not known --> R[what is known + the office to ask; recorded for staff]
    KB -- weak --> W[which of these topics? 3 nearest; question recorded for staff]
    KB -- none --> N[passed to staff, reply expected within 2 working days; question recorded]
    M[tap อ่านเพิ่ม kb:more:id] --> S[entry summary + the other facets as choices]
    F[tap kb:facet:id:facet] --> A
    P[tap kb:topic:id] --> S
    T[typed within 30 min: อ่านเพิ่ม / แล้วค่าใช้จ่ายล่ะ / แล้วถ้าเป็นเซรามิกล่ะ] --> L{last topic}
    L -- more --> S
    L -- another fact or product --> KB
```

Postback data is typed in `otopbot.postbacks` (`Topic`, `TopicMore`, `TopicFacet`); the router
dispatches them here.

An owner asks one thing ("ต้องขอ อย ไหม", "ใช้เวลากี่วัน"); the answer is the one short facet that
answers it, first sentence first, with the official source and the month it was checked (Thai
calendar for Thai users). Provenance notes in the knowledge files are for staff and never shown.
The owner's registered category and products (if they registered) tailor the facet chosen.
The topic answered last is remembered (`dialogue.memory`), so that a fragment typed next ("อ่านเพิ่ม",
"แล้วต้องใช้เอกสารอะไรบ้าง", "แล้วถ้าเป็นเซรามิกล่ะ") is read as being about it
(`knowledge.followup` decides from the fragment's tokens).

Knows nothing about LINE: it returns neutral replies and keeps to LINE's limits (≤ 13 quick
replies, labels ≤ 20 characters cut between words by `menu.short_label`, postback data ≤ 300 bytes).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from otopbot import clock
from otopbot.dialogue import memory
from otopbot.dialogue.menu import short_label
from otopbot.dialogue.turn import Turn
from otopbot.i18n import N_
from otopbot.knowledge.content import Facet
from otopbot.knowledge.followup import FollowUpKind
from otopbot.knowledge.questions import record_bot_answer, record_unanswered
from otopbot.knowledge.search import EntryView
from otopbot.postbacks import MAX_DATA, Topic, TopicFacet, TopicMore
from otopbot.replies import Choice, Reply, Text
from otopbot.services import registrations

MAX_QUICK_REPLIES = 13
MAX_RELATED = 4
MAX_LABEL = 20
MAX_SOURCES_SHOWN = 2
# Quick-reply labels for the standard facet kinds, when the content gives none.
FACET_LABELS = {
    "what": N_("What is it"),
    "who": N_("Who issues it"),
    "where": N_("Where to apply"),
    "steps": N_("Steps"),
    "documents": N_("Documents"),
    "time": N_("How long"),
    "cost": N_("Cost"),
    "products": N_("Which products"),
    "need": N_("Do I need it"),
    "validity": N_("How long it lasts"),
    "contact": N_("Contact details"),
    "fix": N_("How to fix it"),
}
# What a referral says the bot does not know yet, per key concept.
CONCEPT_NAMES = {
    "time": N_("how long it takes"),
    "cost": N_("the cost"),
    "validity": N_("how long it is valid"),
    "documents": N_("the documents needed"),
    "number": N_("the standard number for your product"),
    "this": N_("this point"),
}
FALLBACK_OFFICE = N_("the Department of Science Service (DSS), phone 02 201 7000")
# No source gives workshop or programme fees: say where they are announced and whom to ask.
WORKSHOP_FEE = N_(
    "Each workshop's fee, if there is one, is announced with that workshop; I don't have it here. "
    "Please ask our staff at the Department of Science Service (DSS), phone 02 201 7000."
)


def answer_question(db: Session, turn: Turn) -> list[Reply]:
    """Answer `turn.text`: the facet when confident, what is known plus the office when the asked
    fact is missing, the nearest topics when unsure, else staff."""
    text = (turn.text or "").strip()
    knowledge = turn.context.knowledge
    if not text or knowledge is None:
        return _handed_over(db, turn, text, None, None)
    category = turn.understanding.entities.category if turn.understanding else None
    owner_category, owner_products = _registered(db, turn)
    result: Any = knowledge.ask(
        db, text, category=category, owner_category=owner_category, owner_products=owner_products
    )
    known = _known_answer(db, turn, text, result)
    if known:
        return known
    topics = [c for c in (_topic_choice(turn, _view(db, turn, id_)) for id_, _th, _en in result.nearest[:3]) if c]
    if result.answer_id is not None and topics:  # "which of these topics?" only with topics to choose
        record_unanswered(db, turn.user, text, turn.t.lang, result.answer_id, float(result.score))
        return [
            Text(
                turn.t(
                    "I'm not sure I understood. Is your question about one of these? I've also passed it to our staff."
                ),
                tuple(topics),
                needs_choices=True,
            )
        ]
    return _handed_over(db, turn, text, result.nearest[0][0] if result.nearest else None, float(result.score))


def _known_answer(db: Session, turn: Turn, text: str, result: Any, same_topic: str | None = None) -> list[Reply]:
    """The facet when confident (or when it stays on `same_topic`), what is known plus the office when
    the asked fact is missing; [] otherwise. The topic answered is remembered for follow-ups.

    A follow-up (`same_topic` given) asking a fact its topic lacks gets only "no official figure, ask
    this office" and the topic's facets to choose: the owner has just read what the topic knows."""
    entry: EntryView | None = result.entry
    if entry is None:
        return []
    if result.referral and entry.id == same_topic:
        record_unanswered(db, turn.user, text, turn.t.lang, result.answer_id, float(result.score))
        _remember(db, turn, entry, None)
        return [_referral_reply(db, turn, entry, result.concept)]
    if result.referral:
        record_unanswered(db, turn.user, text, turn.t.lang, result.answer_id, float(result.score))
        reply = _facet_reply(db, turn, entry, result.facet, referral=result.concept)
    elif result.confident or entry.id == same_topic:
        record_bot_answer(db, entry.id, float(result.score), turn.t.lang)
        reply = _facet_reply(db, turn, entry, result.facet)
    else:
        return []
    _remember(db, turn, entry, result.facet)
    return [reply]


def answer_agency_contact(db: Session, turn: Turn) -> list[Reply]:
    """ "ขอเบอร์โทรกรมวิทยาศาสตร์บริการ" reads like asking for our staff, but names an agency whose contact
    the knowledge base holds: that answer, when it is sure; else [] (the request for staff goes on)."""
    text = (turn.text or "").strip()
    knowledge = turn.context.knowledge
    if not text or knowledge is None:
        return []
    owner_category, owner_products = _registered(db, turn)
    result: Any = knowledge.ask(db, text, owner_category=owner_category, owner_products=owner_products)
    if not (result.confident and result.agencies and result.concept == "contact"):
        return []
    return _known_answer(db, turn, text, result)


def answer_follow_up(db: Session, turn: Turn) -> list[Reply]:
    """A fragment typed soon after an answer, about the same topic: "อ่านเพิ่ม" shows the rest of it,
    "แล้วต้องใช้เอกสารอะไรบ้าง" or "แล้วถ้าเป็นเซรามิกล่ะ" is asked in its context. [] when the message
    is not such a fragment (or nothing was answered lately): it is then read as usual."""
    text = (turn.text or "").strip()
    knowledge = turn.context.knowledge
    if not text or knowledge is None or turn.user.id is None:
        return []
    topic = memory.last_topic(db, turn.user, turn.now)
    if topic is None and _fee_after_workshops(db, turn, knowledge.follow_up(text)):
        return [Text(turn.t(WORKSHOP_FEE))]
    follow = knowledge.follow_up(text) if topic is not None else None
    entry = _view(db, turn, topic.entry_id) if topic is not None and follow is not None else None
    if topic is None or follow is None or entry is None:
        return []
    if follow.kind == FollowUpKind.MORE:
        _remember(db, turn, entry, entry.facet(topic.facet_id))
        return [_more_reply(db, turn, entry, shown=topic.facet_id)]
    other_category = follow.category is not None and bool(entry.categories) and follow.category not in entry.categories
    query = text if other_category else f"{entry.title(turn.t.lang)} {text}"
    owner_category, owner_products = _registered(db, turn)
    result: Any = knowledge.ask(
        db, query, category=follow.category, owner_category=owner_category, owner_products=owner_products
    )
    if other_category:
        return _known_answer(db, turn, text, result)
    known = _known_answer(db, turn, text, result, same_topic=entry.id)
    if known or not result.nearest or result.nearest[0][0] != entry.id:
        return known
    # the fragment alone points to a topic this answer offered ("เสียค่าใช้จ่ายไหม" after how to apply for
    # มผช.: its cost topic): that one, rather than the same answer again
    alone: Any = knowledge.ask(db, text, owner_category=owner_category, owner_products=owner_products)
    if alone.entry is not None and alone.answer_id in entry.related and alone.nearest[0][0] == alone.answer_id:
        return _known_answer(db, turn, text, alone, same_topic=alone.answer_id)
    # the context fits best but the fragment adds little ("แล้วถ้าเป็นเซรามิกล่ะ" after the cost of มผช.):
    # what was said holds for that product too, so say it again
    record_bot_answer(db, entry.id, float(result.score), turn.t.lang)
    return [_facet_reply(db, turn, entry, entry.facet(topic.facet_id))]


def _fee_after_workshops(db: Session, turn: Turn, follow: Any) -> bool:
    """ "ค่าสมัครกี่บาท" right after a workshop list (and no standards answer since) asks that workshop's
    fee, not a standard's: the list was the last thing shown."""
    asks_fee = follow is not None and follow.kind == FollowUpKind.ASK and follow.concept == "cost"
    return asks_fee and memory.last_search(db, turn.user, turn.now) is not None


def _remember(db: Session, turn: Turn, entry: EntryView, facet: Facet | None) -> None:
    if turn.user.id is not None:
        memory.remember_topic(db, turn.user, memory.LastTopic(turn.now, entry.id, facet.id if facet else ""))


def answer_if_confident(db: Session, turn: Turn) -> list[Reply]:
    """The facet answer when the knowledge base is confident, else nothing (and nothing recorded):
    for messages the NLU read as something else with little confidence."""
    text = (turn.text or "").strip()
    knowledge = turn.context.knowledge
    if not text or knowledge is None:
        return []
    owner_category, owner_products = _registered(db, turn)
    result: Any = knowledge.ask(db, text, owner_category=owner_category, owner_products=owner_products)
    if not (result.confident and result.entry is not None):
        return []
    return _known_answer(db, turn, text, result)


def show_topic(db: Session, turn: Turn, topic: Topic) -> list[Reply]:
    """Postback `kb:topic:<id>`: the entry's summary with its facets to choose (it may have been removed)."""
    entry = _view(db, turn, topic.entry_id)
    if entry is None:
        return _gone(turn)
    _remember(db, turn, entry, None)
    return [_more_reply(db, turn, entry)]


def show_more(db: Session, turn: Turn, more: TopicMore) -> list[Reply]:
    """Postback `kb:more:<id>[:<facet>]` ("อ่านเพิ่ม"): the summary and the facets not yet shown."""
    entry = _view(db, turn, more.entry_id)
    if entry is None:
        return _gone(turn)
    _remember(db, turn, entry, entry.facet(more.shown))
    return [_more_reply(db, turn, entry, shown=more.shown)]


def show_facet(db: Session, turn: Turn, chosen: TopicFacet) -> list[Reply]:
    """Postback `kb:facet:<id>:<facet>`: that short answer (the summary if the facet was removed)."""
    entry = _view(db, turn, chosen.entry_id)
    if entry is None:
        return _gone(turn)
    facet = entry.facet(chosen.facet_id)
    _remember(db, turn, entry, facet)
    return [_facet_reply(db, turn, entry, facet) if facet is not None else _more_reply(db, turn, entry)]


def _gone(turn: Turn) -> list[Reply]:
    return [Text(turn.t("Sorry, that topic is no longer available. Please ask your question again."))]


def _handed_over(db: Session, turn: Turn, text: str, best_id: str | None, score: float | None) -> list[Reply]:
    if text:
        record_unanswered(db, turn.user, text, turn.t.lang, best_id, score)
    return [
        Text(
            turn.t(
                "I don't have an answer to that yet. I've passed your question to DSS staff; "
                "they usually reply here in this chat within 2 working days."
            )
        )
    ]


def _registered(db: Session, turn: Turn) -> tuple[str | None, str | None]:
    """The category and products the owner registered, to tailor answers (None if not registered)."""
    if turn.user.id is None:
        return None, None
    row = registrations.for_user(db, turn.user)
    return (row.category, row.products) if row is not None else (None, None)


def _facet_reply(db: Session, turn: Turn, entry: EntryView, facet: Facet | None, referral: str | None = None) -> Text:
    """The facet (or the summary), the source line, then อ่านเพิ่ม and related topics."""
    lang = turn.t.lang
    body = facet.answer(lang) if facet is not None else entry.answer(lang)
    if referral is not None:
        body = _no_figure(turn, entry, referral) + "\n\n" + body
    choices: list[Choice] = []
    if facet is not None or entry.facets:
        more = TopicMore(entry.id, facet.id if facet else "").data[:MAX_DATA]
        choices.append(Choice(label=turn.t("Read more"), postback=more, display_text=turn.t("Read more")))
    choices += [c for c in (_topic_choice(turn, e) for e in _related(db, turn, entry.related)) if c][:MAX_RELATED]
    return Text(f"{body}\n\n{source_line(turn, entry)}", tuple(choices[:MAX_QUICK_REPLIES]))


def _referral_reply(db: Session, turn: Turn, entry: EntryView, concept: str | None) -> Text:
    """ "No official figure for that; ask this office", with the topic's facets and related topics to choose."""
    return Text(_no_figure(turn, entry, concept), _facet_choices(db, turn, entry))


def _no_figure(turn: Turn, entry: EntryView, concept: str | None) -> str:
    name = turn.t(CONCEPT_NAMES.get(concept or "this", CONCEPT_NAMES["this"]))
    return turn.t(
        "I don't have an official figure for {concept} yet; {office} can tell you.",
        concept=name,
        office=_office(turn, entry),
    )


def _facet_choices(db: Session, turn: Turn, entry: EntryView, shown: str = "") -> tuple[Choice, ...]:
    """The entry's facets not yet shown, then related topics, within LINE's quick-reply limit."""
    choices = [_facet_choice(turn, entry, f) for f in entry.facets if f.id != shown]
    related = [c for c in (_topic_choice(turn, e) for e in _related(db, turn, entry.related)) if c]
    choices += related[: max(0, MAX_QUICK_REPLIES - len(choices))]
    return tuple(choices[:MAX_QUICK_REPLIES])


def _more_reply(db: Session, turn: Turn, entry: EntryView, shown: str = "") -> Text:
    """The entry's summary with its source, and its other facets as choices."""
    lang = turn.t.lang
    return Text(f"{entry.answer(lang)}\n\n{source_line(turn, entry)}", _facet_choices(db, turn, entry, shown))


def source_line(turn: Turn, entry: EntryView) -> str:
    """ "ที่มา: อย. food.fda.moph.go.th · ตรวจสอบ ธ.ค. 2569": official sites only, owner's calendar."""
    lang = turn.t.lang
    month = clock.month_year(entry.checked_on, lang)
    shown: list[str] = []
    for source in entry.sources:
        item = f"{short_name(source.name_en if lang == 'en' else source.name_th)} {source.host()}"
        if item not in shown:
            shown.append(item)
    if not shown:
        return turn.t("Checked {month}", month=month)
    return turn.t("Source: {sources} · checked {month}", sources=", ".join(shown[:MAX_SOURCES_SHOWN]), month=month)


def short_name(name: str) -> str:
    """The office's abbreviation when the name gives one in brackets ("… (อย.)" → "อย."), else the name."""
    start, end = name.find("("), name.find(")")
    if 0 <= start < end and end - start > 1:
        return name[start + 1 : end].strip()
    return name


def _office(turn: Turn, entry: EntryView) -> str:
    if not entry.sources:
        return turn.t(FALLBACK_OFFICE)
    source = entry.sources[0]
    return f"{short_name(source.name_en if turn.t.lang == 'en' else source.name_th)} ({source.host()})"


def _view(db: Session, turn: Turn, entry_id: str) -> EntryView | None:
    knowledge = turn.context.knowledge
    found: EntryView | None = knowledge.entry(db, entry_id) if knowledge is not None else None
    return found


def _related(db: Session, turn: Turn, ids: Iterable[str]) -> list[EntryView]:
    views = (_view(db, turn, id_) for id_ in ids)
    return [v for v in views if v is not None]


def _topic_choice(turn: Turn, entry: EntryView | None) -> Choice | None:
    if entry is None:
        return None
    lang = turn.t.lang
    written = entry.label(lang)  # a label the content wrote is what the chat shows when tapped
    label = written or short_label(entry.title(lang), MAX_LABEL)
    return Choice(label=label, postback=Topic(entry.id).data[:MAX_DATA], display_text=written or entry.title(lang))


def _facet_choice(turn: Turn, entry: EntryView, facet: Facet) -> Choice:
    lang = turn.t.lang
    label = facet.label(lang) or (
        turn.t(FACET_LABELS[facet.id]) if facet.id in FACET_LABELS else short_label(facet.questions[0], MAX_LABEL)
    )
    return Choice(
        label=short_label(label, MAX_LABEL), postback=TopicFacet(entry.id, facet.id).data[:MAX_DATA], display_text=label
    )
