"""PyThaiNLP's `normalize` (its spelling fixes for Thai), with the same output for a tenth of the CPU.

`pythainlp.util.normalize` runs about thirty regex substitutions per call, most of them one per
Thai vowel or sign (``(า[ ]*)+า`` → ``า``, then the same for the next sign, …), each looked up in
`re`'s cache by pattern string; the NLU, the reading of a message and the knowledge search call it
a dozen times per message, and it was 6–8 % of an answer's CPU. Here the rules are compiled once and
the per-sign rules run as one pattern. Collapsing a run of one sign never creates a run of another
(the sign stays between its neighbours), so doing all signs in one pass gives the same text as doing
them one after another. tests/unit/nlu/test_nlu_thai_spelling.py checks this against PyThaiNLP's own
function over every phrase in bot/ and a set of hard cases; a PyThaiNLP upgrade that changes its
rules shows up there.
"""

from __future__ import annotations

import re

from pythainlp import thai_above_vowels as _ABOVE
from pythainlp import thai_below_vowels as _BELOW
from pythainlp import thai_consonants as _CONSONANTS
from pythainlp import thai_follow_vowels as _FOLLOW
from pythainlp import thai_lead_vowels as _LEAD
from pythainlp import thai_tonemarks as _TONES
from pythainlp import thai_vowels as _VOWELS

_DANGLING = f"{_ABOVE}{_BELOW}{_TONES}\u0e3a\u0e4c\u0e4d\u0e4e"  # marks that need a consonant before them
_NO_REPEAT = f"{_FOLLOW}{_LEAD}{_ABOVE}{_BELOW}\u0e3a\u0e4c\u0e4d\u0e4e"  # vowels and signs never written twice

_SPACE_RUN = re.compile(" {2,}")
_NEWLINES = re.compile("[ \n]*\n[ \n]*")
_SPACE_BEFORE_MARK = re.compile(f"([{_CONSONANTS}])(?<![{_VOWELS}][{_CONSONANTS}]) ([{_DANGLING}])")
# PyThaiNLP's reorder_vowels, in its order; each rule only where its first letter occurs (a substring
# test costs a tenth of a regex pass)
_REORDER = (
    ("\u0e40", re.compile("\u0e40\u0e40"), "\u0e41"),  # Sara E + Sara E → Sara Ae
    ("", re.compile(f"([{_TONES}\u0e4c]+)([{_ABOVE}{_BELOW}]+)"), r"\2\1"),  # tone + above/below vowel → vowel + tone
    ("\u0e4d", re.compile(f"\u0e4d([{_TONES}]*)\u0e32"), "\\1\u0e33"),  # Nikhahit + tone + Sara Aa → tone + Sara Am
    ("", re.compile(f"([{_FOLLOW}]+)([{_TONES}]+)"), r"\2\1"),  # follow vowel + tone → tone + follow vowel
    ("\u0e45", re.compile("([^\u0e24\u0e26])\u0e45"), "\\1\u0e32"),  # Lakkhangyao → Sara Aa
)
_REPEATED_SIGN = re.compile(f"([{re.escape(_NO_REPEAT)}])(?:[ ]*\\1)+")  # one sign, repeated, spaces between
_TONE_RUN = re.compile(f"[{_TONES}]+([{_TONES}])")  # several tone marks: the last one counts
_DANGLING_AT_START = re.compile(f"^[{_DANGLING}]+")
_DANGLING_AFTER_SPACE = re.compile(f" +[{_DANGLING}]+")


def thai_spelling(text: str) -> str:
    """What `pythainlp.util.normalize(text)` returns: zero-width characters and duplicate spaces gone,
    vowels and tone marks in standard order, repeated vowels and signs once, no dangling marks."""
    text = text.replace("\u200b", "").replace("\u200c", "")
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    if "\n" in text:
        text = _NEWLINES.sub("\n", text)
    text = text.strip()
    if " " in text:
        text = _SPACE_BEFORE_MARK.sub(r"\1\2", text)
    for letter, pattern, replacement in _REORDER:
        if letter in text:
            text = pattern.sub(replacement, text)
    text = _REPEATED_SIGN.sub(r"\1", text)
    text = _TONE_RUN.sub(r"\1", text)
    text = _DANGLING_AT_START.sub("", text)
    return _DANGLING_AFTER_SPACE.sub(" ", text) if " " in text else text
