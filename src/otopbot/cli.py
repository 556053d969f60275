"""The `otopbot` command line: run the bot, the worker, migrations, seeding, and each part's tools."""

from __future__ import annotations

import importlib
import sys
import threading

import click

from otopbot.errors import ConfigError
from otopbot.logs import configure
from otopbot.settings import Settings

# Each part of the bot contributes its commands through a `commands` list in these modules.
COMMAND_MODULES = (
    "otopbot.nlu.commands",
    "otopbot.knowledge.commands",
    "otopbot.console.commands",
    "otopbot.line.richmenu_commands",
    "otopbot.scenarios.commands",
)


def load_settings(require_line: bool = False) -> Settings:
    try:
        return Settings.from_env(require_line=require_line)
    except ConfigError as error:
        raise click.ClickException(f"configuration error: {error}") from None


@click.group()
def main() -> None:
    """otopbot: the LINE bot of the DSS–DIP technology-transfer programme for OTOP enterprises."""


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database at DATABASE_URL to the newest schema."""
    from otopbot.migrate import upgrade

    settings = load_settings()
    upgrade(settings.database_url)
    click.echo("database is up to date")


@db.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """(developers) Write a new migration from the models' changes."""
    from otopbot.migrate import make_revision

    make_revision(load_settings().database_url, message)


@main.command()
def seed() -> None:
    """Load the sample workshops and the knowledge base from bot/ (idempotent)."""
    from otopbot.db import Database
    from otopbot.seeding import seed_all

    settings = load_settings()
    database = Database(settings.database_url)
    try:
        counts = seed_all(database, settings)
    finally:
        database.dispose()
    click.echo(", ".join(f"{name}: {count}" for name, count in counts.items()))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Run the bot. Without LINE_CHANNEL_SECRET: local mode with the LINE simulator in the browser."""
    from otopbot.local import run_connected, run_local

    settings = load_settings()
    configure(settings.log_level)
    if settings.line_channel_secret:
        run_connected(settings, host, port)
    else:
        run_local(settings, host, port)


@main.command()
def worker() -> None:
    """Run the background worker: retries, outbox delivery, reminders, scheduled broadcasts."""
    from otopbot.app import build_context
    from otopbot.db import Database
    from otopbot.runtime import Runtime
    from otopbot.worker.loop import run_forever

    settings = load_settings(require_line=True)
    configure(settings.log_level)
    runtime = Runtime(settings, Database(settings.database_url), build_context(settings))
    stop = threading.Event()
    try:
        run_forever(runtime, stop)
    except KeyboardInterrupt:
        stop.set()


def _add_part_commands() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue  # that part is not installed in this build
        for command in getattr(module, "commands", []):
            main.add_command(command)


_add_part_commands()

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
