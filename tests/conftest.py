"""Shared fixtures: settings, a migrated database (SQLite, or PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import text

from otopbot.db import Base, Database
from otopbot.migrate import upgrade
from otopbot.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def _reset_postgres(url: str) -> None:
    """Drop everything so each test starts from an empty, freshly migrated schema."""
    db = Database(url)
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    db.dispose()


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        url = Settings.from_env({"DATABASE_URL": url}).database_url
        _reset_postgres(url)
        return url
    return f"sqlite:///{tmp_path / 'otopbot-test.sqlite3'}"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key="test-secret-key-0123456789abcdef",
        content_dir=ROOT / "bot",
        locales_dir=ROOT / "locales",
        worker_poll_seconds=0.05,
    )


@pytest.fixture
def database(settings: Settings) -> Iterator[Database]:
    upgrade(settings.database_url)
    db = Database(settings.database_url)
    yield db
    db.dispose()


__all__ = ["Base"]
