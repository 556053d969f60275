"""Normalisation and segmentation: what makes sloppy chat comparable."""

from __future__ import annotations

import pytest

from otopbot.nlu.normalize import normalize
from otopbot.nlu.tokens import domain_words, tokenize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("สวัสดีครับบบบ", "สวัสดีครับ"),
        ("ดีจ้าาา", "ดีจ้า"),
        ("จอง ๒ ที่  ค่ะ ", "จอง 2 ที่ ค่ะ"),
        ("OTOP GMP", "otop gmp"),
        ("เเก้ว", "แก้ว"),  # two sara e typed for sara ae
        ("ถอนชื่อออกค่ะ", "ถอนชื่อออกค่ะ"),  # ชื่อ+ออก keeps its three อ
        ("โทร 02-201-7000", "โทร 02-201-7000"),  # digits are never squeezed
    ],
)
def test_normalize_makes_variants_equal(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("ขอมผช.เซรามิกต้องทำยังไง", "มผช."),  # not ขอม|ผช. ("Khmer")
        ("สินค้าotopของวิสาหกิจชุมชน", "วิสาหกิจชุมชน"),
        ("มาตรฐานgmpสำหรับแปรรูปอาหาร", "แปรรูปอาหาร"),
        ("จองเวิคช็อปค่ะ", "เวิคช็อป"),
    ],
)
def test_domain_words_are_kept_whole(text: str, token: str) -> None:
    assert token in tokenize(normalize(text))


def test_tokenize_never_returns_whitespace() -> None:
    assert all(t.strip() for t in tokenize("จอง 2 ที่   ค่ะ"))
    assert tokenize("") == []


def test_domain_words_come_from_the_word_list() -> None:
    assert {"มผช", "มผช.", "วิสาหกิจชุมชน", "otop"} <= domain_words()
