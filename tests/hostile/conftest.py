"""Fixtures for hostile-input tests: the bot's Flask app connected to a LINE that never answers.

`webhook.post(body)` posts to POST /callback through the Flask test client, signed with the channel
secret (or with any signature given), then closes the response so the event processing that runs
after the 200 (`call_on_close`) happens before the test looks at the database. LINE's API points at
a closed port, so answers stay in the outbox; what matters here is that nothing crashes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from flask import Flask
from hostile_helpers import ACCESS_TOKEN, CHANNEL_SECRET, CLOSED_PORT_API, Webhook

from otopbot.db import Database
from otopbot.settings import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The shared test settings with a short LINE timeout, so slow-LINE faults take a second, not five."""
    return settings.with_overrides(line_timeout_seconds=1.0)


@pytest.fixture
def connected(settings: Settings) -> Settings:
    return settings.with_overrides(
        line_channel_secret=CHANNEL_SECRET,
        line_channel_access_token=ACCESS_TOKEN,
        line_api_base_url=CLOSED_PORT_API,
        line_timeout_seconds=1.0,
    )


@pytest.fixture
def webhook_app(connected: Settings, database: Database, bot_context_factory) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    from otopbot.app import create_app
    from otopbot.seeding import seed_all

    seed_all(database, connected)  # workshops and the knowledge base, as in production
    context = replace(bot_context_factory(connected), settings=connected)
    app = create_app(connected, database=database, context=context)
    yield app
    app.extensions["otopbot_line"].close()


@pytest.fixture
def webhook(webhook_app: Flask, database: Database) -> Webhook:
    return Webhook(webhook_app.test_client(), database, webhook_app.extensions["otopbot"])
