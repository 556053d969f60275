"""The Flask application factory: database, understanding, knowledge, and the blueprints."""

from __future__ import annotations

from flask import Flask

from otopbot import health
from otopbot.content import check_content
from otopbot.db import Database
from otopbot.dialogue.turn import BotContext
from otopbot.events import Intake
from otopbot.line.client import LineClient
from otopbot.line.webhook import blueprint as webhook_blueprint
from otopbot.line.webhook import install_intake
from otopbot.runtime import Runtime, install
from otopbot.settings import Settings
from otopbot.worker.delivery import deliver_claimed


def build_context(settings: Settings) -> BotContext:
    """Load the NLU engine and the knowledge base once per process (both offline)."""
    from otopbot.knowledge.search import KnowledgeBase
    from otopbot.nlu.engine import get_engine

    return BotContext(
        settings=settings, nlu=get_engine(settings.content_dir), knowledge=KnowledgeBase(settings.content_dir)
    )


def create_app(settings: Settings, database: Database | None = None, context: BotContext | None = None) -> Flask:
    """The web app; refuses to start (ContentError) when a file under bot/ is broken."""
    check_content(settings.content_dir)
    app = Flask(__name__)
    app.secret_key = settings.secret_key
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.connected,
        MAX_CONTENT_LENGTH=2_000_000,
    )
    runtime = Runtime(settings, database or Database(settings.database_url), context or build_context(settings))
    install(app, runtime)
    line = LineClient(settings)
    app.extensions["otopbot_line"] = line
    install_intake(app, Intake(runtime, line, deliver_claimed))
    app.register_blueprint(health.blueprint)
    app.register_blueprint(webhook_blueprint)
    _register_console(app)
    return app


def _register_console(app: Flask) -> None:
    from otopbot.console import make_blueprint
    from otopbot.console.qr import make_qr_blueprint

    app.register_blueprint(make_blueprint(), url_prefix="/console")
    app.register_blueprint(make_qr_blueprint())
