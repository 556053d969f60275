"""Our compiled Thai spelling fixes give exactly PyThaiNLP's `normalize` output, on all of bot/ and hard cases.

PyThaiNLP's function stays here as the oracle: if an upgrade changes its rules, this test names the
text whose normalised form would change, before the classifier and the search see a different text.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from nlu_paths import BOT, SHARED_EVAL
from pythainlp.util import normalize as pythainlp_normalize

from otopbot.nlu.normalize import normalize
from otopbot.nlu.thai_spelling import thai_spelling

HARD = [
    "",
    " ",
    "สวัสดีครับบบบ",
    "ดีีีีี",
    "นานาาา",
    "เเปลก",
    "เเเปลก",
    "ก้ำ",
    "กํ่า",  # nikhahit, tone, sara aa typed for sara am
    "กา่",  # tone after a follow vowel
    "ก่่่่า",
    "ก่้๊๋",
    "ก ุ่",
    "พ ุ่มดอกไม้",
    "ภาพ ุ่",
    "ฤๅษี",
    "กๅ",
    "่ก",
    "คำ ่ที่สอง",
    "้ ้ ก",
    "ก ะ ะ ะ",
    "ก\u200bข\u200cค",
    "บรรทัด\n\n  \nใหม่",
    "ก    ข   ค",
    "จอง ๒ ที่  ค่ะ ",
    "โทร ๐๘๑-๒๓๔-๕๖๗๘",
    "OTOP GMP มผช. ราคา 1,500 บาท",
    "Hello ครับ!! 😊👍 ดีมากกกก",
    "ชื่อออกค่ะ",
    "ถอนชื่อออออกค่ะ",
    "ม.ผ.ช. กับ อย.",
    "\tแท็บ\tและ\r\nขึ้นบรรทัด ",
    "ำำำ",
    "ัััั",
    "์์์",
    "ๆๆๆ",
    "ฺฺ",
    "ํํา",
]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _content_texts() -> list[str]:
    """Every string in bot/ (intent phrases, entity synonyms, knowledge answers, forms) and the eval sets."""
    texts: set[str] = set()
    for path in sorted(BOT.rglob("*.yml")) + sorted(SHARED_EVAL.rglob("*.yml")):
        texts.update(_strings(yaml.safe_load(path.read_text(encoding="utf-8"))))
    for path in sorted(BOT.rglob("*.txt")) + sorted(SHARED_EVAL.rglob("*.txt")):
        texts.update(path.read_text(encoding="utf-8").splitlines())
    return sorted(texts)


def _shuffled_marks(count: int) -> list[str]:
    """Random strings of Thai letters, vowels, tone marks, spaces and zero-width characters: the rules' corners."""
    letters = "กขคฤฦอ ะาำๅเแโใไัิีึืฺุู์ํ๎็่้๊๋\u200b\u200c\n๐๑aA ๆ."
    rng = random.Random(14)
    return ["".join(rng.choice(letters) for _ in range(rng.randint(1, 12))) for _ in range(count)]


def _old_normalize(text: str) -> str:
    """otopbot's normalise as it was, on PyThaiNLP's own function."""
    text = pythainlp_normalize(text.lower()).translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))
    text = re.sub(r"(อ)\1{3,}|([^\dอ])\2{2,}", lambda m: m.group(1) or m.group(2), text)
    return re.sub(r"\s+", " ", text).strip()


def _old_normalize_settled(text: str) -> str:
    """`_old_normalize` again until the text stops changing: PyThaiNLP's fixes take two passes on
    some runs of marks ("ๅๅ"), and `normalize` must be idempotent (tests/hostile)."""
    for _ in range(4):
        again = _old_normalize(text)
        if again == text:
            break
        text = again
    return text


def test_bot_content_is_read() -> None:
    texts = _content_texts()
    assert len(texts) > 1000
    assert "มผช" in {normalize(t) for t in texts}


@pytest.mark.parametrize("corpus", ["hard", "content", "shuffled"])
def test_thai_spelling_equals_pythainlp(corpus: str) -> None:
    texts = {"hard": HARD, "content": _content_texts(), "shuffled": _shuffled_marks(5000)}[corpus]
    for text in texts:
        assert thai_spelling(text) == pythainlp_normalize(text), text
        assert normalize(text) == _old_normalize_settled(text), text
