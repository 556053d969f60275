"""`otopbot richmenu deploy|render`: publish the rich menu from bot/richmenu/richmenu.yml."""

from __future__ import annotations

from pathlib import Path

import click

from otopbot.errors import OtopbotError
from otopbot.line.richmenu import REGISTERED_MENU_FILE, deploy_stages, load_spec, render_png
from otopbot.settings import Settings


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except OtopbotError as error:
        raise click.ClickException(f"configuration error: {error}") from None


@click.group("richmenu")
def richmenu() -> None:
    """The rich menu (the tappable panel under the chat)."""


@richmenu.command("render")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the PNG image.",
)
@click.option("--registered", is_flag=True, help="Draw the menu of registered owners instead.")
def render_command(out: Path, registered: bool) -> None:
    """Draw the rich-menu image to a file, to check it before deploying."""
    settings = _settings()
    try:
        spec = load_spec(settings.content_dir, REGISTERED_MENU_FILE) if registered else None
        data = render_png(spec or load_spec(settings.content_dir))
    except OtopbotError as error:
        raise click.ClickException(str(error)) from None
    out.write_bytes(data)
    click.echo(f"wrote {out} ({len(data) // 1024} KB)")


@richmenu.command("deploy")
def deploy_command() -> None:
    """Create both rich menus on LINE: the default one, and the one linked to registered owners."""
    settings = _settings()
    try:
        menu_ids = deploy_stages(settings)
    except OtopbotError as error:
        raise click.ClickException(str(error)) from None
    record_stages(settings, menu_ids)
    click.echo(
        f"rich menu {menu_ids['newcomer']} is now the default for all users; "
        f"{menu_ids['registered']} is linked to each owner when they register"
    )


def record_stages(settings: Settings, menu_ids: dict[str, str]) -> None:
    """Remember which menu stands for which stage, so the worker can link registered owners."""
    from otopbot.db import Database, utcnow
    from otopbot.services import menus

    database = Database(settings.database_url)
    try:
        with database.transaction() as db:
            for stage, menu_id in menu_ids.items():
                menus.record(db, stage, menu_id, utcnow())
    finally:
        database.dispose()


commands: list[click.Command] = [richmenu]
