"""An owner's message tells the bot which language to answer in only when it clearly says so: a sentence
in English, or Thai; the Latin chat words every Thai owner types ("OK", "thank you", "GMP") do not."""

from __future__ import annotations

import pytest

from otopbot.dialogue.flows import smalltalk


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("How much does the workshop cost?", "en"),
        ("Is there any training for ceramics in Lampang", "en"),
        ("อบรมมีค่าใช้จ่ายไหมคะ", "th"),
        ("ขอ GMP หน่อยค่ะ", "th"),
        ("OK thank you", None),
        ("thank you very much", None),
        ("GMP", None),
        ("OK ค่ะ", "th"),  # ค่ะ is typed by a Thai speaker
        ("2", None),
    ],
)
def test_the_language_a_message_is_written_in(text: str, language: str | None) -> None:
    assert smalltalk.language_written(text) == language
