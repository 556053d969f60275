"""Console commands for the `otopbot` CLI: `staff add` and `broadcast`."""

from __future__ import annotations

from datetime import datetime

import click

from otopbot.clock import BANGKOK
from otopbot.console import auth
from otopbot.db import Database, utcnow
from otopbot.models import StaffRole
from otopbot.services import broadcasts
from otopbot.settings import LINE_DEFAULT_API, Settings


@click.group("staff")
def staff() -> None:
    """Manage console staff accounts."""


@staff.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in StaffRole]), required=True)
@click.option("--name", "display_name", default="", help="Name shown in the console and audit log.")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Leave out to be asked (safer: not kept in shell history).",
)
def add_staff(username: str, role: str, display_name: str, password: str) -> None:
    """Create a staff account with a hashed password."""
    database = Database(Settings.from_env().database_url)
    try:
        with database.transaction() as db:
            account = auth.create_staff(db, username, password, role, display_name)
            name = account.username
    except auth.StaffError as error:
        raise click.ClickException(str(error)) from None
    finally:
        database.dispose()
    click.echo(f"staff account {name!r} created with role {role}")


def _parse_at(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            "use ISO format, e.g. 2025-07-01T09:00 (Bangkok time unless an offset is given)"
        ) from None
    return at if at.tzinfo else at.replace(tzinfo=BANGKOK)


@click.command("broadcast")
@click.option("--text", "text_th", required=True, help="The announcement (Thai).")
@click.option("--text-en", default=None, help="English version for English-speaking users.")
@click.option("--category", default=None)
@click.option("--province", default=None)
@click.option("--region", default=None)
@click.option("--status", default=None, help="Registration status: pending, selected, declined.")
@click.option("--language", default=None, help="Only users with this language (th or en).")
@click.option("--at", "at_text", default=None, help="Send later, ISO date-time (Bangkok time).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def broadcast(
    text_th: str,
    text_en: str | None,
    category: str | None,
    province: str | None,
    region: str | None,
    status: str | None,
    language: str | None,
    at_text: str | None,
    yes: bool,
) -> None:
    """Send a text announcement to the followers matching the filters (via the outbox)."""
    at = _parse_at(at_text)
    try:  # the same rules as the console's compose form
        broadcasts.check_text(text_th, text_en)
        broadcasts.check_send_time(at, utcnow())
    except broadcasts.BroadcastError as error:
        raise click.ClickException(str(error)) from None
    settings = Settings.from_env()
    audience = broadcasts.clean_audience(
        {"category": category, "province": province, "region": region, "status": status, "language": language}
    )
    database = Database(settings.database_url)
    try:
        with database.transaction() as db:
            count = broadcasts.count_recipients(db, audience)
        if count == 0:
            raise click.ClickException("no follower matches this audience")
        try:
            broadcasts.check_quota(count, _quota(settings))
        except broadcasts.BroadcastError as error:
            raise click.ClickException(str(error)) from None
        if not yes:
            click.confirm(f"Send to {count} followers {'now' if at is None else 'at ' + at.isoformat()}?", abort=True)
        with database.transaction() as db:
            item = broadcasts.create(
                db,
                title=text_th.strip().splitlines()[0][:80],
                payload=broadcasts.text_payload(text_th, text_en),
                audience=audience,
                created_by="cli",
                scheduled_at=at,
            )
            batches = broadcasts.send_now(db, item.id, utcnow()) if at is None else []
            item_id = item.id
    finally:
        database.dispose()
    click.echo(
        f"broadcast {item_id}: {count} recipients, "
        + (f"{len(batches)} multicast batches queued" if at is None else f"scheduled for {at.isoformat()}")
    )


def _quota(settings: Settings) -> broadcasts.QuotaLookup:
    def lookup() -> int | None:
        from otopbot.errors import LineApiError
        from otopbot.line.client import line_client

        if not settings.connected and settings.line_api_base_url == LINE_DEFAULT_API:
            return None  # local mode with no LINE stand-in: nothing to ask
        try:
            with line_client(settings) as client:
                return client.quota_remaining()
        except LineApiError:
            click.echo("warning: could not read the LINE quota; sending without a quota check", err=True)
            return None

    return lookup


commands: list[click.Command] = [staff, broadcast]
