"""Editing one facet of a knowledge entry: the short answer the bot gives to one kind of question.

Owners read a facet on a phone, often only its first sentence in the notification, so staff see the
answer as the chat shows it (preview) before saving, within the content's limit (`MAX_FACET_CHARS`).
Saving replaces only that facet's text in `KnowledgeEntry.facets`, bumps the revision (every process
rebuilds its index) and marks the entry checked today, so a later `otopbot seed` from an older file
keeps the staff's words (`knowledge.store`). The facet's id, questions and products stay as written.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from werkzeug.wrappers import Response

from otopbot import clock, runtime
from otopbot.console import auth, web
from otopbot.db import utcnow
from otopbot.i18n import Translator
from otopbot.knowledge.content import MAX_FACET_CHARS
from otopbot.knowledge.entries import facet_from_dict
from otopbot.models import KnowledgeEntry, StaffRole
from otopbot.replies import Choice, Text

# Where the first sentence ends: a new line (the content writes one sentence a line); a space after a
# closing polite particle (Thai puts no full stop); or an English full stop, question or exclamation mark
# after a Latin letter or digit, so that Thai abbreviations (อย. มผช. สอจ.) do not end it.
_SENTENCE_END = re.compile(r"\n|(?<=ค่ะ)\s|(?<=คะ)\s|(?<=ครับ)\s|(?<=[A-Za-z0-9)][.?!])\s")


def first_sentence(text: str) -> str:
    """What an owner reads first (a notification shows little more): up to the first sentence's end."""
    text = text.strip()
    match = _SENTENCE_END.search(text)
    return text[: match.start()].strip() if match else text


def _facet(entry: KnowledgeEntry, facet_id: str) -> dict[str, Any]:
    found = next((f for f in entry.facets or [] if f.get("id") == facet_id), None)
    if found is None:
        abort(404)
    return found


def _problems(answers: dict[str, str]) -> list[str]:
    t = web.translator()
    problems = []
    if not answers["th"] or not answers["en"]:
        problems.append(t("Both the Thai and the English answer are needed."))
    if any(len(text) > MAX_FACET_CHARS for text in answers.values()):
        problems.append(t("An answer may have at most {n} characters: owners read it on a phone.", n=MAX_FACET_CHARS))
    return problems


def _preview(answers: dict[str, str]) -> dict[str, list[Any]]:
    """Each language's answer as a chat bubble, with the "Read more" button the bot adds."""
    locales = runtime.current().settings.locales_dir
    return {
        lang: [Text(text, (Choice(label=Translator(locales, lang)("Read more")),))] for lang, text in answers.items()
    }


@auth.requires(StaffRole.DSS)
def edit_facet(entry_id: str, facet_id: str) -> Response | str | tuple[str, int]:
    """GET: the facet's text; POST action=preview shows it as owners will; action=save stores it."""
    t = web.translator()
    with web.transaction() as db:
        entry = db.get(KnowledgeEntry, entry_id)
        if entry is None:
            abort(404)
        facet = facet_from_dict(_facet(entry, facet_id))
    if request.method == "GET":
        answers = {"th": facet.answer_th, "en": facet.answer_en}
        return web.page(
            "knowledge_facet.html", e=entry, f=facet, answers=answers, first=first_sentence, limit=MAX_FACET_CHARS
        )
    answers = {"th": request.form.get("answer_th", "").strip(), "en": request.form.get("answer_en", "").strip()}
    problems = _problems(answers)
    if problems or request.form.get("action") != "save":
        page = web.page(
            "knowledge_facet.html",
            e=entry,
            f=facet,
            answers=answers,
            first=first_sentence,
            limit=MAX_FACET_CHARS,
            errors=problems,
            preview=None if problems else _preview(answers),
        )
        return (page, 400) if problems else page
    with web.transaction() as db:
        entry = db.get(KnowledgeEntry, entry_id, with_for_update=True)
        if entry is None:
            abort(404)
        edited = {**_facet(entry, facet_id), "answer_th": answers["th"], "answer_en": answers["en"]}
        entry.facets = [edited if f.get("id") == facet_id else f for f in entry.facets or []]  # a new list: saved
        entry.revision = (entry.revision or 1) + 1
        entry.checked_on = clock.today_in_bangkok(utcnow())
        entry.updated_at = utcnow()
        auth.audit(db, "knowledge.edit_facet", f"knowledge:{entry_id}", f"facet {facet_id}, revision {entry.revision}")
        revision = entry.revision
    flash(t("Short answer saved (revision {n}).", n=revision), "ok")
    return redirect(url_for("console.edit_entry", entry_id=entry_id))


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/knowledge/<entry_id>/facets/<facet_id>", "edit_facet", edit_facet, methods=["GET", "POST"])
