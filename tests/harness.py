"""End-to-end harness: the bot served over real HTTP, wired to the LINE simulator, plus a chat driver.

`Chat.follow()` adds a simulated LINE user; `ChatUser.say()` / `.tap()` send a signed webhook through
the simulator and return the LINE messages the user received in answer, once the bot has finished.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from otopbot.line.client import LineClient
from otopbot.runtime import Runtime
from otopbot.simulator.client import SimulatorClient
from otopbot.worker.loop import Progress, run_once, work_left

SETTLE_TIMEOUT = 15.0


def visible_text(messages: Iterable[dict[str, Any]]) -> str:
    """Everything a person would read in these LINE messages, joined by newlines."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("text", "label", "altText", "title"):
                value = node.get(key)
                if isinstance(value, str) and key != "altText":
                    parts.append(value)
            for value in node.values():
                if isinstance(value, (dict, list)):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for message in messages:
        walk(message)
    return "\n".join(parts)


def postbacks(messages: Iterable[dict[str, Any]]) -> list[str]:
    """Every postback data string offered in these messages (buttons and quick replies)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("postback", "datetimepicker") and isinstance(node.get("data"), str):
                found.append(node["data"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(list(messages))
    return found


@dataclass
class ChatUser:
    chat: Chat
    user_id: str
    seen: int = 0

    def say(self, text: str) -> list[dict[str, Any]]:
        self.chat.sim.say(self.user_id, text)
        return self._answer()

    def tap(self, data: str, params: dict[str, str] | None = None) -> list[dict[str, Any]]:
        self.chat.sim.postback(self.user_id, data, params)
        return self._answer()

    def inbox(self) -> list[dict[str, Any]]:
        return [m["message"] for m in self.chat.sim.messages(self.user_id)]

    def new_messages(self) -> list[dict[str, Any]]:
        """Messages delivered since the last call (pushes from the worker, for instance)."""
        return self._answer(settle=False)

    def _answer(self, settle: bool = True) -> list[dict[str, Any]]:
        if settle:
            self.chat.settle()
        entries = self.chat.sim.messages(self.user_id, after=self.seen)
        if settle and not entries:  # on a loaded machine the simulator may record a reply a moment late
            entries = self.chat.sim.wait_for_messages(self.user_id, count=1, after=self.seen, timeout=3.0)
        if entries:
            self.seen = max(int(e["seq"]) for e in entries)
        return [e["message"] for e in entries]


@dataclass
class Chat:
    sim: SimulatorClient
    runtime: Runtime
    line: LineClient
    bot_app: Any = None
    users: list[ChatUser] = field(default_factory=list)

    def follow(self, display_name: str = "สมศรี ใจดี", language: str = "th") -> ChatUser:
        user = self.sim.create_user(display_name=display_name, language=language)
        user_id = user["userId"]
        chat_user = ChatUser(self, user_id)
        self.sim.follow(user_id)
        chat_user._answer()
        self.users.append(chat_user)
        return chat_user

    def run_worker(self, now: datetime | None = None) -> Progress:
        return run_once(self.runtime, self.line, now=now, grace=timedelta(0))

    def settle(self) -> None:
        """Wait until every stored event is processed and every due outbox row has been tried."""
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while time.monotonic() < deadline:
            self.run_worker()
            if not self._busy():
                return
            time.sleep(0.02)
        raise AssertionError("the bot did not finish answering in time")

    def _busy(self) -> int:
        return work_left(self.runtime)

    visible_text = staticmethod(visible_text)
    postbacks = staticmethod(postbacks)
