"""Forged or stale postback data, sent through the LINE simulator: a polite answer, never a crash.

Anyone can tap a button the bot sent a week ago, and a client holding the channel secret can send
any data. Malformed ids (Unicode digits, numbers beyond the database's range) get the help menu;
well-formed ids of workshops that do not exist get "no longer taking bookings". Either way the
event is processed once and marked done.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from harness import visible_text
from otopbot.models import InboundEvent, InboundStatus


def _statuses(chat) -> set[str]:  # type: ignore[no-untyped-def]
    with chat.runtime.database.transaction() as session:
        return {str(e.status) for e in session.scalars(select(InboundEvent))}


@pytest.mark.parametrize(
    "data",
    [
        "book:²",
        "wait:²:1",
        "wait:1:²",
        "book:99999999999999999999",
        "wait:99999999999999999999:1",
        "cancel:<b>",
        "teleport:1",
        "menu:nowhere",
    ],
)
def test_a_malformed_postback_gets_the_help_menu_and_the_event_is_done(chat, data: str) -> None:  # type: ignore[no-untyped-def]
    owner = chat.follow()
    help_menu = visible_text(owner.tap("menu:help"))
    answer = owner.tap(data)
    assert visible_text(answer) == help_menu
    assert _statuses(chat) == {InboundStatus.DONE}


@pytest.mark.parametrize("data", ["book:2147483647", "book:123456:2", "wait:123456:1"])
def test_a_workshop_that_does_not_exist_is_no_longer_taking_bookings(chat, data: str) -> None:  # type: ignore[no-untyped-def]
    owner = chat.follow()
    assert "ปิดรับจองแล้ว" in visible_text(owner.tap(data))
    assert _statuses(chat) == {InboundStatus.DONE}
