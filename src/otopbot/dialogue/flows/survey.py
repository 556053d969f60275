"""The owner's side of the satisfaction survey: a 1–5 rating, then an optional comment.

```mermaid
flowchart LR
    asked([survey pushed by the worker]) -->|tap or typed 1–5 / ห้า / ดีมาก| comment[ask for a comment, skippable]
    asked -->|anything else, first time| reask[ask again once]
    asked -->|anything else, second time| left[survey left; message handled as usual]
    comment -->|text| thanks
    comment -->|skip / another clear request| thanks
```

A rating is read from the words of the message (PyThaiNLP tokens), never from substrings:
``ห้าม`` is not ``ห้า``, ``10`` is not ``1``. A message is only taken as a rating when every word
in it is a score, a rating word or a filler (``ค่ะ``, ``คะแนน``, ``ดาว`` …), except that one
number 1–5 in a short message counts (``ให้ 5 คะแนนเลยค่ะ``).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from otopbot.dialogue import parsers
from otopbot.dialogue.menu import with_menu
from otopbot.dialogue.turn import Turn
from otopbot.models import SurveyResponse, SurveyStatus, Workshop
from otopbot.nlu.normalize import normalize
from otopbot.nlu.tokens import tokenize
from otopbot.nlu.types import Intent
from otopbot.postbacks import SurveyAnswer
from otopbot.replies import Choice, Reply, Text
from otopbot.services import surveys

NUMBER_WORDS = {"หนึ่ง": 1, "สอง": 2, "สาม": 3, "สี่": 4, "ห้า": 5, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
QUALITY_WORDS = {
    "ดีมาก": 5,
    "ดีเยี่ยม": 5,
    "เยี่ยม": 5,
    "สุดยอด": 5,
    "ประทับใจ": 5,
    "excellent": 5,
    "great": 5,
    "ดี": 4,
    "good": 4,
    "พอใช้": 3,
    "ปานกลาง": 3,
    "เฉย": 3,
    "ok": 3,
    "okay": 3,
    "fair": 3,
    "average": 3,
    "น้อย": 2,
    "poor": 2,
    "แย่": 1,
    "แย่มาก": 1,
    "bad": 1,
    "terrible": 1,
}
NEGATIONS = {"ไม่", "ไม่ค่อย", "not"}
INTENSIFIERS = {"มาก", "very", "มากๆ"}
FILLERS = {
    "ค่ะ",
    "คะ",
    "ครับ",
    "คับ",
    "ค่า",
    "จ้า",
    "จ้ะ",
    "นะ",
    "นะคะ",
    "นะครับ",
    "เลย",
    "ๆ",
    "คะแนน",
    "ดาว",
    "ให้",
    "เต็ม",
    "ได้",
    "แล้ว",
    "score",
    "points",
    "point",
    "stars",
    "star",
    "out",
    "of",
    "/",
    "i",
    "give",
    "it",
    "a",
    "rate",
    "rating",
}
MAX_WORDS = 8  # longer messages are messages, not ratings
OTHER_GOAL_CONFIDENCE = 0.6
NOT_ANOTHER_GOAL = {Intent.OUT_OF_SCOPE, Intent.GREET, Intent.THANKS, Intent.HELP}


def _word_value(words: list[str], i: int) -> tuple[int | None, int]:
    """The score words[i] (and maybe words[i+1]) stand for, and how many words were used."""
    word, after = words[i], words[i + 1] if i + 1 < len(words) else ""
    if word in NEGATIONS and after in ("ดี", "good"):
        return 2, 2
    if word in ("ดี", "good") and after in INTENSIFIERS:
        return 5, 2
    if word in QUALITY_WORDS:
        return QUALITY_WORDS[word], 1
    return NUMBER_WORDS.get(word), 1


def rating_in(text: str) -> int | None:
    """The 1–5 score a message gives, or None when it gives none (or several)."""
    words = [w.lstrip("/") if w.startswith("/") and w[1:].isdecimal() else w for w in tokenize(normalize(text))]
    words = [w for w in words if w.strip()]
    if not words or len(words) > MAX_WORDS:
        return None
    numbers = {int(w) for w in words if w.isdecimal()}
    if numbers:
        return numbers.pop() if len(numbers) == 1 and numbers <= set(surveys.RATINGS) else None
    found: set[int] = set()
    i = 0
    while i < len(words):
        value, used = _word_value(words, i)
        if value is not None:
            found.add(value)
        elif words[i] not in FILLERS and words[i] not in INTENSIFIERS:
            return None  # a word that is not about the score: this is a sentence, not a rating
        i += used
    return found.pop() if len(found) == 1 else None


def _another_goal(turn: Turn) -> bool:
    u = turn.understanding
    return u is not None and u.intent not in NOT_ANOTHER_GOAL and u.confidence >= OTHER_GOAL_CONFIDENCE


def _title(db: Session, survey: SurveyResponse, language: str) -> str:
    return surveys.title_for(db.get_one(Workshop, survey.workshop_id), language)


def _ask_comment(turn: Turn, survey: SurveyResponse) -> list[Reply]:
    skip = Choice(label=turn.t("Skip")[:20], postback=SurveyAnswer(survey.id, "skip").data, display_text=turn.t("Skip"))
    return [
        Text(
            turn.t("Thank you! Anything you would like to tell us about the workshop? Type it here, or tap “Skip”."),
            (skip,),
        )
    ]


def _thanks(turn: Turn) -> list[Reply]:
    return [with_menu(turn, turn.t("Thank you for your feedback! It helps DSS and DIP plan the next workshops."))]


def answer_text(db: Session, turn: Turn, survey: SurveyResponse, otherwise: Callable[[], list[Reply]]) -> list[Reply]:
    """A typed message while a survey waits: a rating, a comment, or (after one re-ask) anything else."""
    text = turn.text or ""
    if survey.status == SurveyStatus.COMMENT:
        if _another_goal(turn) and not parsers.is_skip(text):
            surveys.record_comment(survey, None)
            return otherwise()
        surveys.record_comment(survey, None if parsers.is_skip(text) else text)
        return _thanks(turn)
    rating = rating_in(text)
    if rating is not None:
        surveys.record_rating(survey, rating, turn.now)
        return _ask_comment(turn, survey)
    if survey.reasked:
        survey.status = SurveyStatus.LEFT
        return otherwise()
    survey.reasked = True
    again = surveys.question(turn.t, survey.id, _title(db, survey, turn.user.language))
    sorry = turn.t("Sorry, I did not catch a score. Please tap a number from 1 to 5, or type it.")
    reask = Text(f"{sorry}\n{again.text}", again.quick_replies)
    return otherwise()[:4] + [reask] if _another_goal(turn) else [reask]


def on_postback(db: Session, turn: Turn, answer: SurveyAnswer) -> list[Reply]:
    """A rating button or "skip" (no comment)."""
    choice = answer.choice
    survey = db.get(SurveyResponse, answer.survey_id)
    if survey is None or survey.user_id != turn.user.id:
        return [with_menu(turn, turn.t("That question has expired. What would you like to do?"))]
    if choice == "skip":
        if survey.status == SurveyStatus.COMMENT:
            surveys.record_comment(survey, None)
        return _thanks(turn)
    if not choice.isdecimal() or int(choice) not in surveys.RATINGS:
        return [with_menu(turn, turn.t("That question has expired. What would you like to do?"))]
    if survey.rating is not None:
        return [with_menu(turn, turn.t("You have already rated this workshop. Thank you!"))]
    surveys.record_rating(survey, int(choice), turn.now)
    return _ask_comment(turn, survey)
