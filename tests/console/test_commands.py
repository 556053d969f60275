"""`otopbot staff add` and `otopbot broadcast` from the command line."""

from __future__ import annotations

from click.testing import CliRunner
from console_helpers import add_enterprise
from sqlalchemy import select

from otopbot.console.commands import commands
from otopbot.models import Broadcast, OutboxMessage, StaffAccount

COMMANDS = {c.name: c for c in commands}


def _env(settings) -> dict[str, str]:
    return {
        "DATABASE_URL": settings.database_url,
        "SECRET_KEY": settings.secret_key,
        "OTOPBOT_LOCALES_DIR": str(settings.locales_dir),
        "OTOPBOT_CONTENT_DIR": str(settings.content_dir),
    }


def test_staff_add_creates_an_account_with_a_prompted_password(settings, database) -> None:
    result = CliRunner().invoke(
        COMMANDS["staff"],
        ["add", "Malee", "--role", "dss"],
        input="a long password\na long password\n",
        env=_env(settings),
    )
    assert result.exit_code == 0, result.output
    with database.transaction() as db:
        account = db.scalars(select(StaffAccount)).one()
    assert account.username == "malee" and account.role == "dss" and "a long password" not in account.password_hash


def test_staff_add_refuses_a_short_password(settings, database) -> None:
    result = CliRunner().invoke(
        COMMANDS["staff"], ["add", "malee", "--role", "dss", "--password", "short"], env=_env(settings)
    )
    assert result.exit_code != 0 and "at least" in result.output


def test_broadcast_command_queues_multicasts_for_the_filtered_audience(settings, database) -> None:
    with database.transaction() as db:
        add_enterprise(db, 1, province="ลำปาง")
        add_enterprise(db, 2, province="ลำพูน")
    result = CliRunner().invoke(
        COMMANDS["broadcast"], ["--text", "ประกาศ", "--province", "ลำปาง", "--yes"], env=_env(settings)
    )
    assert result.exit_code == 0, result.output
    with database.transaction() as db:
        rows = list(db.scalars(select(OutboxMessage)))
        assert db.scalars(select(Broadcast)).one().recipients_count == 1
    assert len(rows) == 1 and len(rows[0].recipients) == 1


def test_broadcast_command_can_schedule_for_later(settings, database) -> None:
    with database.transaction() as db:
        add_enterprise(db, 1)
    result = CliRunner().invoke(
        COMMANDS["broadcast"], ["--text", "ประกาศ", "--at", "2031-01-01T09:00", "--yes"], env=_env(settings)
    )
    assert result.exit_code == 0, result.output
    with database.transaction() as db:
        item = db.scalars(select(Broadcast)).one()
        assert item.status == "scheduled" and item.scheduled_at.hour == 2
        assert db.scalars(select(OutboxMessage)).first() is None
