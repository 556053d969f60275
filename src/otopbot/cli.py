"""The `otopbot` command line: run the bot, the worker, migrations, seeding, and each part's tools."""

from __future__ import annotations

import importlib
import sys
import threading

import click

from otopbot.errors import ConfigError, ContentError
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


EXIT_BAD_SETUP = 2  # configuration, content or database: fix the setup, then run again


def load_settings(require_line: bool = False) -> Settings:
    return Settings.from_env(require_line=require_line)


def one_line(error: BaseException) -> str:
    """What went wrong, on one line: the error's own words, without the SQL or parameters."""
    from sqlalchemy.exc import DBAPIError

    if isinstance(error, ConfigError):
        kind, words = "configuration error", str(error)
    elif isinstance(error, ContentError):
        kind, words = "content error", str(error)
    else:
        cause = error.orig if isinstance(error, DBAPIError) else error
        kind, words = (
            "database error",
            str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__,
        )
    return f"otopbot: {kind}: {' '.join(words.split())}"


class OtopbotGroup(click.Group):
    """The one place where our errors become one line and an exit code (never a traceback).

    Configuration, content and database errors exit 2; any other error is a bug and keeps its traceback.
    """

    def invoke(self, ctx: click.Context) -> object:
        from sqlalchemy.exc import InterfaceError, OperationalError, ProgrammingError

        try:
            return super().invoke(ctx)
        except (ConfigError, ContentError, OperationalError, InterfaceError, ProgrammingError) as error:
            click.echo(one_line(error), err=True)
            ctx.exit(EXIT_BAD_SETUP)


@click.group(cls=OtopbotGroup)
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
    from otopbot.content import check_content
    from otopbot.local import run_connected, run_local

    settings = load_settings()
    configure(settings.log_level)
    check_content(settings.content_dir)  # before migrating: nothing changes when content is broken
    if settings.line_channel_secret:
        run_connected(settings, host, port)
    else:
        run_local(settings, host, port)


@main.command()
def worker() -> None:
    """Run the background worker: retries, outbox delivery, reminders, scheduled broadcasts."""
    from otopbot.app import build_context
    from otopbot.content import check_content
    from otopbot.db import Database
    from otopbot.runtime import Runtime
    from otopbot.worker.loop import run_forever, yield_to_web

    settings = load_settings(require_line=True)
    configure(settings.log_level)
    check_content(settings.content_dir)
    yield_to_web(settings.worker_nice)
    runtime = Runtime(settings, Database(settings.database_url), build_context(settings))
    stop = threading.Event()
    try:
        run_forever(runtime, stop)
    except KeyboardInterrupt:
        stop.set()


@main.command()
def purge() -> None:
    """Scrub processed webhooks and delivered messages older than OTOPBOT_RETENTION_DAYS (the worker does it hourly)."""
    from otopbot.db import Database
    from otopbot.worker.loop import purge_expired

    settings = load_settings()
    database = Database(settings.database_url)
    try:
        purged = purge_expired(database, settings.retention_days)
    finally:
        database.dispose()
    click.echo(f"{purged} (older than {settings.retention_days} days)")


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
