"""Neutral replies become LINE JSON that LINE accepts: limits are enforced in one place."""

from __future__ import annotations

import pytest

from otopbot.line.render import render
from otopbot.replies import Card, Carousel, Choice, Confirm, Text, reply_from_dict, to_dict


def test_quick_replies_are_capped_at_13_and_labels_at_20_characters() -> None:
    choices = tuple(Choice(label=f"ตัวเลือกที่ยาวมากเกินยี่สิบตัวอักษร {i}", text=str(i)) for i in range(20))
    [message] = render([Text("เลือกเลยค่ะ", choices)])
    items = message["quickReply"]["items"]
    assert len(items) == 13 and all(len(i["action"]["label"]) <= 20 for i in items)


def test_only_the_last_message_keeps_its_quick_replies() -> None:
    quick = (Choice("เมนู", postback="menu:help"),)
    first, last = render([Text("หนึ่ง", quick), Text("สอง", quick)])
    assert "quickReply" not in first and last["quickReply"]["items"][0]["action"]["data"] == "menu:help"


def test_a_carousel_has_at_most_12_bubbles_and_replies_at_most_5_messages() -> None:
    cards = tuple(
        Card(title=f"อบรม {i}", lines=("ลำปาง",), actions=(Choice("จอง", postback=f"book:{i}"),)) for i in range(15)
    )
    messages = render([Carousel(cards, alt_text="รายการอบรม")] * 7)
    assert len(messages) == 5 and len(messages[0]["contents"]["contents"]) == 12


def test_postback_data_over_300_characters_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        render([Text("x", (Choice("ยาว", postback="x" * 301),))])


def test_replies_survive_the_outbox_round_trip() -> None:
    original = Confirm("ยืนยันการยกเลิกไหมคะ", Choice("ใช่", postback="cancel:yes"), Choice("ไม่", postback="cancel:no"))
    assert reply_from_dict(to_dict(original)) == original
