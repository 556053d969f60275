"""Postback data is rendered and parsed in one place; anything the bot never sent parses to Unknown."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from otopbot import postbacks
from otopbot.postbacks import (
    Book,
    CancelBooking,
    ChangeSeats,
    ConfirmCancel,
    Erase,
    EraseStep,
    FormAnswer,
    JoinWaitlist,
    KeepBooking,
    MenuAction,
    MenuItem,
    MyData,
    MyDataStep,
    Postback,
    Topic,
    Unknown,
)

ROOT = Path(__file__).resolve().parents[3]

EVERY_KIND: list[Postback] = [
    *(MenuAction(item) for item in MenuItem),
    *(MyData(step) for step in MyDataStep),
    *(Erase(step) for step in EraseStep),
    Book(42),
    Book(42, 3),
    Book(postbacks.MAX_ID),
    JoinWaitlist(7, 2),
    CancelBooking("K7Q2MX"),
    ConfirmCancel("K7Q2MX"),
    KeepBooking("K7Q2MX"),
    ChangeSeats("K7Q2MX", 3),
    Topic("mpc-overview"),
    FormAnswer("yes"),
    FormAnswer("__edit:phone"),
    FormAnswer("community_enterprise"),
    FormAnswer("3"),
]


@pytest.mark.parametrize("postback", EVERY_KIND, ids=lambda p: p.data)
def test_every_kind_of_postback_parses_back_to_itself(postback: Postback) -> None:
    assert postbacks.parse(postback.data) == postback


@pytest.mark.parametrize(
    "data",
    [
        "book:²",
        "wait:²:1",
        "wait:1:²",
        "book:99999999999999999999",
        "book:๑๒",
        "book:0",
        "book:-1",
        "book:",
        "book:1:2:3",
        "book:1:x",
        "wait:1",
        "wait:1:99999",
        "cancel:<script>",
        "cancel:",
        "seats:K7Q2MX",
        "seats:K7Q2MX:๓",
        "seats::2",
        "keep:" + "A" * 17,
        "menu:nothing",
        "mydata:delete",
        "erase:maybe",
        "kb:",
        "kb:other:x",
        "kb:topic:../etc",
        "form:",
        "form:\x00",
        "teleport:1",
        "menu",
        "",
        "   ",
        "x" * 301,
    ],
)
def test_data_the_bot_never_sends_is_unknown(data: str) -> None:
    assert isinstance(postbacks.parse(data), Unknown)


def test_nothing_is_parsed_from_nothing() -> None:
    assert isinstance(postbacks.parse(None), Unknown)


@given(st.text(max_size=400))
def test_parsing_never_raises(data: str) -> None:
    parsed = postbacks.parse(data)
    assert isinstance(parsed, Unknown) or postbacks.parse(parsed.data) == parsed


def test_every_rich_menu_area_sends_a_postback_the_bot_answers() -> None:
    spec = yaml.safe_load((ROOT / "bot" / "richmenu" / "richmenu.yml").read_text(encoding="utf-8"))
    parsed = [postbacks.parse(area["data"]) for area in spec["areas"]]
    assert [p for p in parsed if isinstance(p, Unknown)] == []
    assert len(parsed) == 6
