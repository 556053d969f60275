"""The per-process objects every part of the app shares, built once from `Settings`."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from otopbot.db import Database
from otopbot.dialogue.turn import BotContext
from otopbot.settings import Settings


@dataclass(frozen=True, slots=True)
class Runtime:
    settings: Settings
    database: Database
    context: BotContext


def install(app: Flask, runtime: Runtime) -> None:
    app.extensions["otopbot"] = runtime


def current() -> Runtime:
    """The runtime of the app handling the current request."""
    runtime: Runtime = current_app.extensions["otopbot"]
    return runtime
