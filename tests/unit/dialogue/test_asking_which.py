""" "A หรือ B คะ" asks which of two; at a question with choices it must not be read as the choice it names."""

from __future__ import annotations

import pytest

from otopbot.dialogue import reading


@pytest.mark.parametrize(
    "text",
    [
        "เบอร์ร้านหรือเบอร์มือถือคะ",  # 'ร้าน' had been taken as the answer SME
        "เป็นร้านหรือกลุ่มดีคะ",
        "ทำเองหรือว่าเป็นกลุ่มคะ",
        "เซรามิกหรือแก้วครับ",
    ],
)
def test_a_or_b_with_an_asking_particle_asks_which(text: str) -> None:
    assert reading.read(text).asks_which


@pytest.mark.parametrize(
    "text",
    [
        "ร้านหรือกลุ่มก็ได้ค่ะ",  # a statement: either will do
        "น้ำพริกหรือแจ่ว",  # a bare list
        "หรือค่ะ",
        "ร้านค่ะ",
    ],
)
def test_a_statement_with_or_does_not_ask(text: str) -> None:
    assert not reading.read(text).asks_which
