"""Calls to the Messaging API through line-bot-sdk v3, with timeouts, retry keys and our errors.

Every call passes an explicit `_request_timeout` (the SDK has none by default) and maps failures to
`LineRetryable` (429, 5xx, network) or `LineRejected` (other 4xx). A 409 on a retry key means LINE
already accepted that request, so it counts as delivered.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import urllib3
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessagingApi,
)

from otopbot.errors import LineApiError, LineOutcomeUnknown, LineRejected, LineRetryable
from otopbot.settings import LINE_DEFAULT_API, Settings

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Profile:
    display_name: str | None
    language: str | None


class _Rendered(dict[str, Any]):
    """A request body already in LINE's JSON (`line.render`): nothing in it needs the SDK's conversion."""


class _ApiClient(ApiClient):  # type: ignore[misc]
    def sanitize_for_serialization(self, obj: Any) -> Any:
        """The SDK walks every value of a body to turn models into dicts; a rendered body has none
        (the walk was a tenth of a reply's CPU)."""
        if isinstance(obj, _Rendered):
            return obj
        return super().sanitize_for_serialization(obj)


class LineClient:
    """A thin, typed face over MessagingApi; one per process is enough (it holds a pool)."""

    def __init__(self, settings: Settings) -> None:
        # host=None keeps the SDK's own hosts (api.line.me and api-data.line.me); any other base URL
        # (the simulator, a staging fake) receives every call.
        host = None if settings.line_api_base_url == LINE_DEFAULT_API else settings.line_api_base_url
        self._configuration = Configuration(host=host, access_token=settings.line_channel_access_token or "local")
        self._configuration.retries = False  # the outbox retries with back-off; urllib3 must not retry blindly
        self._timeout = (min(3.05, settings.line_timeout_seconds), settings.line_timeout_seconds)
        self._api_client = _ApiClient(self._configuration)
        self._api = MessagingApi(self._api_client)

    def close(self) -> None:
        self._api_client.close()

    def reply(self, reply_token: str, messages: list[dict[str, Any]]) -> None:
        self._call(lambda: self._send("/v2/bot/message/reply", {"replyToken": reply_token, "messages": messages}))

    def push(self, to: str, messages: list[dict[str, Any]], retry_key: str) -> None:
        self._call_once(lambda: self._send("/v2/bot/message/push", {"to": to, "messages": messages}, retry_key))

    def multicast(self, to: list[str], messages: list[dict[str, Any]], retry_key: str) -> None:
        self._call_once(lambda: self._send("/v2/bot/message/multicast", {"to": to, "messages": messages}, retry_key))

    def _send(self, path: str, body: dict[str, Any], retry_key: str | None = None) -> None:
        """POST messages already rendered to LINE's JSON (`line.render`) through the SDK's own client.

        Same host, auth, timeouts and errors as the SDK's typed methods, without rebuilding every
        message as pydantic models and back (a sixth of an answer's CPU, measured). LINE itself
        validates the messages and answers 400 to bad ones, as it does for the typed methods.
        """
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if retry_key is not None:
            headers["X-Line-Retry-Key"] = retry_key
        self._api_client.call_api(
            path,
            "POST",
            {},
            [],
            headers,
            body=_Rendered(body),
            response_types_map={},
            auth_settings=["Bearer"],
            _return_http_data_only=True,
            _request_timeout=self._timeout,
            _host=self._api.line_base_path,
        )

    def link_rich_menu(self, user_id: str, menu_id: str) -> None:
        """Show this rich menu to this user (instead of the default); repeating it changes nothing."""
        self._call(lambda: self._api.link_rich_menu_id_to_user(user_id, menu_id, _request_timeout=self._timeout))

    def unlink_rich_menu(self, user_id: str) -> None:
        """Back to the default menu; LINE's 404 (no menu of their own) means it is already so."""
        try:
            self._call(lambda: self._api.unlink_rich_menu_id_from_user(user_id, _request_timeout=self._timeout))
        except LineRejected as error:
            if error.status != 404:
                raise

    def profile(self, user_id: str) -> Profile | None:
        """The user's display name and language, or None when LINE will not tell us (404)."""
        try:
            found = self._call(lambda: self._api.get_profile(user_id, _request_timeout=self._timeout))
        except LineApiError as error:  # the greeting goes out anyway, in Thai, without the name
            log.info("profile not available (%s)", error.status or "network")
            return None
        return Profile(display_name=found.display_name, language=getattr(found, "language", None))

    def quota_remaining(self) -> int | None:
        """Messages left this month; None when the plan has no limit."""
        quota = self._call(lambda: self._api.get_message_quota(_request_timeout=self._timeout))
        if quota.type != "limited" or quota.value is None:
            return None
        used = self._call(lambda: self._api.get_message_quota_consumption(_request_timeout=self._timeout))
        return max(0, int(quota.value) - int(used.total_usage))

    def _call_once(self, send: Callable[[], T]) -> None:
        """Send with a retry key: a 409 means an earlier attempt already got through."""
        try:
            self._call(send)
        except LineRejected as error:
            if error.status == 409:
                log.info("retry key already accepted; treating as delivered")
                return
            raise

    def _call(self, send: Callable[[], T]) -> T:
        try:
            return send()
        except ApiException as error:
            raise _classify(error) from None
        except (urllib3.exceptions.ReadTimeoutError, urllib3.exceptions.ProtocolError) as error:
            raise LineOutcomeUnknown(f"no answer from LINE: {type(error).__name__}") from None
        except urllib3.exceptions.HTTPError as error:
            if _reached_line(error):
                raise LineOutcomeUnknown(f"no answer from LINE: {type(error).__name__}") from None
            raise LineRetryable(f"could not reach LINE: {type(error).__name__}") from None


def _reached_line(error: urllib3.exceptions.HTTPError) -> bool:
    """A MaxRetryError wraps the real cause; only a failure to connect proves LINE never saw the request."""
    reason = getattr(error, "reason", None)
    connect_failures = (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError)
    return reason is not None and not isinstance(reason, connect_failures)


def _classify(error: ApiException) -> LineRetryable | LineRejected:
    status = int(error.status or 0)
    body = error.body.decode() if isinstance(error.body, bytes) else str(error.body or "")
    message = f"LINE answered {status}"
    if status == 429 or status >= 500:
        return LineRetryable(message, status, body)
    return LineRejected(message, status, body)


def refusal_reason(body: str, limit: int = 300) -> str:
    """LINE's own words for a refusal (its message and each property at fault), for the logs.

    LINE's error details name properties and rules, never message contents, so they are safe to log.
    """
    try:
        data = json.loads(body)
    except ValueError:
        return "no reason given"
    if not isinstance(data, dict):
        return "no reason given"
    parts = [str(data.get("message", "")).strip()]
    for detail in data.get("details") or []:
        if isinstance(detail, dict):
            parts.append(f"{detail.get('property', '')}: {detail.get('message', '')}")
    return "; ".join(p for p in parts if p)[:limit] or "no reason given"


def is_content_refusal(body: str) -> bool:
    """A 400 about the messages themselves (not the reply token): sending them again cannot help."""
    try:
        data = json.loads(body)
    except ValueError:
        return False
    return isinstance(data, dict) and bool(data.get("details"))


@contextmanager
def line_client(settings: Settings) -> Iterator[LineClient]:
    client = LineClient(settings)
    try:
        yield client
    finally:
        client.close()
