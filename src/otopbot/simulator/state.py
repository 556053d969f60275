"""All the simulator's memory, behind one lock.

The simulator is a test double, so everything lives in process memory. Flask serves requests on
several threads (the bot's webhook calls back into the reply API while `/_sim/say` is still
waiting for it), so every read and write goes through `SimulatorState`'s re-entrant lock and the
lock is never held while a webhook is being posted.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

DEFAULT_QUOTA = 100_000
DEFAULT_REPLY_TOKEN_TTL = 60.0
DEFAULT_RETRY_KEY_TTL = 24 * 3600.0
DEFAULT_WEBHOOK_TIMEOUT = 10.0
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

WebhookPoster = Callable[[str, bytes, dict[str, str]], int]
"""(url, body, headers) -> HTTP status; replaces `requests.post` (e.g. for in-process delivery)."""


def new_ulid(now_ms: int | None = None) -> str:
    """A 26-character ULID (48-bit ms time + 80 random bits), like LINE's webhookEventId."""
    value = ((now_ms if now_ms is not None else int(time.time() * 1000)) << 80) | int.from_bytes(os.urandom(10), "big")
    return "".join(_CROCKFORD[(value >> (5 * i)) & 31] for i in reversed(range(26)))


def new_user_id() -> str:
    return "U" + secrets.token_hex(16)


def new_quote_token() -> str:
    return base64.urlsafe_b64encode(os.urandom(48)).decode().rstrip("=")


@dataclass
class SimUser:
    user_id: str
    display_name: str
    language: str | None = None
    picture_url: str | None = None
    following: bool = False
    blocked: bool = False
    ever_followed: bool = False

    def profile(self) -> dict[str, Any]:
        body: dict[str, Any] = {"displayName": self.display_name, "userId": self.user_id}
        if self.language:
            body["language"] = self.language
        if self.picture_url:
            body["pictureUrl"] = self.picture_url
        return body

    def to_dict(self) -> dict[str, Any]:
        return {**self.profile(), "following": self.following, "blocked": self.blocked}


@dataclass
class Fault:
    """A canned failure (or delay) for the next `count` requests whose path matches `path`."""

    path: str
    status: int | None = None
    body: Any = None
    count: int = 1
    delay: float = 0.0
    method: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "status": self.status,
            "body": self.body,
            "count": self.count,
            "delay": self.delay,
            "method": self.method,
        }


@dataclass
class RichMenu:
    rich_menu_id: str
    request: dict[str, Any]
    image: bytes | None = None
    content_type: str | None = None


@dataclass
class SimulatorState:
    """Thread-safe in-memory platform state; one per simulator (app or mounted blueprint)."""

    channel_secret: str
    access_token: str
    webhook_url: str | None = None
    reply_token_ttl: float = DEFAULT_REPLY_TOKEN_TTL
    retry_key_ttl: float = DEFAULT_RETRY_KEY_TTL
    quota: int | None = DEFAULT_QUOTA
    webhook_timeout: float = DEFAULT_WEBHOOK_TIMEOUT
    webhook_poster: WebhookPoster | None = None
    destination: str = ""
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    users: dict[str, SimUser] = field(default_factory=dict)
    reply_tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    retry_keys: dict[str, dict[str, Any]] = field(default_factory=dict)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    webhooks: list[dict[str, Any]] = field(default_factory=list)
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    rich_menus: dict[str, RichMenu] = field(default_factory=dict)
    default_rich_menu: str | None = None
    user_rich_menus: dict[str, str] = field(default_factory=dict)
    total_usage: int = 0
    _seq: int = 0
    _message_id: int = 0

    def __post_init__(self) -> None:
        if not self.destination:
            digest = hashlib.sha256(self.channel_secret.encode()).hexdigest()
            self.destination = "U" + digest[:32]
        self._message_id = int(time.time() * 1000) * 1000

    # ---- ids -------------------------------------------------------------------------------
    def next_seq(self) -> int:
        with self.lock:
            self._seq += 1
            return self._seq

    def next_message_id(self) -> str:
        with self.lock:
            self._message_id += 1
            return str(self._message_id)

    # ---- users -----------------------------------------------------------------------------
    def add_user(
        self,
        display_name: str,
        user_id: str | None = None,
        language: str | None = None,
        picture_url: str | None = None,
    ) -> SimUser:
        with self.lock:
            uid = user_id or new_user_id()
            user = self.users.get(uid)
            if user is None:
                user = SimUser(uid, display_name, language, picture_url)
                self.users[uid] = user
            else:
                user.display_name, user.language = display_name, language
                user.picture_url = picture_url or user.picture_url
            return user

    def user(self, user_id: str) -> SimUser | None:
        with self.lock:
            return self.users.get(user_id)

    def followers(self) -> list[str]:
        with self.lock:
            return [u.user_id for u in self.users.values() if u.following]

    # ---- reply tokens ----------------------------------------------------------------------
    def issue_reply_token(self, user_id: str) -> str:
        token = secrets.token_hex(16)
        with self.lock:
            self.reply_tokens[token] = {
                "userId": user_id,
                "issued": time.monotonic(),
                "used": False,
            }
        return token

    def use_reply_token(self, token: str) -> str | None:
        """Mark a token used and return its user, or None if unknown, used or expired."""
        with self.lock:
            entry = self.reply_tokens.get(token)
            if entry is None or entry["used"]:
                return None
            if time.monotonic() - entry["issued"] > self.reply_token_ttl:
                return None
            entry["used"] = True
            return str(entry["userId"])

    # ---- retry keys ------------------------------------------------------------------------
    def accepted_retry(self, key: str) -> dict[str, Any] | None:
        with self.lock:
            entry = self.retry_keys.get(key)
            if entry and time.monotonic() - entry["at"] <= self.retry_key_ttl:
                return entry
            return None

    def accept_retry(self, key: str, request_id: str, sent: list[dict[str, Any]] | None) -> None:
        with self.lock:
            self.retry_keys[key] = {
                "requestId": request_id,
                "sentMessages": sent,
                "at": time.monotonic(),
            }

    # ---- deliveries --------------------------------------------------------------------------
    def deliver(self, user_id: str, via: str, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Append bot messages to a user's chat; returns LINE's sentMessages entries."""
        sent = []
        with self.lock:
            for message in messages:
                entry = {
                    "seq": self.next_seq(),
                    "userId": user_id,
                    "via": via,
                    "message": message,
                    "at": time.time(),
                    "id": self.next_message_id(),
                    "quoteToken": new_quote_token(),
                }
                self.timeline.append(entry)
                sent.append({"id": entry["id"], "quoteToken": entry["quoteToken"]})
        return sent

    def record_refusal(self, user_id: str, via: str, errors: list[dict[str, str]]) -> None:
        """A request LINE refused (400): the chat page shows it, so a lost answer is never silent."""
        with self.lock:
            self.timeline.append(
                {
                    "seq": self.next_seq(),
                    "userId": user_id,
                    "via": "refused",
                    "at": time.time(),
                    "message": {"type": "refused", "request": via, "details": errors},
                }
            )

    def user_of_reply_token(self, token: Any) -> str | None:
        with self.lock:
            entry = self.reply_tokens.get(token) if isinstance(token, str) else None
            return str(entry["userId"]) if entry else None

    def record_user_message(self, user_id: str, message: dict[str, Any]) -> None:
        """What the user 'typed', so the chat page can show both sides after a reload."""
        with self.lock:
            self.timeline.append(
                {
                    "seq": self.next_seq(),
                    "userId": user_id,
                    "via": "user",
                    "message": message,
                    "at": time.time(),
                }
            )

    def messages_for(self, user_id: str, after: int = 0, include_user: bool = False) -> list[dict[str, Any]]:
        with self.lock:
            return [
                {k: v for k, v in e.items() if k not in ("userId", "id", "quoteToken")}
                for e in self.timeline
                if e["userId"] == user_id and e["seq"] > after and (include_user or e["via"] not in ("user", "refused"))
            ]

    def log_request(self, entry: dict[str, Any]) -> None:
        with self.lock:
            self.requests.append({"seq": self.next_seq(), "at": time.time(), **entry})

    # ---- faults ------------------------------------------------------------------------------
    def add_fault(self, fault: Fault) -> None:
        with self.lock:
            self.faults.append(fault)

    def take_fault(self, method: str, *paths: str) -> Fault | None:
        """Consume one use of the first queued fault matching this request, if any.

        `paths` are the API path ('/v2/bot/message/push') and the full path with any mount prefix.
        """
        with self.lock:
            for fault in self.faults:
                matched = any(_path_matches(fault.path, path) for path in paths)
                if matched and fault.method in (None, method.upper()):
                    fault.count -= 1
                    if fault.count <= 0:
                        self.faults.remove(fault)
                    return fault
            return None

    # ---- rich menus ----------------------------------------------------------------------------
    def install_rich_menu(self, request: dict[str, Any], image: bytes, content_type: str = "image/png") -> str:
        """Create a menu with its image and make it the default without HTTP (local mode start-up)."""
        with self.lock:
            menu_id = "richmenu-" + secrets.token_hex(16)
            self.rich_menus[menu_id] = RichMenu(menu_id, request, image, content_type)
            self.default_rich_menu = menu_id
            return menu_id

    # ---- config --------------------------------------------------------------------------------
    def config(self) -> dict[str, Any]:
        with self.lock:
            return {
                "quota": self.quota_body(),
                "reply_token_ttl": self.reply_token_ttl,
                "retry_key_ttl": self.retry_key_ttl,
                "webhook_url": self.webhook_url,
                "webhook_timeout": self.webhook_timeout,
                "destination": self.destination,
                "total_usage": self.total_usage,
            }

    def quota_body(self) -> dict[str, Any]:
        return {"type": "none"} if self.quota is None else {"type": "limited", "value": self.quota}


def _path_matches(pattern: str, path: str) -> bool:
    """Exact API path ('/v2/bot/message/push'), a trailing '*' prefix, or '*' for everything."""
    if pattern == "*":
        return True
    if pattern.endswith("*"):
        return path.startswith(pattern[:-1])
    return path == pattern
