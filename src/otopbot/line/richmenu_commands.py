"""`otopbot richmenu deploy|render`: publish the rich menu from bot/richmenu/richmenu.yml."""

from __future__ import annotations

from pathlib import Path

import click

from otopbot.errors import OtopbotError
from otopbot.line.richmenu import deploy, load_spec, render_png
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
def render_command(out: Path) -> None:
    """Draw the rich-menu image to a file, to check it before deploying."""
    settings = _settings()
    try:
        data = render_png(load_spec(settings.content_dir))
    except OtopbotError as error:
        raise click.ClickException(str(error)) from None
    out.write_bytes(data)
    click.echo(f"wrote {out} ({len(data) // 1024} KB)")


@richmenu.command("deploy")
def deploy_command() -> None:
    """Create the rich menu on LINE, upload its image and make it every user's default."""
    settings = _settings()
    try:
        menu_id = deploy(settings)
    except OtopbotError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"rich menu {menu_id} is now the default for all users")


commands: list[click.Command] = [richmenu]
