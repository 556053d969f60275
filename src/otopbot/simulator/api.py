"""The fake Messaging API: reply, push, multicast, broadcast, narrowcast, profile, quota.

Every route goes through `api_route`, which does what LINE does around each call: checks the
bearer token (401), applies queued test faults (which deliver nothing and leave the retry key
unused), stamps `X-Line-Request-Id` and logs the call for `GET /_sim/requests`.
"""

from __future__ import annotations

import functools
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from otopbot.simulator.state import SimulatorState
from otopbot.simulator.validation import error_body, validate_messages, validate_recipients

PREFIX_KEY = "otopbot.simulator.prefixes"
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


def api_route(
    bp: Blueprint,
    state: SimulatorState,
    rule: str,
    methods: tuple[str, ...] = ("POST",),
    retry_key_allowed: bool = False,
) -> Callable[[Handler], Handler]:
    def decorator(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def view(**kwargs: Any) -> Response:
            call = Call(str(uuid.uuid4()), request.headers.get("X-Line-Retry-Key"))
            result = _run(state, handler, call, retry_key_allowed, kwargs)
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

        bp.add_url_rule(
            rule, endpoint="api_" + handler.__name__, view_func=view, methods=list(methods)
        )
        return handler

    return decorator


def _run(
    state: SimulatorState,
    handler: Handler,
    call: Call,
    retry_key_allowed: bool,
    kwargs: dict[str, Any],
) -> Result:
    if request.headers.get("Authorization") != f"Bearer {state.access_token}":
        return Result(
            401,
            {
                "message": "Authentication failed. Confirm that the access token in the "
                "authorization header is valid."
            },
        )
    fault = state.take_fault(request.method, api_path(), request.path)
    if fault is not None:
        if fault.delay:
            time.sleep(fault.delay)
        if fault.status:
            body = (
                fault.body
                if fault.body is not None
                else FAULT_BODIES.get(fault.status, {"message": "error"})
            )
            return Result(fault.status, body, {"X-Sim-Fault": "1"})
    if call.retry_key is not None and not retry_key_allowed:
        return Result(400, {"message": "The X-Line-Retry-Key header is not supported for this API"})
    return handler(call, **kwargs)


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
    return Result(
        400, error_body([{"message": "The request body is not valid JSON", "property": ""}])
    )


def register_messaging(bp: Blueprint, state: SimulatorState) -> None:
    """Attach the message-sending, profile and quota endpoints to the blueprint."""

    @api_route(bp, state, "/v2/bot/message/reply")
    def reply(call: Call) -> Result:
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

    @api_route(bp, state, "/v2/bot/message/push", retry_key_allowed=True)
    def push(call: Call) -> Result:
        body = json_body()
        if body is None:
            return bad_json()
        errors = validate_messages(body.get("messages"))
        if not isinstance(body.get("to"), str) or not body["to"]:
            errors.insert(0, {"message": "must be specified", "property": "to"})
        return _send(state, call, errors, [body.get("to")], body.get("messages"), "push")

    @api_route(bp, state, "/v2/bot/message/multicast", retry_key_allowed=True)
    def multicast(call: Call) -> Result:
        body = json_body()
        if body is None:
            return bad_json()
        errors = validate_recipients(body.get("to")) + validate_messages(body.get("messages"))
        return _send(state, call, errors, body.get("to") or [], body.get("messages"), "multicast")

    @api_route(bp, state, "/v2/bot/message/broadcast", retry_key_allowed=True)
    def broadcast(call: Call) -> Result:
        body = json_body()
        if body is None:
            return bad_json()
        errors = validate_messages(body.get("messages"))
        return _send(state, call, errors, None, body.get("messages"), "broadcast")

    @api_route(bp, state, "/v2/bot/message/narrowcast", retry_key_allowed=True)
    def narrowcast(call: Call) -> Result:
        body = json_body()
        if body is None:
            return bad_json()
        errors = validate_messages(body.get("messages"))
        return _send(state, call, errors, None, body.get("messages"), "narrowcast")

    @api_route(bp, state, "/v2/bot/message/progress/narrowcast", methods=("GET",))
    def narrowcast_progress(call: Call) -> Result:
        wanted = request.args.get("requestId")
        with state.lock:
            done = [r for r in state.requests if r["requestId"] == wanted and r["status"] == 202]
        if not done:
            return Result(404, {"message": "Not found"})
        count = done[0]["recipients"] or 0
        return Result(
            200,
            {
                "phase": "succeeded",
                "successCount": count,
                "failureCount": 0,
                "targetCount": count,
                "acceptedTime": _iso(done[0]["at"]),
                "completedTime": _iso(done[0]["at"]),
            },
        )

    @api_route(bp, state, "/v2/bot/profile/<user_id>", methods=("GET",))
    def profile(call: Call, user_id: str) -> Result:
        user = state.user(user_id)
        if user is None or user.blocked:
            return Result(404, {"message": "Not found"})
        return Result(200, user.profile())

    @api_route(bp, state, "/v2/bot/followers/ids", methods=("GET",))
    def followers(call: Call) -> Result:
        ids = state.followers()
        start = int(request.args.get("start") or 0)
        limit = min(int(request.args.get("limit") or 300), 1000)
        body: dict[str, Any] = {"userIds": ids[start : start + limit]}
        if start + limit < len(ids):
            body["next"] = str(start + limit)
        return Result(200, body)

    @api_route(bp, state, "/v2/bot/message/quota", methods=("GET",))
    def quota(call: Call) -> Result:
        with state.lock:
            return Result(200, state.quota_body())

    @api_route(bp, state, "/v2/bot/message/quota/consumption", methods=("GET",))
    def quota_consumption(call: Call) -> Result:
        with state.lock:
            return Result(200, {"totalUsage": state.total_usage})

    @api_route(bp, state, "/v2/bot/chat/loading/start")
    def loading_start(call: Call) -> Result:
        body = json_body()
        if body is None:
            return bad_json()
        seconds = body.get("loadingSeconds", 20)
        if not isinstance(body.get("chatId"), str) or seconds not in range(5, 61, 5):
            return Result(
                400,
                error_body(
                    [{"message": "invalid chatId or loadingSeconds", "property": "loadingSeconds"}]
                ),
            )
        return Result(202, {})

    @api_route(bp, state, "/v2/bot/message/<message_id>/content", methods=("GET",))
    def message_content(call: Call, message_id: str) -> Result:
        with state.lock:
            content = state.message_contents.get(message_id)
        if content is None:
            return Result(404, {"message": "Not found"})
        return Result(200, raw=content, mimetype="image/png")


def _send(
    state: SimulatorState,
    call: Call,
    errors: list[dict[str, str]],
    to: list[Any] | None,
    messages: Any,
    via: str,
) -> Result:
    """Shared path of push/multicast/broadcast/narrowcast: retry key, validation, quota, delivery."""
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
        targets = (
            state.followers()
            if to is None
            else [u for u in dict.fromkeys(to) if _follows(state, u)]
        )
        if state.quota is not None and state.total_usage + len(targets) > state.quota:
            return Result(429, MONTHLY_LIMIT)
        sent: list[dict[str, Any]] = []
        for user_id in targets:
            sent = state.deliver(user_id, "broadcast" if via == "narrowcast" else via, messages)
        if via == "push" and not targets:
            sent = [{"id": state.next_message_id()} for _ in messages]
        state.total_usage += len(targets)
        if call.retry_key is not None:
            state.accept_retry(call.retry_key, call.request_id, sent if via == "push" else None)
    if via == "push":
        return Result(200, {"sentMessages": sent}, recipients=len(targets))
    return Result(202 if via == "narrowcast" else 200, {}, recipients=len(targets))


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


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(ts))
