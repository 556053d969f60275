"""Fixtures for dialogue-level tests: the real NLU engine (once per session) and a `Talk` driver."""

from __future__ import annotations

from pathlib import Path

import pytest
from dialogue_talk import Talk

from otopbot.db import Database
from otopbot.dialogue.turn import BotContext
from otopbot.nlu.engine import get_engine
from otopbot.settings import Settings


@pytest.fixture(scope="session")
def nlu() -> object:
    return get_engine(Path(__file__).resolve().parents[2] / "bot")


@pytest.fixture
def talk(database: Database, settings: Settings, nlu: object) -> Talk:
    return Talk(database, settings, BotContext(settings=settings, nlu=nlu))  # type: ignore[arg-type]
