"""POST /callback: verify the signature, store each event once, answer 200, then process.

The events are committed before the 200 goes out, so LINE never gets a success for an event we
could lose. Processing runs after the response is sent (`call_on_close`), well inside LINE's two
seconds; whatever fails there is retried by the worker.

Only a few requests per process answer straight away (`IMMEDIATE_SLOTS`): under a burst the rest are
left to the worker, so that answering never holds up the threads that accept LINE's webhooks.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Protocol

from flask import Blueprint, Response, current_app, request

from otopbot.line.inbound import MAX_BODY_BYTES, MalformedWebhook, parse_events, signature_ok
from otopbot.runtime import current

log = logging.getLogger(__name__)
blueprint = Blueprint("line_webhook", __name__)
IMMEDIATE_SLOTS = 2


def immediate_slots() -> threading.BoundedSemaphore:
    slots: threading.BoundedSemaphore = current_app.extensions.setdefault(
        "otopbot_immediate", threading.BoundedSemaphore(IMMEDIATE_SLOTS)
    )
    return slots


class EventIntake(Protocol):
    """What the webhook hands events to; `create_app` plugs in the application core (`otopbot.events`)."""

    def store(self, events: list[dict[str, Any]]) -> list[int]:
        """Commit each new event once; return the ids of those not seen before."""

    def answer_now(self, event_ids: list[int]) -> None:
        """Process and deliver these events straight away; failures are left to the worker."""


def install_intake(app: Any, intake: EventIntake) -> None:
    app.extensions["otopbot_intake"] = intake


def intake() -> EventIntake:
    found: EventIntake = current_app.extensions["otopbot_intake"]
    return found


@blueprint.post("/callback")
def callback() -> Response:
    runtime = current()
    secret = runtime.settings.line_channel_secret
    if request.content_length and request.content_length > MAX_BODY_BYTES:
        return Response("body too large\n", status=413)
    raw = request.get_data(cache=False)
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Response("body is not UTF-8\n", status=400)
    if secret is None or not signature_ok(secret, body, request.headers.get("X-Line-Signature")):
        log.warning("webhook refused: bad or missing signature")
        return Response("bad signature\n", status=400)
    try:
        events = parse_events(body)
    except MalformedWebhook as error:
        log.warning("webhook refused: %s", error)
        return Response("malformed webhook\n", status=400)
    events_in = intake()
    new_ids = events_in.store(events)
    response = Response("OK\n", status=200)
    slots = immediate_slots()
    if new_ids and slots.acquire(blocking=False):
        response.call_on_close(lambda: _answer_now(events_in, new_ids, slots))
    return response


def _answer_now(events_in: EventIntake, event_ids: list[int], slots: threading.BoundedSemaphore) -> None:
    try:
        events_in.answer_now(event_ids)
    finally:
        slots.release()
