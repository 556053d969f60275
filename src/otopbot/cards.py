"""Facts worded for one reader: the workshop card and the labels it uses, shared by the chat and broadcasts.

Services return workshops; this module (with `clock` for dates) is where they become words, in the
reader's language, through a `Translator` — so an owner sees the same card whether they asked for
workshops in the chat or staff announced one, and there is one place to change it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from otopbot.clock import day, span
from otopbot.i18n import N_, Translator
from otopbot.models import Workshop
from otopbot.postbacks import Book
from otopbot.replies import Card, Choice, to_dict

CATEGORY_LABELS = {
    "food": N_("Processed food"),
    "ceramics": N_("Ceramics"),
    "glass": N_("Glass and mirror"),
    "rubber": N_("Rubber"),
    "paper": N_("Pulp and paper"),
}
MAX_LABEL = 20  # LINE's limit on a button label


def category_label(t: Translator, category: str | None) -> str:
    return t(CATEGORY_LABELS[category]) if category in CATEGORY_LABELS else ""


def workshop_title(workshop: Workshop, lang: str) -> str:
    """The English title for English readers when staff wrote one, else the Thai title."""
    return workshop.title_en if lang == "en" and workshop.title_en else workshop.title


def seats_line(t: Translator, workshop: Workshop) -> str:
    if workshop.seats_left <= 0:
        return t("💺 Full — waiting list open")
    return t("💺 {left} of {capacity} seats left", left=workshop.seats_left, capacity=workshop.capacity)


def workshop_card(
    t: Translator, workshop: Workshop, *, seats: int | None = None, note: str | None = None, alt_text: str | None = None
) -> Card:
    """Date, place, category, seats left and deadline, with a Book (or Join waiting list) button.

    `seats` rides on the button when the owner already said how many; `note` is staff's line on top.
    """
    title = workshop_title(workshop, t.lang)
    label = t(N_("Book") if workshop.seats_left > 0 else N_("Join waiting list"))
    button = Choice(label=label[:MAX_LABEL], postback=Book(workshop.id, seats).data, display_text=label)
    lines = (
        *((note.strip(),) if note and note.strip() else ()),
        f"📅 {span(workshop.starts_at, workshop.ends_at, t.lang)}",
        f"📍 {workshop.venue}, {workshop.province}",
        f"🏷 {category_label(t, workshop.category)}",
        seats_line(t, workshop),
        t("Book by {deadline}", deadline=day(workshop.registration_deadline, t.lang)),
    )
    return Card(title=title, lines=lines, actions=(button,), alt_text=alt_text or title)


def workshop_announcement(
    workshop: Workshop, translators: Iterable[Translator], note: str | None = None
) -> list[dict[str, Any]]:
    """A broadcast payload: the workshop card in each reader language (`[{"lang", "replies"}, …]`)."""
    parts = []
    for t in translators:
        alt = t("New workshop: {title}", title=workshop_title(workshop, t.lang))
        parts.append({"lang": t.lang, "replies": [to_dict(workshop_card(t, workshop, note=note, alt_text=alt))]})
    return parts
