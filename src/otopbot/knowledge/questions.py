"""The learning loop: questions the bot could not answer, staff answers, and what the bot learns.

Called by the dialogue (recording) and by the staff console and CLI (answering, teaching). Every
function works inside the caller's transaction and never commits.

* `record_unanswered` stores a question with the bot's best guess, for staff.
* `answer` sends the staff answer to the user once (outbox push in the same transaction).
* `teach_phrasing` adds the user's words to an entry, so the same question is answered next time.
* `create_entry_from_question` starts a new entry from a question nobody had covered.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from otopbot.db import utcnow
from otopbot.i18n import Translator
from otopbot.knowledge.store import union_phrasings
from otopbot.models import KnowledgeEntry, LineUser, Question, QuestionKind, QuestionStatus
from otopbot.replies import Text
from otopbot.services import outbox
from otopbot.settings import PROJECT_ROOT

MAX_QUESTION_CHARS = 2000


class QuestionError(LookupError):
    """The question or entry named by staff does not exist (or cannot take this action)."""


def record_unanswered(
    session: Session,
    user: LineUser | None,
    text: str,
    language: str,
    best_entry_id: str | None = None,
    best_score: float | None = None,
) -> Question:
    """Keep a question the bot could not answer confidently, for staff to answer."""
    question = Question(
        kind=QuestionKind.UNANSWERED,
        user_id=user.id if user else None,
        text=text[:MAX_QUESTION_CHARS],
        language=language,
        best_entry_id=best_entry_id,
        best_score=best_score,
        status=QuestionStatus.OPEN,
        asked_at=utcnow(),
    )
    session.add(question)
    session.flush()
    return question


def record_bot_answer(session: Session, entry_id: str, score: float, language: str) -> None:
    """Count a question the bot answered itself, without the user or the text (programme statistics)."""
    session.add(
        Question(
            kind=QuestionKind.ANSWERED_BY_BOT,
            user_id=None,
            text=None,
            language=language,
            best_entry_id=entry_id,
            best_score=score,
            status=QuestionStatus.CLOSED,
            asked_at=utcnow(),
        )
    )


def open_questions(session: Session, limit: int = 200) -> list[Question]:
    """Open questions, oldest first (the longest-waiting user comes first)."""
    stmt = (
        select(Question)
        .where(Question.status == QuestionStatus.OPEN)
        .order_by(Question.asked_at, Question.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def answer(
    session: Session,
    question_id: int,
    text: str,
    staff_name: str,
    *,
    locales_dir: Path | None = None,
) -> Question:
    """Mark the question answered and push the answer to its user, exactly once.

    The status change is a conditional UPDATE (open → answered), so when two staff answer at the
    same moment, or one answers twice, only the first pushes; later calls return the question as is.
    """
    question = _question(session, question_id)
    if not text.strip():
        raise ValueError("the answer is empty")
    claimed = session.execute(  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult
        update(Question)
        .where(Question.id == question_id, Question.status == QuestionStatus.OPEN)
        .values(status=QuestionStatus.ANSWERED, answer=text.strip(), answered_by=staff_name, answered_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(question)
    if claimed == 1 and question.user_id is not None:
        user = session.get(LineUser, question.user_id)
        if user is not None:
            t = Translator(locales_dir or PROJECT_ROOT / "locales", question.language or user.language)
            message = t(
                "Our staff answered your question \u201c{question}\u201d:\n\n{answer}",
                question=_short(question.text or ""),
                answer=text.strip(),
            )
            outbox.push(session, user, [Text(message)])
    return question


def teach_phrasing(session: Session, question_id: int, entry_id: str) -> KnowledgeEntry:
    """Add the question's words as a new way of asking `entry_id`; the index rebuilds everywhere."""
    question = _question(session, question_id)
    entry = _entry(session, entry_id)
    if question.text:
        phrasings = union_phrasings(entry.questions or [], [question.text])
        if phrasings != list(entry.questions or []):
            entry.questions = phrasings
            entry.revision = (entry.revision or 0) + 1
            entry.updated_at = utcnow()
    if question.best_entry_id is None:
        question.best_entry_id = entry_id
    session.flush()
    return entry


def create_entry_from_question(
    session: Session,
    question_id: int,
    id: str,
    title_th: str,
    answer_th: str,
    *,
    title_en: str | None = None,
    answer_en: str | None = None,
    source: str = "DSS staff",
    categories: list[str] | None = None,
    related: list[str] | None = None,
    checked_on: date | None = None,
) -> KnowledgeEntry:
    """Create a knowledge entry whose first way of asking is the question's text.

    English fields fall back to the Thai ones until staff translate them.
    """
    question = _question(session, question_id)
    if session.get(KnowledgeEntry, id) is not None:
        raise QuestionError(f"knowledge entry {id!r} already exists")
    entry = KnowledgeEntry(
        id=id,
        title_th=title_th,
        title_en=title_en or title_th,
        questions=[question.text] if question.text else [],
        answer_th=answer_th,
        answer_en=answer_en or answer_th,
        categories=list(categories or []),
        related=list(related or []),
        source=source,
        checked_on=checked_on or utcnow().date(),
        revision=1,
        updated_at=utcnow(),
    )
    session.add(entry)
    question.best_entry_id = id
    session.flush()
    return entry


def _question(session: Session, question_id: int) -> Question:
    question = session.get(Question, question_id)
    if question is None:
        raise QuestionError(f"no question with id {question_id}")
    return question


def _entry(session: Session, entry_id: str) -> KnowledgeEntry:
    entry = session.get(KnowledgeEntry, entry_id)
    if entry is None:
        raise QuestionError(f"no knowledge entry {entry_id!r}")
    return entry


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
