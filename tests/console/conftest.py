"""Console fixtures: an app with the console mounted, and signed-in clients per role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from console_helpers import PASSWORD, FakeQuota, build_app, log_in
from flask import Flask
from flask.testing import FlaskClient

from otopbot.console import auth
from otopbot.db import Database
from otopbot.settings import Settings


@pytest.fixture
def quota() -> FakeQuota:
    return FakeQuota()


@pytest.fixture
def app(settings: Settings, database: Database, quota: FakeQuota) -> Flask:
    return build_app(settings, database, quota)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def staff_client(app: Flask, database: Database) -> Callable[[str], FlaskClient]:
    """A signed-in client for a new account with the given role."""
    made: list[str] = []

    def make(role: str) -> FlaskClient:
        username = f"{role}{len(made)}"
        made.append(username)
        with database.transaction() as db:
            auth.create_staff(db, username, PASSWORD, role, display_name=f"{role.upper()} officer")
        signed_in = app.test_client()
        assert log_in(signed_in, username).status_code == 302
        return signed_in

    return make
