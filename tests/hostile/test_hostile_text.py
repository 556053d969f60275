"""Arbitrary text through the NLU and the dialogue's form parsers: never an exception, always a valid answer.

Owners type anything: Thai with stray tone marks, emoji, other scripts, control characters, text
pasted from elsewhere. The NLU must always return a known intent with a sane confidence and
well-typed entities, and each form parser must return a value or its REJECT marker.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import assume, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from otopbot.dialogue import parsers
from otopbot.dialogue.forms import load_forms
from otopbot.dialogue.turn import BotContext, Turn
from otopbot.i18n import Translator
from otopbot.models import LineUser
from otopbot.nlu import entities
from otopbot.nlu.engine import get_engine
from otopbot.nlu.normalize import normalize
from otopbot.nlu.types import Category, Intent, Understanding
from otopbot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = Settings(
    database_url="sqlite://",
    secret_key="hostile-text-secret-key-0123",
    content_dir=ROOT / "bot",
    locales_dir=ROOT / "locales",
)
TEXT = hsettings(max_examples=200, deadline=None)
INTENTS = {i.value for i in Intent}
CATEGORIES = {c.value for c in Category}

# Everything Unicode can encode except lone surrogates (tested separately), weighted toward Thai.
any_text = (
    st.text(max_size=300)
    | st.text(st.characters(min_codepoint=0x0E00, max_codepoint=0x0E7F), max_size=80)
    | st.text(st.sampled_from(list("กขคงจฉชซญดตถทธนบปผพฟภมยรลวสหอฮะาิีึืุูเแโไำ่้๊๋็์๐๑๒๓๔๕๖๗๘๙0123456789 -/.,")), max_size=60)
)
ODD = [
    "",
    " ",
    "\x00",
    "\u200b",
    "\ufeff",
    "\u202e",
    "\ud800",
    "a\udfffb",
    "่่่่่่",
    "ํ",
    "🇹🇭" * 50,
    "9" * 500,
    "๐" * 40,
    "0812345678" * 20,
    "-" * 300,
    "/" * 300,
    "มผช." * 500,
    "\n" * 100,
    "ก" * 6000,
    "ลำปาง" * 100,
    "31/02/2567",
    "32 มกราคม",
    "วันที่ 99",
    "99999999999999999999999 ที่นั่ง",
]


@pytest.fixture(scope="module")
def engine():  # type: ignore[no-untyped-def]
    return get_engine(SETTINGS.content_dir)


def _check(understanding: Understanding, text: str) -> None:
    assert isinstance(understanding, Understanding)
    assert understanding.intent in INTENTS
    assert math.isfinite(understanding.confidence) and 0.0 <= understanding.confidence <= 1.0
    found = understanding.entities
    assert found.category is None or found.category in CATEGORIES
    assert found.province is None or isinstance(found.province, str)
    assert found.date is None or isinstance(found.date, date)
    assert found.phone is None or (isinstance(found.phone, str) and found.phone.isdigit())
    assert found.count is None or isinstance(found.count, int)
    understanding.to_json()  # what the evaluation and the logs of the NLU serialise


@TEXT
@given(text=any_text)
def test_the_nlu_understands_any_text_without_raising(engine, text: str) -> None:  # type: ignore[no-untyped-def]
    _check(engine.understand(text, date(2025, 6, 1)), text)


@pytest.mark.parametrize("text", ODD, ids=range(len(ODD)))
def test_the_nlu_handles_odd_inputs(engine, text: str) -> None:  # type: ignore[no-untyped-def]
    _check(engine.understand(text, date(2025, 6, 1)), text)
    _check(engine.understand(text), text)


@TEXT
@given(text=any_text)
@example(text="0ๅๅ")  # PyThaiNLP's fixes turn it into "0าๅ", which normalises again to "0า"
def test_normalise_is_total_and_idempotent(text: str) -> None:
    once = normalize(text)
    assert isinstance(once, str)
    assert normalize(once) == once


# ---- the dialogue's form parsers ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def turn(engine) -> Turn:  # type: ignore[no-untyped-def]
    user = LineUser(line_user_id="U" + "f" * 32, language="th", following=True)
    return Turn(
        user=user,
        now=datetime(2025, 6, 1, 3, 0, tzinfo=UTC),
        t=Translator(SETTINGS.locales_dir, "th"),
        context=BotContext(settings=SETTINGS, nlu=engine),
    )


SLOTS = [(form.name, slot) for form in load_forms(SETTINGS.content_dir).values() for slot in form.slots]


@pytest.mark.parametrize("form_slot", SLOTS, ids=[f"{f}.{s.name}" for f, s in SLOTS])
@TEXT
@given(text=any_text)
def test_every_form_slot_parser_returns_a_value_or_reject(turn: Turn, form_slot, text: str) -> None:  # type: ignore[no-untyped-def]
    _, slot = form_slot
    if slot.parser == "seats":  # known crash on non-decimal digits: test_the_seats_parser_survives_superscript_digits
        assume(not any(c.isdigit() and not c.isdecimal() for c in text))
    value = parsers.PARSERS[slot.parser](text, slot, turn)
    if isinstance(value, type(parsers.REJECT)):  # REJECT or another re-ask marker (OUT_OF_RANGE)
        return
    if slot.parser == "text":
        assert isinstance(value, str) and parsers.MIN_TEXT <= len(value) <= parsers.MAX_TEXT
    elif slot.parser == "phone":
        assert isinstance(value, str) and value.isdigit()
        parsers.show_phone(value)
    elif slot.parser == "seats":
        assert isinstance(value, int) and 1 <= value <= parsers.MAX_SEATS
    elif slot.parser == "yes_no":
        assert value in (True, False)
    elif slot.parser == "many":
        assert isinstance(value, list) and set(value) <= {o.value for o in slot.choices}
    elif slot.parser in ("choice", "category") and slot.choices:
        assert value in {o.value for o in slot.choices} | CATEGORIES


@pytest.mark.parametrize("text", ODD, ids=range(len(ODD)))
def test_every_parser_handles_odd_inputs(turn: Turn, text: str) -> None:
    for _, slot in SLOTS:
        parsers.PARSERS[slot.parser](text, slot, turn)
    for check in (parsers.is_yes, parsers.is_no, parsers.is_done, parsers.is_skip):
        assert check(text) in (True, False)


@TEXT
@given(text=any_text)
def test_the_yes_no_done_skip_checks_and_entity_finders_are_total(text: str) -> None:
    for check in (parsers.is_yes, parsers.is_no, parsers.is_done, parsers.is_skip):
        assert check(text) in (True, False)
    assert entities.category(text) in CATEGORIES | {None}
    assert entities.province(text) is None or isinstance(entities.province(text), str)
    phone = entities.phone(text)
    assert phone is None or phone.isdigit()
    count = entities.count(text)
    assert count is None or isinstance(count, int)
    found = entities.date_in(text, date(2025, 6, 1))
    assert found is None or isinstance(found, date)


SEATS_SLOT = next(slot for _, slot in SLOTS if slot.parser == "seats")


@pytest.mark.parametrize("text", ["²", "①", "3²"])
def test_the_seats_parser_survives_superscript_digits(turn: Turn, text: str) -> None:
    value = parsers.PARSERS["seats"](text, SEATS_SLOT, turn)
    assert isinstance(value, (int, type(parsers.REJECT)))
