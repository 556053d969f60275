"""Signing in to the console and posting its forms as a browser would (CSRF token included)."""

from __future__ import annotations

import re
from typing import Any

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
    return client.post("/console/login", data={"username": username, "password": password,
                                                "csrf_token": token.group(1)})
