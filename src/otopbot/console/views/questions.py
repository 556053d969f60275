"""DSS's questions and contact requests, and the standards knowledge entries the bot answers from.

Answering goes through `otopbot.knowledge.questions`, which pushes the answer to the user through
the outbox and can teach the bot the user's phrasing; editing an entry bumps its revision.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from otopbot import clock, runtime
from otopbot.console import auth, labels, web
from otopbot.db import utcnow
from otopbot.models import (
    KnowledgeEntry,
    LineUser,
    Question,
    QuestionKind,
    QuestionStatus,
    Registration,
    StaffRole,
)


def asker_name(enterprise: str | None, contact: str | None) -> str:
    """Who asked, as staff will recognise them: the registered enterprise and contact.

    Someone who never registered gave no name (the LINE display name is not kept, docs/privacy.md):
    staff are told so, and that the answer still reaches them in LINE.
    """
    registered = " · ".join(part for part in (enterprise, contact) if part)
    return registered or web.translator()("Not registered (the answer reaches them in LINE)")


def _no_longer_linked() -> str:
    """A question whose asker erased their data, or never consented and is past the retention period."""
    return web.translator()("Personal data deleted")


def _asked_by(db: Session, user_ids: set[int]) -> dict[int, str]:
    """The asker's name per LINE user id, in one query for the whole list."""
    if not user_ids:
        return {}
    stmt = (
        select(LineUser.id, Registration.enterprise_name, Registration.contact_name)
        .outerjoin(Registration, Registration.user_id == LineUser.id)
        .where(LineUser.id.in_(user_ids))
    )
    return {uid: asker_name(enterprise, contact) for uid, enterprise, contact in db.execute(stmt)}


@auth.requires(StaffRole.DSS)
def list_questions() -> str:
    status = request.args.get("status", QuestionStatus.OPEN)
    with web.transaction() as db:
        stmt = (
            select(Question)
            .where(Question.kind != QuestionKind.ANSWERED_BY_BOT)
            .order_by(Question.asked_at.desc())
            .limit(200)
        )
        if status:
            stmt = stmt.where(Question.status == status)
        questions = list(db.scalars(stmt))
        names = _asked_by(db, {q.user_id for q in questions if q.user_id})
    gone = _no_longer_linked()
    rows = [(q, names.get(q.user_id, gone) if q.user_id else gone) for q in questions]
    return web.page("questions.html", rows=rows, status=status)


@auth.requires(StaffRole.DSS)
def show_question(question_id: int) -> str:
    with web.transaction() as db:
        question = db.get(Question, question_id)
        if question is None:
            abort(404)
        asker = _asked_by(db, {question.user_id} if question.user_id else set()).get(
            question.user_id or 0, _no_longer_linked()
        )
        best = db.get(KnowledgeEntry, question.best_entry_id) if question.best_entry_id else None
        entries = list(db.execute(select(KnowledgeEntry.id, KnowledgeEntry.title_th).order_by(KnowledgeEntry.id)))
    return web.page("question.html", q=question, asker=asker, best=best, entries=entries)


@auth.requires(StaffRole.DSS)
def answer_question(question_id: int) -> Response:
    """Send staff's answer to the user (through the knowledge module) and optionally teach the bot."""
    from otopbot.knowledge import questions as kq

    t = web.translator()
    text = request.form.get("answer", "").strip()
    entry_id = request.form.get("entry_id", "").strip()
    if not text and not entry_id:
        flash(t("Write an answer first."), "error")
        return redirect(url_for("console.question", question_id=question_id))
    try:
        with web.transaction() as db:
            if text:
                kq.answer(
                    db,
                    question_id,
                    text,
                    g.staff.display_name or g.staff.username,
                    locales_dir=runtime.current().settings.locales_dir,
                )
                auth.audit(db, "question.answer", f"question:{question_id}", text[:500])
            if entry_id:
                kq.teach_phrasing(db, question_id, entry_id)
                auth.audit(db, "question.teach", f"question:{question_id}", entry_id)
    except kq.QuestionError:
        abort(404)
    flash(t("Answer sent to the user on LINE.") if text else t("The bot has learnt this phrasing."), "ok")
    return redirect(url_for("console.questions"))


@auth.requires(StaffRole.DSS)
def new_entry_from_question(question_id: int) -> Response:
    """Start a knowledge entry from a question nobody had covered; staff finish it on the edit page."""
    from otopbot.knowledge import questions as kq

    t = web.translator()
    entry_id = request.form.get("id", "").strip().lower().replace(" ", "-")[:64]
    title = request.form.get("title_th", "").strip()
    answer = request.form.get("answer_th", "").strip()
    if not (entry_id and title and answer):
        flash(t("Thai title, Thai answer and source are required."), "error")
        return redirect(url_for("console.question", question_id=question_id))
    try:
        with web.transaction() as db:
            kq.create_entry_from_question(
                db, question_id, entry_id, title, answer, source=request.form.get("source", "").strip() or "DSS staff"
            )
            auth.audit(db, "knowledge.create", f"knowledge:{entry_id}", f"from question {question_id}")
    except kq.QuestionError:
        flash(t("An entry with this id already exists."), "error")
        return redirect(url_for("console.question", question_id=question_id))
    flash(t("Entry created. Check it and add the English text."), "ok")
    return redirect(url_for("console.edit_entry", entry_id=entry_id))


@auth.requires(StaffRole.DSS)
def close_question(question_id: int) -> Response:
    with web.transaction() as db:
        question = db.get(Question, question_id)
        if question is None:
            abort(404)
        question.status = QuestionStatus.CLOSED
        auth.audit(db, "question.close", f"question:{question_id}")
    flash(web.translator()("Question closed."), "ok")
    return redirect(url_for("console.questions"))


@auth.requires(StaffRole.DSS)
def list_entries() -> str:
    q = request.args.get("q", "").strip()
    with web.transaction() as db:
        stmt = select(KnowledgeEntry).order_by(KnowledgeEntry.id)
        if q:
            like = f"%{q}%"
            stmt = stmt.where(
                KnowledgeEntry.title_th.ilike(like)
                | KnowledgeEntry.title_en.ilike(like)
                | KnowledgeEntry.id.ilike(like)
            )
        entries = list(db.scalars(stmt))
    return web.page("knowledge.html", entries=entries, q=q)


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _parse(form: Any) -> dict[str, Any]:
    """The entry's new field values; raises ValueError on a bad date."""
    return {
        "title_th": form.get("title_th", "").strip()[:200],
        "title_en": form.get("title_en", "").strip()[:200],
        "questions": _lines(form.get("questions", "")),
        "answer_th": form.get("answer_th", "").strip(),
        "answer_en": form.get("answer_en", "").strip(),
        "categories": [c for c in form.getlist("categories") if c in labels.CATEGORIES],
        "source": form.get("source", "").strip(),
        "checked_on": clock.parse_form_date(form.get("checked_on") or date.today().isoformat()),
    }


@auth.requires(StaffRole.DSS)
def edit_entry(entry_id: str) -> Response | str | tuple[str, int]:
    t = web.translator()
    with web.transaction() as db:
        entry = db.get(KnowledgeEntry, entry_id)
    if entry is None:
        abort(404)
    if request.method == "GET":
        return web.page(
            "knowledge_form.html", e=entry, values=None, checked_on=clock.form_date(entry.checked_on, web.language())
        )
    try:
        values = _parse(request.form)
    except ValueError:
        return web.page(
            "knowledge_form.html", e=entry, values=request.form, error=t("Check the date (dd/mm/yyyy).")
        ), 400
    if not (values["title_th"] and values["answer_th"] and values["source"]):
        return web.page(
            "knowledge_form.html",
            e=entry,
            values=request.form,
            error=t("Thai title, Thai answer and source are required."),
        ), 400
    with web.transaction() as db:
        entry = db.get(KnowledgeEntry, entry_id, with_for_update=True)
        if entry is None:
            abort(404)
        for key, value in values.items():
            setattr(entry, key, value)
        entry.revision = (entry.revision or 1) + 1
        entry.updated_at = utcnow()
        auth.audit(db, "knowledge.edit", f"knowledge:{entry_id}", f"revision {entry.revision}")
        revision = entry.revision
    flash(t("Entry saved (revision {n}).", n=revision), "ok")
    return redirect(url_for("console.knowledge"))


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/questions", "questions", list_questions)
    bp.add_url_rule("/questions/<int:question_id>", "question", show_question)
    bp.add_url_rule("/questions/<int:question_id>/answer", "answer_question", answer_question, methods=["POST"])
    bp.add_url_rule(
        "/questions/<int:question_id>/entry", "entry_from_question", new_entry_from_question, methods=["POST"]
    )
    bp.add_url_rule("/questions/<int:question_id>/close", "close_question", close_question, methods=["POST"])
    bp.add_url_rule("/knowledge", "knowledge", list_entries)
    bp.add_url_rule("/knowledge/<entry_id>/edit", "edit_entry", edit_entry, methods=["GET", "POST"])
