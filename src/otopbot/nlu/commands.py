"""`otopbot nlu` (try messages) and `otopbot nlu-eval` (score a labelled file)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from otopbot.settings import Settings

if TYPE_CHECKING:
    from otopbot.nlu.engine import NluEngine


def _engine() -> NluEngine:
    from otopbot.nlu.engine import get_engine

    return get_engine(Settings.from_env().content_dir)


def _today(value: str | None) -> date:
    from otopbot.nlu.engine import bangkok_today

    if value is None:
        return bangkok_today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected YYYY-MM-DD, got {value!r}", param_hint="--today") from None


@click.command("nlu")
@click.option("--today", "today_text", metavar="YYYY-MM-DD", help="Resolve relative dates from this day.")
@click.argument("texts", nargs=-1)
def nlu(today_text: str | None, texts: tuple[str, ...]) -> None:
    """Print the intent and entities of each TEXT (or of each stdin line) as one JSON line.

    \b
    The 13 intents: greet, help, register_interest, list_workshops, book_workshop, my_bookings,
    cancel_booking, ask_standard, contact_staff, thanks, my_data (see what is kept),
    delete_my_data (erase it), out_of_scope.
    Entities: category, province, region, date (a day, or the first day of a period such as
    เดือนนี้) and date_end (the period's last day), phone, count; widen ("other": ที่อื่น, "all": ทุกจังหวัด),
    follow_up (แล้ว…ล่ะ) and scheme (another government scheme, out of scope).
    """
    today = _today(today_text)
    engine = _engine()
    messages = texts or (line.rstrip("\n") for line in sys.stdin)
    for text in messages:
        if not text.strip() and not texts:
            continue
        result = engine.understand(text, today).to_json()
        click.echo(json.dumps(result, ensure_ascii=False))


@click.command("nlu-eval")
@click.option("--today", "today_text", metavar="YYYY-MM-DD", help="Resolve relative dates from this day.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def nlu_eval(today_text: str | None, file: Path) -> None:
    """Score the NLU on FILE.yml (cases: text, intent and optional entities)."""
    from otopbot.nlu.evaluate import evaluate, format_report, load_cases

    report = evaluate(_engine(), load_cases(file), _today(today_text))
    click.echo(format_report(report))


commands: list[click.Command] = [nlu, nlu_eval]
