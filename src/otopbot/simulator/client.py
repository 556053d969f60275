"""`SimulatorClient`: the /_sim/ control API from Python, for tests and scripts.

`base_url` is where the simulator's routes live (the app root, or the mount prefix such as
`http://127.0.0.1:5000/simulator`). Control calls raise `requests.HTTPError` on 4xx/5xx; the bot's
own answer to a webhook is reported in the result's "status", not raised.
"""

from __future__ import annotations

import time
from typing import Any, cast

import requests

TIMEOUT = (3.05, 30.0)


class SimulatorClient:
    def __init__(self, base_url: str, timeout: tuple[float, float] = TIMEOUT) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()

    # ---- plumbing ----------------------------------------------------------------------------
    def _call(self, method: str, path: str, json: Any = None, params: dict[str, Any] | None = None) -> Any:
        response = self.session.request(
            method, f"{self.base_url}/_sim/{path}", json=json, params=params, timeout=self.timeout
        )
        response.raise_for_status()
        return response.json()

    # ---- users and their actions ---------------------------------------------------------------
    def create_user(
        self,
        display_name: str,
        language: str | None = "th",
        user_id: str | None = None,
        picture_url: str | None = None,
    ) -> dict[str, Any]:
        """Returns {"displayName", "userId", "language"?, "pictureUrl"?, "following", "blocked"}."""
        body = {
            "displayName": display_name,
            "language": language,
            "userId": user_id,
            "pictureUrl": picture_url,
        }
        return cast(
            "dict[str, Any]",
            self._call("POST", "users", {k: v for k, v in body.items() if v is not None}),
        )

    def users(self) -> list[dict[str, Any]]:
        return cast("list[dict[str, Any]]", self._call("GET", "users"))

    def follow(self, user_id: str) -> dict[str, Any]:
        return cast("dict[str, Any]", self._call("POST", "follow", {"userId": user_id}))

    def unfollow(self, user_id: str) -> dict[str, Any]:
        return cast("dict[str, Any]", self._call("POST", "unfollow", {"userId": user_id}))

    def say(self, user_id: str, text: str) -> dict[str, Any]:
        """Send a text message event; returns {"status", "event", "body"}."""
        return cast("dict[str, Any]", self._call("POST", "say", {"userId": user_id, "text": text}))

    def postback(
        self,
        user_id: str,
        data: str,
        params: dict[str, Any] | None = None,
        display_text: str | None = None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"userId": user_id, "data": data}
        if params:
            body["params"] = params
        if display_text:
            body["displayText"] = display_text
        return cast("dict[str, Any]", self._call("POST", "postback", body))

    def sticker(self, user_id: str) -> dict[str, Any]:
        return cast("dict[str, Any]", self._call("POST", "sticker", {"userId": user_id}))

    def image(self, user_id: str) -> dict[str, Any]:
        return cast("dict[str, Any]", self._call("POST", "image", {"userId": user_id}))

    def location(self, user_id: str, **fields: Any) -> dict[str, Any]:
        """fields: title, address, latitude, longitude (defaults: a Bangkok market)."""
        return cast("dict[str, Any]", self._call("POST", "location", {"userId": user_id, **fields}))

    def redeliver(self, webhook_event_id: str) -> dict[str, Any]:
        return cast("dict[str, Any]", self._call("POST", "redeliver", {"webhookEventId": webhook_event_id}))

    def raw(self, body: str, signature: str | None = None) -> dict[str, Any]:
        """Post an arbitrary body (signed correctly unless `signature` is given); {"status","body"}."""
        payload: dict[str, Any] = {"body": body}
        if signature is not None:
            payload["signature"] = signature
        return cast("dict[str, Any]", self._call("POST", "raw", payload))

    # ---- inspection ------------------------------------------------------------------------
    def messages(self, user_id: str, after: int = 0, include_user: bool = False) -> list[dict[str, Any]]:
        """Bot messages delivered to the user: [{seq, via, message, at}], oldest first."""
        params: dict[str, Any] = {"userId": user_id, "after": after}
        if include_user:
            params["include_user"] = "1"
        return cast("list[dict[str, Any]]", self._call("GET", "messages", params=params))

    def requests(self) -> list[dict[str, Any]]:
        """Every Messaging API call: [{seq, method, path, status, retryKey, recipients, requestId, fault, at}]."""
        return cast("list[dict[str, Any]]", self._call("GET", "requests"))

    def webhooks(self) -> list[dict[str, Any]]:
        return cast("list[dict[str, Any]]", self._call("GET", "webhooks"))

    def rich_menu(self, user_id: str | None = None) -> dict[str, Any] | None:
        return cast(
            "dict[str, Any] | None",
            self._call("GET", "richmenu", params={"userId": user_id} if user_id else None),
        )

    # ---- faults and configuration -------------------------------------------------------------
    def add_fault(
        self,
        path: str,
        status: int | None = None,
        body: Any = None,
        count: int = 1,
        delay: float = 0.0,
        method: str | None = None,
    ) -> list[dict[str, Any]]:
        """Queue a failure for the next `count` calls to `path` ('/v2/bot/message/push', 'prefix*', '*')."""
        payload: dict[str, Any] = {"path": path, "count": count, "delay": delay}
        for key, value in (("status", status), ("body", body), ("method", method)):
            if value is not None:
                payload[key] = value
        return cast("list[dict[str, Any]]", self._call("POST", "faults", payload))

    def clear_faults(self) -> list[dict[str, Any]]:
        return cast("list[dict[str, Any]]", self._call("DELETE", "faults"))

    def config(self, **changes: Any) -> dict[str, Any]:
        """Read (no args) or change: quota (int|None), reply_token_ttl, retry_key_ttl, webhook_url, webhook_timeout."""
        if not changes:
            return cast("dict[str, Any]", self._call("GET", "config"))
        return cast("dict[str, Any]", self._call("POST", "config", changes))

    def wait_for_messages(
        self, user_id: str, count: int = 1, after: int = 0, timeout: float = 5.0
    ) -> list[dict[str, Any]]:
        """Poll until at least `count` bot messages arrived after `after` (worker pushes are async)."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.messages(user_id, after)
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.05)

    def close(self) -> None:
        self.session.close()
