"""`otopbot converse-eval FILE.yml [--min SHARE]`: whole conversations, one line each."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from otopbot.errors import ConfigError
from otopbot.scenarios.script import ScriptError, load_scenarios
from otopbot.settings import Settings


@click.command("converse-eval")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--min",
    "minimum",
    type=click.FloatRange(0, 1),
    default=1.0,
    show_default=True,
    help="share of scenarios that must hold; below it the command exits 1",
)
@click.option("--show", is_flag=True, help="also print what the owner says and what the bot answers")
def converse_eval(file: Path, minimum: float, show: bool) -> None:
    """Play conversation scenarios against the bot in local mode (temporary SQLite, simulator)."""
    from otopbot.scenarios.player import local_bot, play

    try:
        scenarios = load_scenarios(file)
        settings = Settings.from_env()
    except (ScriptError, ConfigError) as error:
        click.echo(f"otopbot: {error}", err=True)
        raise SystemExit(2) from None
    for name in ("", "werkzeug"):  # one line a scenario; the bot's and the server's logs stay quiet
        logging.getLogger(name).setLevel(logging.ERROR)
    held = 0
    with local_bot(settings) as bot:
        for index, scenario in enumerate(scenarios, 1):
            reason = play(bot, scenario, index, click.echo if show else None)
            held += reason is None
            click.echo(f"ok {scenario.name}" if reason is None else f"FAIL {scenario.name}: {reason}")
    click.echo(f"conversations: {held}/{len(scenarios)} scenarios hold")
    if held < minimum * len(scenarios):
        raise SystemExit(1)


commands = [converse_eval]
