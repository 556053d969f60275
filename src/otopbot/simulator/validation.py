"""LINE's request-body limits, so the bot meets the same 400s here as in production.

The SDK checks some limits client-side (message count, quick-reply count, recipients); LINE checks
the rest (text length, labels, carousel sizes) server-side. Errors use LINE's shape:
`{"message": "The request body has N error(s)", "details": [{"message", "property"}]}`.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

Errors = list[dict[str, str]]

MESSAGE_TYPES = {
    "text",
    "textV2",
    "image",
    "video",
    "audio",
    "location",
    "sticker",
    "imagemap",
    "template",
    "flex",
}
ACTION_TYPES = {
    "postback",
    "message",
    "uri",
    "datetimepicker",
    "camera",
    "cameraRoll",
    "location",
    "richmenuswitch",
    "clipboard",
}
URI_SCHEMES = ("http://", "https://", "line://", "tel:")


def graphemes(text: str) -> int:
    """Approximate grapheme-cluster count: Thai vowels/tone marks above or below are free."""
    return sum(1 for ch in text if unicodedata.category(ch) not in ("Mn", "Me", "Mc") and ch not in "\u0e33\u0eb3")


def error_body(errors: Errors) -> dict[str, Any]:
    return {"message": f"The request body has {len(errors)} error(s)", "details": errors}


def _err(errors: Errors, prop: str, message: str) -> None:
    errors.append({"message": message, "property": prop})


def _check_len(
    errors: Errors,
    obj: dict[str, Any],
    key: str,
    prop: str,
    limit: int,
    required: bool = False,
    count: Any = len,
) -> None:
    value = obj.get(key)
    if value is None:
        if required:
            _err(errors, f"{prop}.{key}" if prop else key, "must be specified")
        return
    if not isinstance(value, str):
        _err(errors, f"{prop}.{key}" if prop else key, "must be a string")
    elif count(value) > limit:
        _err(errors, f"{prop}.{key}" if prop else key, f"Length must be between 0 and {limit}")


def validate_messages(messages: Any, prop: str = "messages") -> Errors:
    errors: Errors = []
    if not isinstance(messages, list) or not 1 <= len(messages) <= 5:
        _err(errors, prop, "Size must be between 1 and 5")
        return errors
    for i, message in enumerate(messages):
        _validate_message(errors, message, f"{prop}[{i}]")
    return errors


def validate_recipients(to: Any, limit: int = 500) -> Errors:
    errors: Errors = []
    if not isinstance(to, list) or not 1 <= len(to) <= limit:
        _err(errors, "to", f"Size must be between 1 and {limit}")
    elif not all(isinstance(u, str) and u for u in to):
        _err(errors, "to", "must be a list of user IDs")
    return errors


def _validate_message(errors: Errors, message: Any, prop: str) -> None:
    if not isinstance(message, dict):
        _err(errors, prop, "must be an object")
        return
    kind = message.get("type")
    if kind not in MESSAGE_TYPES:
        _err(errors, f"{prop}.type", "invalid message type")
        return
    if kind == "text":
        _check_len(errors, message, "text", prop, 5000, required=True)
        if message.get("text") == "":
            _err(errors, f"{prop}.text", "must not be empty")
    elif kind == "image":
        _check_len(errors, message, "originalContentUrl", prop, 2000, required=True)
        _check_len(errors, message, "previewImageUrl", prop, 2000, required=True)
        for key in ("originalContentUrl", "previewImageUrl"):
            if isinstance(message.get(key), str) and not message[key].startswith("https://"):
                _err(errors, f"{prop}.{key}", "must be an HTTPS URL")
    elif kind == "sticker":
        for key in ("packageId", "stickerId"):
            if not message.get(key):
                _err(errors, f"{prop}.{key}", "must be specified")
    elif kind == "template":
        _check_len(errors, message, "altText", prop, 1500, required=True)
        _validate_template(errors, message.get("template"), f"{prop}.template")
    elif kind == "flex":
        _check_len(errors, message, "altText", prop, 1500, required=True)
        _validate_flex(errors, message.get("contents"), f"{prop}.contents")
    quick = message.get("quickReply")
    if quick is not None:
        _validate_quick_reply(errors, quick, f"{prop}.quickReply")
    sender = message.get("sender")
    if isinstance(sender, dict):
        _check_len(errors, sender, "name", f"{prop}.sender", 20)


def _validate_quick_reply(errors: Errors, quick: Any, prop: str) -> None:
    items = quick.get("items") if isinstance(quick, dict) else None
    if not isinstance(items, list) or not 1 <= len(items) <= 13:
        _err(errors, f"{prop}.items", "Size must be between 1 and 13")
        return
    for i, item in enumerate(items):
        action = item.get("action") if isinstance(item, dict) else None
        _validate_action(errors, action, f"{prop}.items[{i}].action", label_limit=20, label_required=True)


def validate_action(action: Any, prop: str, label_limit: int | None = 20, label_required: bool = False) -> Errors:
    errors: Errors = []
    _validate_action(errors, action, prop, label_limit, label_required)
    return errors


def _validate_action(
    errors: Errors,
    action: Any,
    prop: str,
    label_limit: int | None = 20,
    label_required: bool = False,
) -> None:
    if not isinstance(action, dict) or action.get("type") not in ACTION_TYPES:
        _err(errors, f"{prop}.type", "invalid action type")
        return
    if label_limit is not None:
        _check_len(errors, action, "label", prop, label_limit, required=label_required, count=graphemes)
    kind = action["type"]
    if kind == "postback":
        _check_len(errors, action, "data", prop, 300, required=True)
        _check_len(errors, action, "displayText", prop, 300)
    elif kind == "message":
        _check_len(errors, action, "text", prop, 300, required=True)
    elif kind == "uri":
        _check_len(errors, action, "uri", prop, 1000, required=True)
        uri = action.get("uri")
        if isinstance(uri, str) and not uri.startswith(URI_SCHEMES):
            _err(errors, f"{prop}.uri", "invalid uri scheme")
    elif kind == "datetimepicker":
        _check_len(errors, action, "data", prop, 300, required=True)
        if action.get("mode") not in ("date", "time", "datetime"):
            _err(errors, f"{prop}.mode", "must be one of date, time, datetime")


def _validate_template(errors: Errors, template: Any, prop: str) -> None:
    if not isinstance(template, dict):
        _err(errors, prop, "must be specified")
        return
    kind = template.get("type")
    actions = template.get("actions", [])
    if kind == "buttons":
        has_extra = bool(template.get("title") or template.get("thumbnailImageUrl"))
        _check_len(errors, template, "title", prop, 40)
        _check_len(errors, template, "text", prop, 60 if has_extra else 160, required=True)
        _check_actions(errors, actions, f"{prop}.actions", 1, 4, 20)
    elif kind == "confirm":
        _check_len(errors, template, "text", prop, 240, required=True)
        _check_actions(errors, actions, f"{prop}.actions", 2, 2, 20)
    elif kind == "carousel":
        columns = template.get("columns")
        if not isinstance(columns, list) or not 1 <= len(columns) <= 10:
            _err(errors, f"{prop}.columns", "Size must be between 1 and 10")
            return
        for i, column in enumerate(columns):
            has_extra = bool(column.get("title") or column.get("thumbnailImageUrl"))
            _check_len(errors, column, "title", f"{prop}.columns[{i}]", 40)
            _check_len(
                errors,
                column,
                "text",
                f"{prop}.columns[{i}]",
                60 if has_extra else 120,
                required=True,
            )
            _check_actions(errors, column.get("actions"), f"{prop}.columns[{i}].actions", 1, 3, 20)
    elif kind == "image_carousel":
        columns = template.get("columns")
        if not isinstance(columns, list) or not 1 <= len(columns) <= 10:
            _err(errors, f"{prop}.columns", "Size must be between 1 and 10")
            return
        for i, column in enumerate(columns):
            _validate_action(errors, column.get("action"), f"{prop}.columns[{i}].action", label_limit=12)
    else:
        _err(errors, f"{prop}.type", "invalid template type")


def _check_actions(errors: Errors, actions: Any, prop: str, low: int, high: int, label: int) -> None:
    if not isinstance(actions, list) or not low <= len(actions) <= high:
        _err(errors, prop, f"Size must be between {low} and {high}")
        return
    for i, action in enumerate(actions):
        _validate_action(errors, action, f"{prop}[{i}]", label_limit=label, label_required=True)


def _validate_flex(errors: Errors, contents: Any, prop: str) -> None:
    if not isinstance(contents, dict) or contents.get("type") not in ("bubble", "carousel"):
        _err(errors, f"{prop}.type", "must be bubble or carousel")
        return
    size = len(json.dumps(contents, ensure_ascii=False).encode())
    if contents["type"] == "carousel":
        bubbles = contents.get("contents")
        if not isinstance(bubbles, list) or not 1 <= len(bubbles) <= 12:
            _err(errors, f"{prop}.contents", "Size must be between 1 and 12")
            return
        if size > 50_000:
            _err(errors, prop, "carousel JSON must be at most 50 KB")
        for i, bubble in enumerate(bubbles):
            _walk_flex(errors, bubble, f"{prop}.contents[{i}]")
    else:
        if size > 30_000:
            _err(errors, prop, "bubble JSON must be at most 30 KB")
        _walk_flex(errors, contents, prop)


def _walk_flex(errors: Errors, node: Any, prop: str) -> None:
    """Check every nested component: buttons need an action (label ≤40), texts need text."""
    if not isinstance(node, dict):
        _err(errors, prop, "must be an object")
        return
    kind = node.get("type")
    if kind == "bubble":
        for block in ("header", "hero", "body", "footer"):
            if block in node:
                _walk_flex(errors, node[block], f"{prop}.{block}")
    elif kind == "box":
        if node.get("layout") not in ("vertical", "horizontal", "baseline"):
            _err(errors, f"{prop}.layout", "must be vertical, horizontal or baseline")
        for i, child in enumerate(node.get("contents", [])):
            _walk_flex(errors, child, f"{prop}.contents[{i}]")
    elif kind == "button":
        _validate_action(errors, node.get("action"), f"{prop}.action", label_limit=40, label_required=True)
    elif kind == "text":
        if "text" not in node and "contents" not in node:
            _err(errors, f"{prop}.text", "must be specified")
    elif kind in ("image", "icon"):
        _check_len(errors, node, "url", prop, 2000, required=True)
    elif kind not in ("separator", "filler", "spacer", "span", "video"):
        _err(errors, f"{prop}.type", "invalid component type")
    if kind not in ("button",) and isinstance(node.get("action"), dict):
        _validate_action(errors, node["action"], f"{prop}.action", label_limit=None)
