"""One workshop card: the chat's carousel and a staff broadcast show a workshop the same way."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from otopbot import cards
from otopbot.i18n import LANGUAGES, Translator
from otopbot.models import Workshop
from otopbot.postbacks import Book, parse
from otopbot.replies import reply_from_dict

LOCALES = Path(__file__).resolve().parents[3] / "locales"


def _workshop(seats_taken: int = 10) -> Workshop:
    return Workshop(
        id=7,
        code="W2612-ABCD",
        title="เคลือบเซรามิกไร้สารตะกั่ว",
        title_en="Lead-free glazes",
        category="ceramics",
        venue="ศูนย์ส่งเสริมอุตสาหกรรม",
        province="ลำปาง",
        region="north",
        starts_at=datetime(2026, 12, 12, 2, tzinfo=UTC),
        ends_at=datetime(2026, 12, 12, 9, tzinfo=UTC),
        capacity=30,
        seats_taken=seats_taken,
        registration_deadline=datetime(2026, 12, 9, tzinfo=UTC),
    )


def test_a_broadcast_card_is_the_chat_card_with_staff_note_on_top() -> None:
    translators = [Translator(LOCALES, lang) for lang in LANGUAGES]
    announced = cards.workshop_announcement(_workshop(), translators, note="ที่นั่งจำกัด")
    for part, t in zip(announced, translators, strict=True):
        (sent,) = [reply_from_dict(r) for r in part["replies"]]
        in_chat = cards.workshop_card(t, _workshop())
        assert sent.lines == ("ที่นั่งจำกัด", *in_chat.lines)
        assert sent.actions == in_chat.actions and sent.title == in_chat.title
    th_lines = cards.workshop_card(translators[0], _workshop()).lines
    assert "📅 ส. 12 ธ.ค. 2569, 09:00–16:00 น." in th_lines


def test_the_card_button_books_that_workshop_or_joins_its_waiting_list() -> None:
    t = Translator(LOCALES, "en")
    (open_button,) = cards.workshop_card(t, _workshop(), seats=2).actions
    assert parse(open_button.postback) == Book(7, 2) and open_button.label == "Book"
    (full_button,) = cards.workshop_card(t, _workshop(seats_taken=30)).actions
    assert parse(full_button.postback) == Book(7) and full_button.label == "Join waiting list"
