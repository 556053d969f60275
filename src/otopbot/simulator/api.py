"""The fake Messaging API: the endpoints the bot calls (reply, push, multicast, profile, quota).

Handlers are plain functions of (state, call); `MESSAGING_ROUTES` declares them. Every route goes
through `api_view`, which does what LINE does around each call: checks the
bearer token (401), applies queued test faults (which deliver nothing and leave the retry key
unused), stamps `X-Line-Request-Id` and logs the call for `GET /_sim/requests`.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from otopbot.simulator.state import SimulatorState
from otopbot.simulator.validation import error_body, validate_messages, validate_recipients

PREFIX_KEY = "otopbot.simulator.prefixes"
STATES_KEY = "otopbot.simulator.states"  # blueprint name → its SimulatorState
FAULT_BODIES = {
    429: {"message": "The API rate limit has been exceeded. Try again later."},
    500: {"message": "An error occurred in the API server"},
    503: {"message": "Service Unavailable"},
}
MONTHLY_LIMIT = {"message": "You have reached your monthly limit."}


@dataclass
class Result:
    status: int
    body: Any = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    recipients: int | None = None
    raw: bytes | None = None
    mimetype: str = "application/json"


@dataclass(frozen=True)
class Call:
    request_id: str
    retry_key: str | None


Handler = Callable[..., Result]


def api_path() -> str:
    """The request path without the blueprint's mount prefix (e.g. '/v2/bot/message/push')."""
    prefix = current_app.extensions.get(PREFIX_KEY, {}).get(request.blueprint or "", "")
    path = request.path
    return path[len(prefix) :] if prefix and path.startswith(prefix) else path


@dataclass(frozen=True)
class ApiRoute:
    """One Messaging API endpoint: its rule, methods, whether it takes a retry key, and its handler."""

    rule: str
    handler: Handler  # (state, call, **url arguments) -> Result
    methods: tuple[str, ...] = ("POST",)
    retry_key_allowed: bool = False


def current_state() -> SimulatorState:
    """The state of the simulator blueprint serving this request."""
    state: SimulatorState = current_app.extensions[STATES_KEY][request.blueprint or ""]
    return state


def add_api_routes(bp: Blueprint, routes: tuple[ApiRoute, ...]) -> None:
    """Mount each endpoint through `api_view`, which does what LINE does around every call."""
    for route in routes:
        bp.add_url_rule(
            route.rule, endpoint="api_" + route.handler.__name__, view_func=api_view(route), methods=list(route.methods)
        )


def api_view(route: ApiRoute) -> Callable[..., Response]:
    def view(**kwargs: Any) -> Response:
        state = current_state()
        call = Call(str(uuid.uuid4()), request.headers.get("X-Line-Retry-Key"))
        result = _run(state, route, call, kwargs)
        state.log_request(
            {
                "method": request.method,
                "path": api_path(),
                "status": result.status,
                "retryKey": call.retry_key,
                "recipients": result.recipients,
                "requestId": call.request_id,
                "fault": result.headers.pop("X-Sim-Fault", None) == "1",
            }
        )
        return _response(result, call.request_id)

    view.__name__ = route.handler.__name__
    return view


def _run(state: SimulatorState, route: ApiRoute, call: Call, kwargs: dict[str, Any]) -> Result:
    if request.headers.get("Authorization") != f"Bearer {state.access_token}":
        return Result(
            401,
            {"message": "Authentication failed. Confirm that the access token in the authorization header is valid."},
        )
    fault = state.take_fault(request.method, api_path(), request.path)
    if fault is not None:
        if fault.delay:
            time.sleep(fault.delay)
        if fault.status:
            body = fault.body if fault.body is not None else FAULT_BODIES.get(fault.status, {"message": "error"})
            return Result(fault.status, body, {"X-Sim-Fault": "1"})
    if call.retry_key is not None and not route.retry_key_allowed:
        return Result(400, {"message": "The X-Line-Retry-Key header is not supported for this API"})
    return route.handler(state, call, **kwargs)


def _response(result: Result, request_id: str) -> Response:
    if result.raw is not None:
        response = Response(result.raw, status=result.status, mimetype=result.mimetype)
    else:
        response = jsonify(result.body)
        response.status_code = result.status
    response.headers["X-Line-Request-Id"] = request_id
    for name, value in result.headers.items():
        response.headers[name] = value
    return response


def json_body() -> dict[str, Any] | None:
    body = request.get_json(silent=True, force=True)
    return body if isinstance(body, dict) else None


def bad_json() -> Result:
    return Result(400, error_body([{"message": "The request body is not valid JSON", "property": ""}]))


def reply(state: SimulatorState, call: Call) -> Result:
    body = json_body()
    if body is None:
        return bad_json()
    errors = validate_messages(body.get("messages"))
    if not isinstance(body.get("replyToken"), str):
        errors.insert(0, {"message": "must be specified", "property": "replyToken"})
    if errors:
        _note_refusal(state, state.user_of_reply_token(body.get("replyToken")), "reply", errors)
        return Result(400, error_body(errors))
    user_id = state.use_reply_token(body["replyToken"])
    if user_id is None:
        return Result(400, {"message": "Invalid reply token"})
    sent = state.deliver(user_id, "reply", body["messages"])
    return Result(200, {"sentMessages": sent}, recipients=1)


def push(state: SimulatorState, call: Call) -> Result:
    body = json_body()
    if body is None:
        return bad_json()
    errors = validate_messages(body.get("messages"))
    if not isinstance(body.get("to"), str) or not body["to"]:
        errors.insert(0, {"message": "must be specified", "property": "to"})
    return _send(state, call, errors, [body.get("to")], body.get("messages"), "push")


def multicast(state: SimulatorState, call: Call) -> Result:
    body = json_body()
    if body is None:
        return bad_json()
    errors = validate_recipients(body.get("to")) + validate_messages(body.get("messages"))
    return _send(state, call, errors, body.get("to") or [], body.get("messages"), "multicast")


def profile(state: SimulatorState, call: Call, user_id: str) -> Result:
    user = state.user(user_id)
    if user is None or user.blocked:
        return Result(404, {"message": "Not found"})
    return Result(200, user.profile())


def quota(state: SimulatorState, call: Call) -> Result:
    with state.lock:
        return Result(200, state.quota_body())


def quota_consumption(state: SimulatorState, call: Call) -> Result:
    with state.lock:
        return Result(200, {"totalUsage": state.total_usage})


def _send(
    state: SimulatorState,
    call: Call,
    errors: list[dict[str, str]],
    to: list[Any],
    messages: Any,
    via: str,
) -> Result:
    """Shared path of push and multicast: retry key, validation, quota, delivery."""
    if call.retry_key is not None and not _is_uuid(call.retry_key):
        return Result(400, {"message": "The retry key must be a UUID in hexadecimal form"})
    with state.lock:  # check-and-accept of the retry key must be atomic
        if call.retry_key is not None:
            accepted = state.accepted_retry(call.retry_key)
            if accepted is not None:
                body: dict[str, Any] = {"message": "The retry key is already accepted"}
                if via == "push" and accepted["sentMessages"] is not None:
                    body["sentMessages"] = accepted["sentMessages"]
                return Result(409, body, {"X-Line-Accepted-Request-Id": accepted["requestId"]})
        if errors:
            if via == "push" and to:
                _note_refusal(state, to[0] if isinstance(to[0], str) else None, via, errors)
            return Result(400, error_body(errors))
        targets = [u for u in dict.fromkeys(to) if _follows(state, u)]
        if state.quota is not None and state.total_usage + len(targets) > state.quota:
            return Result(429, MONTHLY_LIMIT)
        sent: list[dict[str, Any]] = []
        for user_id in targets:
            sent = state.deliver(user_id, via, messages)
        if via == "push" and not targets:
            sent = [{"id": state.next_message_id()} for _ in messages]
        state.total_usage += len(targets)
        if call.retry_key is not None:
            state.accept_retry(call.retry_key, call.request_id, sent if via == "push" else None)
    if via == "push":
        return Result(200, {"sentMessages": sent}, recipients=len(targets))
    return Result(200, {}, recipients=len(targets))


def _note_refusal(state: SimulatorState, user_id: str | None, via: str, errors: list[dict[str, str]]) -> None:
    if user_id is not None and user_id in state.users:
        state.record_refusal(user_id, via, errors)


def _follows(state: SimulatorState, user_id: Any) -> bool:
    user = state.users.get(user_id) if isinstance(user_id, str) else None
    return user is not None and user.following


def _is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value.lower() and len(value) == 36
    except ValueError:
        return False


MESSAGING_ROUTES = (
    ApiRoute("/v2/bot/message/reply", reply),
    ApiRoute("/v2/bot/message/push", push, retry_key_allowed=True),
    ApiRoute("/v2/bot/message/multicast", multicast, retry_key_allowed=True),
    ApiRoute("/v2/bot/profile/<user_id>", profile, methods=("GET",)),
    ApiRoute("/v2/bot/message/quota", quota, methods=("GET",)),
    ApiRoute("/v2/bot/message/quota/consumption", quota_consumption, methods=("GET",)),
)
