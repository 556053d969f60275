"""`otopbot ask`, `otopbot ask-eval` and `otopbot questions …`: the knowledge base from a terminal.

`ask` and `ask-eval` read bot/knowledge directly by default, so they work on a fresh clone with
no database and measure exactly the reviewed content. With `--db` they answer from the database
at DATABASE_URL instead (migrated and synced from bot/knowledge first), including what staff
taught. `questions` always works on the database.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from otopbot import yamlfile
from otopbot.db import Database
from otopbot.knowledge import questions as loop
from otopbot.knowledge.search import Answer, ContentKnowledgeBase, KnowledgeBase
from otopbot.knowledge.store import sync_from_content
from otopbot.settings import Settings


def _settings() -> Settings:
    return Settings.from_env()


class _Asker:
    """One way of asking: straight from content, or from the database."""

    def __init__(self, use_db: bool) -> None:
        settings = _settings()
        self._db: Database | None = None
        if use_db:
            from otopbot.migrate import upgrade

            upgrade(settings.database_url)
            self._db = Database(settings.database_url)
            with self._db.transaction() as session:
                sync_from_content(session, settings.content_dir)
            self._kb: Any = KnowledgeBase(settings.content_dir)
        else:
            self._kb = ContentKnowledgeBase(settings.content_dir)

    def ask(self, text: str) -> Answer:
        if self._db is None:
            result: Answer = self._kb.ask(None, text)
            return result
        with self._db.transaction() as session:
            result = self._kb.ask(session, text)
            return result


def _lines(texts: Iterable[str]) -> Iterable[str]:
    return (t.strip() for t in texts if t.strip())


@click.command("ask")
@click.argument("text", nargs=-1)
@click.option("--db", "use_db", is_flag=True, help="Answer from the database instead of bot/knowledge.")
def ask(text: tuple[str, ...], use_db: bool) -> None:
    """Answer each TEXT (or each line of stdin) as one JSON object per line."""
    asker = _Asker(use_db)
    for question in _lines(text or sys.stdin):
        result = asker.ask(question)
        answer = result.text("th") if result.answer_id else None
        click.echo(
            json.dumps(
                {
                    "text": question,
                    "answer_id": result.answer_id,
                    "score": round(result.score, 4),
                    "confident": result.confident,
                    "facet": result.facet.id if result.facet else None,
                    "answer": answer,
                },
                ensure_ascii=False,
            )
        )


@click.command("ask-eval")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--db", "use_db", is_flag=True, help="Answer from the database instead of bot/knowledge.")
@click.option("--show-errors", is_flag=True, help="List the questions answered wrongly.")
def ask_eval(file: Path, use_db: bool, show_errors: bool) -> None:
    """Score the knowledge base on FILE (a YAML list of {text, answer_id[, alt, facet]}; null = must refuse).

    Prints top-1/top-3, refusals, the confident-wrong count (a confident answer from the wrong entry,
    or to a question that must be refused) and, for items labelled with a `facet`, facet top-1.
    """
    items = yamlfile.list_of_mappings(file, yamlfile.read(file), ("text", "answer_id"), "questions {text, answer_id}")
    report = evaluate(_Asker(use_db).ask, items)
    errors = report.pop("errors")
    click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    if show_errors:
        for line in errors:
            click.echo(line)


def evaluate(ask_fn: Any, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Top-1/top-3 accuracy on answerable items, refusal rate on the rest, confident-wrong, facets."""
    answerable = [i for i in items if i.get("answer_id")]
    refusable = [i for i in items if not i.get("answer_id")]
    top1 = top3 = false_refusals = weak = refused = confident_correct = confident_wrong = 0
    facet_items = facet_right = 0
    errors: list[str] = []
    for item in answerable:
        result = ask_fn(item["text"])
        right = {item["answer_id"], *(item.get("alt") or ())}  # `alt`: other entries that answer it too
        top1 += result.answer_id in right
        top3 += bool(right & {n[0] for n in result.nearest[:3]})
        false_refusals += result.answer_id is None
        weak += result.answer_id is not None and not result.confident
        confident_correct += result.confident and result.answer_id in right
        confident_wrong += result.confident and result.answer_id not in right
        if "facet" in item:
            facet_items += 1
            facet_right += _facet_right(item, result, errors)
        if result.answer_id not in right:
            errors.append(
                f"expected {item['answer_id']} got {result.answer_id}"
                f"{' (CONFIDENT)' if result.confident else ''}: {item['text']}"
            )
    for item in refusable:
        result = ask_fn(item["text"])
        refused += result.answer_id is None
        confident_wrong += result.confident
        if result.answer_id is not None:
            errors.append(
                f"expected refusal got {result.answer_id}{' (CONFIDENT)' if result.confident else ''}: {item['text']}"
            )
    n, m = max(len(answerable), 1), max(len(refusable), 1)
    return {
        "items": len(items),
        "answerable": len(answerable),
        "top1": round(top1 / n, 4),
        "top3": round(top3 / n, 4),
        "false_refusal_rate": round(false_refusals / n, 4),
        "weak_rate": round(weak / n, 4),
        "should_refuse": len(refusable),
        "refusal_rate": round(refused / m, 4) if refusable else None,
        # of the right answers, how many the user gets straight away (not "not sure, one of these?")
        "confident_share": round(confident_correct / max(top1, 1), 4),
        # of all refusals, how many were right to refuse
        "refusal_precision": round(refused / max(refused + false_refusals, 1), 4) if refusable else None,
        # answered with confidence from the wrong entry, or when it should have refused: must be 0
        "confident_wrong": confident_wrong,
        "facet_items": facet_items,
        "facet_top1": round(facet_right / facet_items, 4) if facet_items else None,
        "errors": errors,
    }


def _facet_right(item: dict[str, Any], result: Any, errors: list[str]) -> bool:
    """Whether the labelled facet (`facet:`) of the labelled entry answered; note it in errors if not."""
    got = result.facet.id if result.facet else None
    if result.answer_id == item["answer_id"] and got == item["facet"]:
        return True
    errors.append(f"expected facet {item['answer_id']}/{item['facet']} got {result.answer_id}/{got}: {item['text']}")
    return False


@click.group("questions")
def questions_group() -> None:
    """Questions the bot passed to staff (database at DATABASE_URL)."""


@contextmanager
def _database() -> Iterator[Database]:
    db = Database(_settings().database_url)
    try:
        yield db
    finally:
        db.dispose()


@questions_group.command("list")
def questions_list() -> None:
    """List open questions, oldest first."""
    with _database() as db, db.transaction() as session:
        for q in loop.open_questions(session):
            guess = (
                f" (nearest: {q.best_entry_id} {q.best_score:.2f})"
                if q.best_entry_id and q.best_score is not None
                else ""
            )
            click.echo(f"{q.id}\t{q.asked_at:%Y-%m-%d %H:%M}\t{q.language}\t{q.text}{guess}")


@questions_group.command("answer")
@click.argument("question_id", type=int)
@click.argument("text")
@click.option("--staff", default="cli", help="Name recorded as the answerer.")
def questions_answer(question_id: int, text: str, staff: str) -> None:
    """Answer question QUESTION_ID; the user gets TEXT once, through the outbox."""
    try:
        with _database() as db, db.transaction() as session:
            q = loop.answer(session, question_id, text, staff, locales_dir=_settings().locales_dir)
            click.echo(f"question {q.id}: {q.status}")
    except loop.QuestionError as error:
        raise click.ClickException(str(error)) from None


@questions_group.command("teach")
@click.argument("question_id", type=int)
@click.argument("entry_id")
def questions_teach(question_id: int, entry_id: str) -> None:
    """Add question QUESTION_ID's wording as a way of asking ENTRY_ID."""
    try:
        with _database() as db, db.transaction() as session:
            entry = loop.teach_phrasing(session, question_id, entry_id)
            click.echo(f"{entry.id}: {len(entry.questions)} phrasings, revision {entry.revision}")
    except loop.QuestionError as error:
        raise click.ClickException(str(error)) from None


commands: list[click.Command] = [ask, ask_eval, questions_group]
