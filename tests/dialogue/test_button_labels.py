"""Every button label the bot can produce fits LINE's 20 characters as written: none is cut or ends in "…".

A label cut mid-word ("มอก. ต่างจาก มผช. ย…") reads as a broken button. This walks the labels the
bot really builds — the main menu, every form's choices, my data, bookings, announcements, the rich
menu, and every knowledge topic's related-question labels (whatever labels the content defines) —
in Thai and English, and the catalog's label msgids.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import pytest
from dialogue_talk import Talk, _choices
from test_dialogue_catalog import all_msgids, catalog

from otopbot.cards import workshop_card
from otopbot.dialogue.menu import MAX_LABEL, word_ends
from otopbot.i18n import Translator
from otopbot.knowledge.search import KnowledgeBase
from otopbot.knowledge.store import sync_from_content
from otopbot.line.render import render
from otopbot.line.richmenu import load_spec, request_dict
from otopbot.models import KnowledgeEntry, Workshop
from otopbot.replies import Choice, Reply

ROOT = Path(__file__).resolve().parents[2]
REGISTRATION = (
    "สมัครเข้าร่วมโครงการค่ะ",
    "form:yes",
    "กลุ่มเซรามิกบ้านทุ่ง",
    "form:community_enterprise",
    "form:__skip",
    "ลำปาง",
    "form:ceramics",
    "ชามตราไก่",
    "สมศรี",
    "0812345678",
    "form:standards",
    "form:__done",
    "form:__edit",
    "form:__edit:phone",
    "0812345679",
    "form:__confirm",
)


def problem(choice: Choice) -> str | None:
    """Why this label would look broken on a phone, or None."""
    label = choice.label
    if not 0 < len(label) <= MAX_LABEL:
        return f"{len(label)} characters"
    if "…" in label or label.endswith("..."):
        return "ends with an ellipsis"
    full = choice.display_text or choice.text or ""
    if (
        full != label
        and full.startswith(label)
        and len(label) not in word_ends(full)
        and not full[len(label)].isspace()
    ):
        return f"cut mid-word from {full!r}"
    return None


def check(choices: Iterable[Choice]) -> list[str]:
    return [f"{c.label!r}: {why}" for c in choices if (why := problem(c))]


def choices_in(replies: Iterable[Reply]) -> list[Choice]:
    return [c for reply in replies for c in _choices(reply)]


@pytest.mark.parametrize("lang", ["th", "en"])
def test_every_label_msgid_reads_whole_in_the_catalog(lang: str) -> None:
    _, labels = all_msgids()
    texts = catalog(lang)
    cut = sorted(texts.get(m) or m for m in labels if "…" in (texts.get(m) or m))
    assert not cut


@pytest.mark.parametrize("lang", ["th", "en"])
def test_menus_forms_my_data_and_bookings_labels_are_whole(talk: Talk, lang: str) -> None:
    user = talk.follow(language=lang)
    seen = choices_in(talk.welcome(user))
    for step in REGISTRATION:
        seen += choices_in((talk.tap if step.startswith("form:") else talk.say)(user, step))
    workshop = talk.workshop(capacity=1)
    seen += choices_in(talk.say(user, "มีอบรมเซรามิกไหมคะ"))
    talk.tap(user, f"book:{workshop}:1")
    seen += choices_in(talk.tap(user, "menu:my_bookings"))
    seen += choices_in(talk.tap(user, "mydata:show"))
    seen += choices_in(talk.tap(user, "erase:ask"))
    seen += choices_in(talk.say(user, "ติดต่อเจ้าหน้าที่ค่ะ"))
    assert len({c.label for c in seen}) >= 25, "the walk reached the menus, form choices and cards"
    assert not check(seen)


def test_knowledge_related_question_labels_are_whole(talk: Talk) -> None:
    """Tap every topic, then every `kb:` button it offers, in both languages."""
    with talk.database.transaction() as db:
        sync_from_content(db, ROOT / "bot")
    talk.context = replace(talk.context, knowledge=KnowledgeBase(ROOT / "bot"))
    topics = [row.id for row in talk.get(KnowledgeEntry)]
    assert len(topics) >= 20
    for lang in ("th", "en"):
        user = talk.follow(language=lang)
        queue, tapped, seen = [f"kb:topic:{t}" for t in topics], set(), []
        while queue and len(tapped) < 400:
            data = queue.pop()
            if data in tapped:
                continue
            tapped.add(data)
            choices = choices_in(talk.tap(user, data))
            seen += choices
            queue += [c.postback for c in choices if c.postback and c.postback.startswith("kb:")]
        assert seen and not check(seen), check(seen)


def test_announcement_and_rich_menu_labels_are_whole(talk: Talk) -> None:
    talk.workshop()
    (workshop,) = talk.get(Workshop)
    cards = [workshop_card(Translator(ROOT / "locales", lang), workshop) for lang in ("th", "en")]
    assert not check(choices_in(cards))
    for area in request_dict(load_spec(ROOT / "bot"))["areas"]:
        assert area["action"]["label"] in {a.label_en for a in load_spec(ROOT / "bot").areas}


def test_the_renderer_never_adds_an_ellipsis_to_a_label() -> None:
    """Should a label still be too long, LINE gets it cut between words, not "…"."""
    from otopbot.replies import Card, Text

    long = Choice("Community enterprise registration", postback="kb:topic:x")
    [text, card] = render([Text("เลือกค่ะ"), Card("หัวข้อ", actions=(long,))])
    [quick] = render([Text("เลือกค่ะ", (long,))])
    labels = [
        quick["quickReply"]["items"][0]["action"]["label"],
        card["contents"]["footer"]["contents"][0]["action"]["label"],
    ]
    assert labels[0] == "Community enterprise" and labels[1] == long.label
    assert text["text"] == "เลือกค่ะ"
