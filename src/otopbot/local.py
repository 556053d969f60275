"""Run the bot in one process: local mode (the LINE simulator stands in for LINE) or connected."""

from __future__ import annotations

import logging
import secrets
import threading
from typing import TYPE_CHECKING

import click
from flask import Flask

from otopbot.app import create_app
from otopbot.db import Database, utcnow
from otopbot.migrate import upgrade
from otopbot.runtime import Runtime
from otopbot.seeding import seed_all
from otopbot.settings import Settings
from otopbot.worker.loop import run_forever

if TYPE_CHECKING:
    from otopbot.simulator.app import SimulatorState

log = logging.getLogger(__name__)


def _start_worker(app: Flask) -> threading.Event:
    runtime: Runtime = app.extensions["otopbot"]
    stop = threading.Event()
    threading.Thread(target=run_forever, args=(runtime, stop), name="otopbot-worker", daemon=True).start()
    return stop


def local_app(settings: Settings, base_url: str) -> Flask:
    """The bot wired to an in-process LINE simulator mounted at /simulator."""
    from otopbot.simulator.app import SimulatorState, make_blueprint

    secret, token = secrets.token_hex(16), "local-" + secrets.token_hex(16)
    local_settings = settings.with_overrides(
        line_channel_secret=secret,
        line_channel_access_token=token,
        local=True,
        line_api_base_url=f"{base_url}/simulator",
        public_base_url=settings.public_base_url or base_url,
    )
    app = create_app(local_settings)
    state = SimulatorState(channel_secret=secret, access_token=token, webhook_url=f"{base_url}/callback")
    _install_menus(state, settings, app)
    state.add_user("ผู้ประกอบการทดลอง", language="th")  # so a newcomer only has to press "Add friend"
    app.register_blueprint(make_blueprint(state), url_prefix="/simulator")
    return app


def _install_menus(state: SimulatorState, settings: Settings, app: Flask) -> None:
    """Both rich menus in the simulator, the newcomers' one as default; the stages recorded for the worker."""
    from otopbot.line.richmenu import REGISTERED_MENU_FILE, load_spec, render_png, request_dict
    from otopbot.services import menus

    registered = load_spec(settings.content_dir, REGISTERED_MENU_FILE)
    newcomer = load_spec(settings.content_dir)
    ids = {
        menus.REGISTERED: state.install_rich_menu(request_dict(registered), render_png(registered)),
        menus.NEWCOMER: state.install_rich_menu(request_dict(newcomer), render_png(newcomer)),
    }
    runtime: Runtime = app.extensions["otopbot"]
    with runtime.database.transaction() as db:
        for stage, menu_id in ids.items():
            menus.record(db, stage, menu_id, utcnow())


def prepare_database(settings: Settings) -> None:
    upgrade(settings.database_url)
    database = Database(settings.database_url)
    try:
        counts = seed_all(database, settings)
    finally:
        database.dispose()
    log.info("database ready: %s", counts)


def run_local(settings: Settings, host: str, port: int) -> None:
    prepare_database(settings)
    base_url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
    app = local_app(settings, base_url)
    _start_worker(app)
    click.secho("\n  otopbot is running in local mode (SQLite, LINE simulator)", fg="green", bold=True)
    click.echo(f"  Chat with the bot:   {base_url}/simulator/_sim/")
    click.echo(f"  Staff console:       {base_url}/console/   (create an account: otopbot staff add)")
    click.echo("  Stop with Ctrl+C\n")
    app.run(host=host, port=port, threaded=True, use_reloader=False)


def run_connected(settings: Settings, host: str, port: int) -> None:
    """For development against a real channel; production runs gunicorn and `otopbot worker`."""
    prepare_database(settings)
    app = create_app(settings)
    _start_worker(app)
    click.echo(
        f"otopbot connected to LINE at {settings.line_api_base_url}; webhook: POST http://{host}:{port}/callback"
    )
    app.run(host=host, port=port, threaded=True, use_reloader=False)
