"""Turn neutral replies into LINE message JSON, enforcing LINE's limits in this one place."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from otopbot.replies import Card, Carousel, Choice, Confirm, Image, Reply, Text

MAX_TEXT = 5000
MAX_QUICK_REPLIES = 13
MAX_QUICK_LABEL = 20
MAX_TEMPLATE_LABEL = 20
MAX_FLEX_LABEL = 40
MAX_DATA = 300
MAX_BUBBLES = 12
MAX_ALT_TEXT = 1500
MAX_CONFIRM_TEXT = 240
BRAND_GREEN = "#06C755"
DESTRUCTIVE_RED = "#D93025"  # with style "link", a Flex button's colour is its label's colour

log = logging.getLogger(__name__)


def clip(text: str, limit: int) -> str:
    """Shorten to `limit` characters with an ellipsis; len() over-counts Thai, which is safe."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def short_label(label: str, limit: int) -> str:
    """A safety net only: labels are written to fit (a test walks them all). Should one not fit, cut it
    between words rather than mid-word with "…", which reads as a broken button."""
    if len(label) <= limit:
        return label
    cut = label[: limit + 1].rsplit(" ", 1)[0].rstrip()
    return cut if 0 < len(cut) <= limit else label[:limit]


def action(choice: Choice, label_limit: int) -> dict[str, Any]:
    label = short_label(choice.label, label_limit)
    if choice.uri:
        return {"type": "uri", "label": label, "uri": choice.uri}
    if choice.postback is not None:
        if len(choice.postback) > MAX_DATA:
            raise ValueError(f"postback data over {MAX_DATA} characters: {choice.postback[:40]!r}…")
        result: dict[str, Any] = {"type": "postback", "label": label, "data": choice.postback}
        result["displayText"] = clip(choice.display_text or choice.label, MAX_DATA)
        return result
    return {"type": "message", "label": label, "text": clip(choice.text or choice.label, MAX_DATA)}


def quick_reply(choices: Sequence[Choice]) -> dict[str, Any] | None:
    if not choices:
        return None
    items = [{"type": "action", "action": action(c, MAX_QUICK_LABEL)} for c in choices[:MAX_QUICK_REPLIES]]
    return {"items": items}


def _button(choice: Choice, *, first: bool) -> dict[str, Any]:
    """The first button is the green main action; a destructive one is never filled: red text only."""
    style = "primary" if first else "secondary"
    color: str | None = BRAND_GREEN if first else None
    if choice.destructive:
        style, color = "link", DESTRUCTIVE_RED
    return {"type": "button", "style": style, "color": color, "height": "sm", "action": action(choice, MAX_FLEX_LABEL)}


def _bubble(card: Card) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        {"type": "text", "text": clip(card.title, 200), "weight": "bold", "size": "md", "wrap": True}
    ]
    body += [
        {"type": "text", "text": clip(line, 500), "size": "sm", "color": "#555555", "wrap": True} for line in card.lines
    ]
    bubble: dict[str, Any] = {
        "type": "bubble",
        "size": "kilo",
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body},
    }
    if card.image_url:
        bubble["hero"] = {"type": "image", "url": card.image_url, "size": "full", "aspectMode": "cover"}
    if card.actions:
        buttons = [_button(c, first=i == 0) for i, c in enumerate(card.actions[:4])]
        bubble["footer"] = {
            "type": "box",
            "layout": "vertical",
            "spacing": "sm",
            "contents": [{k: v for k, v in b.items() if v is not None} for b in buttons],
        }
    return bubble


def render_one(reply: Reply) -> dict[str, Any]:
    message: dict[str, Any]
    if isinstance(reply, Text):
        message = {"type": "text", "text": clip(reply.text, MAX_TEXT)}
    elif isinstance(reply, Card):
        message = {
            "type": "flex",
            "altText": clip(reply.alt_text or reply.title, MAX_ALT_TEXT),
            "contents": _bubble(reply),
        }
    elif isinstance(reply, Carousel):
        bubbles = [_bubble(card) for card in reply.cards[:MAX_BUBBLES]]
        message = {
            "type": "flex",
            "altText": clip(reply.alt_text, MAX_ALT_TEXT),
            "contents": {"type": "carousel", "contents": bubbles},
        }
    elif isinstance(reply, Confirm):
        message = {
            "type": "template",
            "altText": clip(reply.text, MAX_ALT_TEXT),
            "template": {
                "type": "confirm",
                "text": clip(reply.text, MAX_CONFIRM_TEXT),
                "actions": [action(reply.yes, MAX_TEMPLATE_LABEL), action(reply.no, MAX_TEMPLATE_LABEL)],
            },
        }
    elif isinstance(reply, Image):
        message = {"type": "image", "originalContentUrl": reply.url, "previewImageUrl": reply.preview_url}
    else:  # pragma: no cover - the Reply union is closed
        raise TypeError(f"cannot render {type(reply).__name__}")
    quick = quick_reply(reply.quick_replies)
    if quick:
        message["quickReply"] = quick
    return message


def render(replies: Sequence[Reply]) -> list[dict[str, Any]]:
    """Render up to five replies; only the last one's quick replies are shown by LINE, so keep those.

    LINE refuses a whole request when one image address is not HTTPS, so such an image is left out
    rather than taking the texts beside it down with it.
    """
    sendable = [r for r in replies if not (isinstance(r, Image) and not _https(r.url, r.preview_url))]
    if len(sendable) < len(replies):
        log.warning("left out %s image(s) without an https address", len(replies) - len(sendable))
    messages = [render_one(r) for r in sendable[:5]]
    for message in messages[:-1]:
        message.pop("quickReply", None)
    return messages


def _https(*urls: str) -> bool:
    return all(url.startswith("https://") for url in urls)
