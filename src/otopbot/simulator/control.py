"""The `/_sim/` control API: make users act (follow, say, tap), inspect what the bot sent.

Tests and the chat page drive the simulator only through these JSON routes. Each user action
builds a real webhook event, signs it and posts it to the bot, and answers with
`{"status": <bot's HTTP status>, "event": <event>, "body": <exact body sent>}`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    render_template_string,
    request,
    send_from_directory,
)

from otopbot.simulator import webhooks as wh
from otopbot.simulator.api import current_state
from otopbot.simulator.state import Fault, SimulatorState, SimUser

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
TEMPLATE = HERE / "templates" / "chat.html"
WEBHOOK_URL_CONFIG = "SIMULATOR_WEBHOOK_URL"


def _error(status: int, message: str) -> tuple[Response, int]:
    return jsonify({"message": message}), status


def _args() -> dict[str, Any]:
    body = request.get_json(silent=True, force=True)
    return body if isinstance(body, dict) else {}


# --- user actions: build the webhook event(s), send them to the bot, report -----------------------

UserAction = Callable[[SimulatorState, SimUser, dict[str, Any]], "dict[str, Any] | None"]


def follow(state: SimulatorState, user: SimUser, args: dict[str, Any]) -> dict[str, Any] | None:
    with state.lock:
        if user.following:
            return None
        unblocked = user.ever_followed
        user.following, user.blocked, user.ever_followed = True, False, True
    return wh.follow_event(state, user.user_id, unblocked)


def unfollow(state: SimulatorState, user: SimUser, args: dict[str, Any]) -> dict[str, Any] | None:
    with state.lock:
        user.following, user.blocked = False, True
    return wh.unfollow_event(state, user.user_id)


def say(state: SimulatorState, user: SimUser, args: dict[str, Any]) -> dict[str, Any] | None:
    text = str(args.get("text", ""))
    state.record_user_message(user.user_id, {"type": "text", "text": text})
    return wh.text_event(state, user.user_id, text)


def postback(state: SimulatorState, user: SimUser, args: dict[str, Any]) -> dict[str, Any] | None:
    if args.get("displayText"):
        state.record_user_message(user.user_id, {"type": "text", "text": str(args["displayText"])})
    return wh.postback_event(state, user.user_id, str(args.get("data", "")), args.get("params"))


def sticker(state: SimulatorState, user: SimUser, args: dict[str, Any]) -> dict[str, Any] | None:
    event = wh.sticker_event(state, user.user_id)
    message = event["message"]
    state.record_user_message(
        user.user_id, {"type": "sticker", "packageId": message["packageId"], "stickerId": message["stickerId"]}
    )
    return event


def image(state: SimulatorState, user: SimUser, args: dict[str, Any]) -> dict[str, Any] | None:
    state.record_user_message(user.user_id, {"type": "image"})
    return wh.image_event(state, user.user_id)


def location(state: SimulatorState, user: SimUser, args: dict[str, Any]) -> dict[str, Any] | None:
    overrides: dict[str, Any] = {k: args[k] for k in ("title", "address", "latitude", "longitude") if k in args}
    event = wh.location_event(state, user.user_id, overrides)
    state.record_user_message(user.user_id, {k: v for k, v in event["message"].items() if k != "id"})
    return event


USER_ACTIONS: dict[str, UserAction] = {
    "follow": follow,
    "unfollow": unfollow,
    "say": say,
    "postback": postback,
    "sticker": sticker,
    "image": image,
    "location": location,
}


def user_action(action: str) -> Any:
    """POST /_sim/<action>: the acting user does it; the event is signed and posted to the bot."""
    state = current_state()
    args = _args()
    user = state.user(str(args.get("userId", "")))
    if user is None:
        return _error(404, "unknown userId; create it with POST /_sim/users")
    event = USER_ACTIONS[action](state, user, args)
    if event is None:
        return jsonify({"status": None, "event": None, "body": None})
    return _send(state, [event])


# --- webhooks beyond user actions ------------------------------------------------------------


def redeliver() -> Any:
    state = current_state()
    event = wh.redelivery_of(state, str(_args().get("webhookEventId", "")))
    if event is None:
        return _error(404, "unknown webhookEventId")
    return _send(state, [event])


def raw() -> Any:
    """Post any body (signed, or with the given signature): how tests send what LINE never would."""
    state = current_state()
    args = _args()
    body = args.get("body")
    if not isinstance(body, str):
        return _error(400, "body must be a string")
    _configure_webhook(state)
    try:
        status, error = wh.post_body(state, body.encode(), args.get("signature"))
    except wh.WebhookNotConfigured as exc:
        return _error(409, str(exc))
    return jsonify({"status": status, "body": body, "error": error})


# --- users, logs, faults, configuration -------------------------------------------------------


def users() -> Any:
    state = current_state()
    if request.method == "GET":
        with state.lock:
            return jsonify([u.to_dict() for u in state.users.values()])
    args = _args()
    name = str(args.get("displayName") or "").strip()
    if not name:
        return _error(400, "displayName is required")
    user = state.add_user(
        name, args.get("userId") or None, args.get("language") or None, args.get("pictureUrl") or None
    )
    return jsonify(user.to_dict()), 201


def messages() -> Any:
    after = request.args.get("after", "0")
    include_user = request.args.get("include_user", "") in ("1", "true", "yes")
    return jsonify(
        current_state().messages_for(request.args.get("userId", ""), int(after) if after.isdigit() else 0, include_user)
    )


def requests_log() -> Any:
    state = current_state()
    with state.lock:
        return jsonify(list(state.requests))


def webhooks_log() -> Any:
    state = current_state()
    with state.lock:
        return jsonify(list(state.webhooks))


def faults() -> Any:
    state = current_state()
    if request.method == "POST":
        args = _args()
        if not isinstance(args.get("path"), str):
            return _error(400, "path is required (e.g. /v2/bot/message/push)")
        state.add_fault(
            Fault(
                path=args["path"],
                status=args.get("status"),
                body=args.get("body"),
                count=int(args.get("count", 1)),
                delay=float(args.get("delay", 0)),
                method=str(args["method"]).upper() if args.get("method") else None,
            )
        )
    elif request.method == "DELETE":
        with state.lock:
            state.faults.clear()
    with state.lock:
        return jsonify([f.to_dict() for f in state.faults])


def config() -> Any:
    state = current_state()
    if request.method == "POST":
        _apply_config(state, _args())
    _configure_webhook(state)
    return jsonify(state.config())


# --- the chat page ----------------------------------------------------------------------------


def rich_menu() -> Any:
    """The menu a user sees (per-user link first, then the default), for the chat page."""
    state = current_state()
    with state.lock:
        menu_id = state.user_rich_menus.get(request.args.get("userId", ""), state.default_rich_menu)
        menu = state.rich_menus.get(menu_id or "")
        if menu is None or menu.image is None:
            return jsonify(None)
        return jsonify({"richMenuId": menu.rich_menu_id, **menu.request, "image": f"richmenu/{menu.rich_menu_id}.img"})


def rich_menu_image(menu_id: str) -> Any:
    state = current_state()
    with state.lock:
        menu = state.rich_menus.get(menu_id)
    if menu is None or menu.image is None:
        return _error(404, "no such rich menu image")
    return Response(menu.image, mimetype=menu.content_type or "image/png")


def chat_page() -> Any:
    state = current_state()
    with state.lock:
        users = [u.to_dict() for u in state.users.values()]
    return render_template_string(TEMPLATE.read_text(encoding="utf-8"), users=users)


def static_file(name: str) -> Any:
    return send_from_directory(STATIC_DIR, name, max_age=0)


# rule, view, methods
CONTROL_ROUTES: tuple[tuple[str, Callable[..., Any], tuple[str, ...]], ...] = (
    ("/_sim/redeliver", redeliver, ("POST",)),
    ("/_sim/raw", raw, ("POST",)),
    ("/_sim/users", users, ("GET", "POST")),
    ("/_sim/messages", messages, ("GET",)),
    ("/_sim/requests", requests_log, ("GET",)),
    ("/_sim/webhooks", webhooks_log, ("GET",)),
    ("/_sim/faults", faults, ("GET", "POST", "DELETE")),
    ("/_sim/config", config, ("GET", "POST")),
    ("/_sim/richmenu", rich_menu, ("GET",)),
    ("/_sim/richmenu/<menu_id>.img", rich_menu_image, ("GET",)),
    ("/_sim/", chat_page, ("GET",)),
    ("/_sim/static/<path:name>", static_file, ("GET",)),
)


def add_control_routes(bp: Blueprint) -> None:
    """Attach the /_sim/ routes (control API and chat page) to the blueprint."""
    for action in USER_ACTIONS:
        bp.add_url_rule(
            f"/_sim/{action}",
            endpoint=f"sim_{action}",
            view_func=user_action,
            methods=["POST"],
            defaults={"action": action},
        )
    for rule, view, methods in CONTROL_ROUTES:
        bp.add_url_rule(rule, view_func=view, methods=list(methods))


def _apply_config(state: SimulatorState, args: dict[str, Any]) -> None:
    with state.lock:
        if "quota" in args:
            quota = args["quota"]
            if isinstance(quota, dict):
                quota = quota.get("value") if quota.get("type") == "limited" else None
            state.quota = None if quota is None else int(quota)
        for key in ("reply_token_ttl", "retry_key_ttl", "webhook_timeout"):
            if key in args:
                setattr(state, key, float(args[key]))
        if "webhook_url" in args:
            state.webhook_url = args["webhook_url"] or None
        if "total_usage" in args:
            state.total_usage = int(args["total_usage"])


def _configure_webhook(state: SimulatorState) -> None:
    """Pick up a webhook URL the host app put in `app.config` after the simulator was built."""
    if state.webhook_url is None and current_app.config.get(WEBHOOK_URL_CONFIG):
        state.webhook_url = current_app.config[WEBHOOK_URL_CONFIG]


def _send(state: SimulatorState, events: list[dict[str, Any]]) -> Any:
    _configure_webhook(state)
    try:
        status, body, error = wh.send_events(state, events)
    except wh.WebhookNotConfigured as exc:
        return _error(409, str(exc))
    result: dict[str, Any] = {"status": status, "event": events[0], "body": body}
    if error:
        result["error"] = error
    return jsonify(result)
