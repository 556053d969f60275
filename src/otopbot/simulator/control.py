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


def register_control(bp: Blueprint, state: SimulatorState) -> None:
    """Attach the /_sim/ routes (control API and chat page) to the blueprint."""

    def user_action(rule: str) -> Callable[[Callable[[SimUser, dict[str, Any]], Any]], None]:
        """Look up the acting user, build the event(s) with `build`, send and report."""

        def decorator(build: Callable[[SimUser, dict[str, Any]], Any]) -> None:
            def view() -> Any:
                args = _args()
                user = state.user(str(args.get("userId", "")))
                if user is None:
                    return _error(404, "unknown userId; create it with POST /_sim/users")
                event = build(user, args)
                if event is None:
                    return jsonify({"status": None, "event": None, "body": None})
                return _send(state, [event])

            bp.add_url_rule(
                rule, endpoint="sim_" + build.__name__, view_func=view, methods=["POST"]
            )

        return decorator

    @user_action("/_sim/follow")
    def follow(user: SimUser, args: dict[str, Any]) -> Any:
        with state.lock:
            if user.following:
                return None
            unblocked = user.ever_followed
            user.following, user.blocked, user.ever_followed = True, False, True
        return wh.follow_event(state, user.user_id, unblocked)

    @user_action("/_sim/unfollow")
    def unfollow(user: SimUser, args: dict[str, Any]) -> Any:
        with state.lock:
            user.following, user.blocked = False, True
        return wh.unfollow_event(state, user.user_id)

    @user_action("/_sim/say")
    def say(user: SimUser, args: dict[str, Any]) -> Any:
        text = str(args.get("text", ""))
        state.record_user_message(user.user_id, {"type": "text", "text": text})
        return wh.text_event(state, user.user_id, text)

    @user_action("/_sim/postback")
    def postback(user: SimUser, args: dict[str, Any]) -> Any:
        if args.get("displayText"):
            state.record_user_message(
                user.user_id, {"type": "text", "text": str(args["displayText"])}
            )
        return wh.postback_event(state, user.user_id, str(args.get("data", "")), args.get("params"))

    @user_action("/_sim/sticker")
    def sticker(user: SimUser, args: dict[str, Any]) -> Any:
        event = wh.sticker_event(state, user.user_id)
        state.record_user_message(
            user.user_id,
            {
                "type": "sticker",
                "packageId": event["message"]["packageId"],
                "stickerId": event["message"]["stickerId"],
            },
        )
        return event

    @user_action("/_sim/image")
    def image(user: SimUser, args: dict[str, Any]) -> Any:
        state.record_user_message(user.user_id, {"type": "image"})
        return wh.image_event(state, user.user_id)

    @user_action("/_sim/location")
    def location(user: SimUser, args: dict[str, Any]) -> Any:
        overrides: dict[str, Any] = {
            k: args[k] for k in ("title", "address", "latitude", "longitude") if k in args
        }
        event = wh.location_event(state, user.user_id, overrides)
        state.record_user_message(
            user.user_id, {k: v for k, v in event["message"].items() if k != "id"}
        )
        return event

    @bp.post("/_sim/redeliver")
    def redeliver() -> Any:
        event = wh.redelivery_of(state, str(_args().get("webhookEventId", "")))
        if event is None:
            return _error(404, "unknown webhookEventId")
        return _send(state, [event])

    @bp.post("/_sim/raw")
    def raw() -> Any:
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

    @bp.route("/_sim/users", methods=["GET", "POST"])
    def users() -> Any:
        if request.method == "GET":
            with state.lock:
                return jsonify([u.to_dict() for u in state.users.values()])
        args = _args()
        name = str(args.get("displayName") or "").strip()
        if not name:
            return _error(400, "displayName is required")
        user = state.add_user(
            name,
            args.get("userId") or None,
            args.get("language") or None,
            args.get("pictureUrl") or None,
        )
        return jsonify(user.to_dict()), 201

    @bp.get("/_sim/messages")
    def messages() -> Any:
        after = request.args.get("after", "0")
        include_user = request.args.get("include_user", "") in ("1", "true", "yes")
        return jsonify(
            state.messages_for(
                request.args.get("userId", ""), int(after) if after.isdigit() else 0, include_user
            )
        )

    @bp.get("/_sim/requests")
    def requests_log() -> Any:
        with state.lock:
            return jsonify(list(state.requests))

    @bp.get("/_sim/webhooks")
    def webhooks_log() -> Any:
        with state.lock:
            return jsonify(list(state.webhooks))

    @bp.route("/_sim/faults", methods=["GET", "POST", "DELETE"])
    def faults() -> Any:
        if request.method == "POST":
            args = _args()
            if not isinstance(args.get("path"), str):
                return _error(400, "path is required (e.g. /v2/bot/message/push)")
            fault = Fault(
                path=args["path"],
                status=args.get("status"),
                body=args.get("body"),
                count=int(args.get("count", 1)),
                delay=float(args.get("delay", 0)),
                method=str(args["method"]).upper() if args.get("method") else None,
            )
            state.add_fault(fault)
        elif request.method == "DELETE":
            with state.lock:
                state.faults.clear()
        with state.lock:
            return jsonify([f.to_dict() for f in state.faults])

    @bp.post("/_sim/reset")
    def reset() -> Any:
        state.reset()
        return jsonify(state.config())

    @bp.route("/_sim/config", methods=["GET", "POST"])
    def config() -> Any:
        if request.method == "POST":
            _apply_config(state, _args())
        _configure_webhook(state)
        return jsonify(state.config())

    @bp.get("/_sim/richmenu")
    def rich_menu() -> Any:
        """The menu a user sees (per-user link first, then the default), for the chat page."""
        with state.lock:
            menu_id = state.user_rich_menus.get(
                request.args.get("userId", ""), state.default_rich_menu
            )
            menu = state.rich_menus.get(menu_id or "")
            if menu is None or menu.image is None:
                return jsonify(None)
            return jsonify(
                {
                    "richMenuId": menu.rich_menu_id,
                    **menu.request,
                    "image": f"richmenu/{menu.rich_menu_id}.img",
                }
            )

    @bp.get("/_sim/richmenu/<menu_id>.img")
    def rich_menu_image(menu_id: str) -> Any:
        with state.lock:
            menu = state.rich_menus.get(menu_id)
        if menu is None or menu.image is None:
            return _error(404, "no such rich menu image")
        return Response(menu.image, mimetype=menu.content_type or "image/png")

    @bp.get("/_sim/")
    @bp.get("/_sim/chat")
    def chat_page() -> Any:
        with state.lock:
            users = [u.to_dict() for u in state.users.values()]
        return render_template_string(TEMPLATE.read_text(encoding="utf-8"), users=users)

    @bp.get("/_sim/static/<path:name>")
    def static_file(name: str) -> Any:
        return send_from_directory(STATIC_DIR, name, max_age=0)


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
