"""A key word inside a dictionary compound is still found as a whole word, never as a raw substring."""

from __future__ import annotations

import pytest

from otopbot.dialogue import reading


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("ถ้าสมัครแล้วต้องเสียค่าใช้จ่ายไหมคะ", "ค่าใช้จ่าย"),  # เสียค่าใช้จ่าย is one token
        ("ขอลดเหลือ ๑ ที่ค่ะ", "เหลือ"),  # ลดเหลือ is one token
        ("ไม่เอาแล้วค่ะ", "ไม่เอา"),
    ],
)
def test_a_word_inside_a_compound_is_found(text: str, word: str) -> None:
    assert reading.read(text).has(word)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("อยากทำแก้วเป่าขายค่ะ", "แก้"),  # glass is not a correction
        ("ขอบคุณมากค่ะ", "ขอ"),
        ("อยากได้ข้อมูลเรื่องมาตรฐาน", "อย"),
    ],
)
def test_letters_that_are_not_a_word_there_are_not_found(text: str, word: str) -> None:
    assert not reading.read(text).has(word)
