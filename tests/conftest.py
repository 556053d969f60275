"""Shared fixtures: settings, a migrated database (SQLite, or PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from otopbot.db import Database
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


# ---- end-to-end: the bot over HTTP, wired to the LINE simulator ---------------------------------

CHANNEL_SECRET = "0123456789abcdef0123456789abcdef"
ACCESS_TOKEN = "test-access-token"


@pytest.fixture(scope="session")
def bot_context_factory():  # type: ignore[no-untyped-def]
    """The NLU engine and knowledge base are built once per test session (they are read-only)."""
    from otopbot.app import build_context

    cache: dict[str, object] = {}

    def make(settings: Settings):  # type: ignore[no-untyped-def]
        if "context" not in cache:
            cache["context"] = build_context(settings)
        return cache["context"]

    return make


@pytest.fixture
def line_sim() -> Iterator[object]:
    """A LINE simulator served on 127.0.0.1; its webhook target is set once the bot is up."""
    from otopbot.simulator.app import create_simulator
    from otopbot.simulator.client import SimulatorClient
    from otopbot.simulator.serving import serve_in_thread

    served = serve_in_thread(create_simulator(CHANNEL_SECRET, ACCESS_TOKEN, None))
    client = SimulatorClient(served.url)
    yield client
    served.shutdown()


@pytest.fixture
def bot(settings: Settings, database: Database, line_sim, bot_context_factory) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """The bot app served over HTTP, connected to the simulator, with sample content loaded."""
    from dataclasses import replace

    from otopbot.app import create_app
    from otopbot.seeding import seed_all
    from otopbot.simulator.serving import serve_in_thread

    connected = settings.with_overrides(
        line_channel_secret=CHANNEL_SECRET,
        line_channel_access_token=ACCESS_TOKEN,
        line_api_base_url=line_sim.base_url.rstrip("/"),
    )
    context = replace(bot_context_factory(connected), settings=connected)
    seed_all(database, connected)
    app = create_app(connected, database=database, context=context)
    served = serve_in_thread(app)
    line_sim.config(webhook_url=f"{served.url}/callback")
    app.config["BOT_URL"] = served.url
    yield app
    served.shutdown()


@pytest.fixture
def chat(bot, line_sim):  # type: ignore[no-untyped-def]
    from harness import Chat
    from otopbot.line.client import LineClient
    from otopbot.runtime import Runtime

    runtime: Runtime = bot.extensions["otopbot"]
    line = LineClient(runtime.settings)
    driver = Chat(sim=line_sim, runtime=runtime, line=line, bot_app=bot)
    yield driver
    with contextlib.suppress(AssertionError):  # let answers still in flight finish before the database goes away
        driver.settle()
    line.close()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--uses-database-only",
        action="store_true",
        help="run only the tests that use the database (for the PostgreSQL pass)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--uses-database-only"):
        return
    keep = [item for item in items if "database" in getattr(item, "fixturenames", ())]
    deselected = [item for item in items if item not in keep]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
    items[:] = keep


# ---- a real browser: Debian's Chromium through Playwright, one per test session ---------------------

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str | None:
    import shutil

    return shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Playwright's sync API allows one instance per thread, so every browser test shares this one."""
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed (python3 dev.py test installs it when run as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="th-TH", viewport={"width": 420, "height": 860})
    opened = context.new_page()
    yield opened
    context.close()
