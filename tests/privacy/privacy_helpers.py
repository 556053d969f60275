"""Signing in to the console and posting its forms as a browser would (CSRF token included), and scanning
every column of every table for what must have gone."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import JSON, String, Text, inspect, select

from otopbot.db import Base

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(client: Any) -> str:
    with client.session_transaction() as session:
        return str(session.get("csrf", ""))


def post(client: Any, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    return client.post(url, data={**(data or {}), "csrf_token": csrf_of(client)}, **kwargs)


def log_in(client: Any, username: str, password: str = PASSWORD) -> Any:
    page = client.get("/console/login")
    token = CSRF.search(page.get_data(as_text=True))
    assert token, "the login form carries a CSRF token"
    return client.post(
        "/console/login", data={"username": username, "password": password, "csrf_token": token.group(1)}
    )


def found_in_every_text_column(database: Any, needles: list[str]) -> list[str]:
    """Every (table.column: needle) where a text or JSON column of any table still holds a needle."""
    found = []
    with database.transaction() as db:
        for table in Base.metadata.sorted_tables:
            columns = [
                c
                for c in table.columns
                if isinstance(c.type, (String, Text, JSON)) or isinstance(getattr(c.type, "impl", None), (String, Text))
            ]
            for row in db.execute(select(*columns)).all():
                for column, value in zip(columns, row, strict=True):
                    text = repr(value) if not isinstance(value, str) else value
                    found += [f"{table.name}.{column.name}: {n}" for n in needles if n and n in text]
        for name in inspect(db.connection()).get_table_names():  # tables the models do not know (yet)
            assert name in Base.metadata.tables or name == "alembic_version", name
    return found
