"""Play scenarios against the bot in local mode: a temporary SQLite database with the seeded
workshops, the LINE simulator, and the bot served over real HTTP on 127.0.0.1.

`PUBLIC_BASE_URL` is the plain-http local address, as in local mode: LINE refuses non-HTTPS image
addresses, and an answer must never lose its text because of such an image.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server

from otopbot.db import utcnow
from otopbot.line.client import LineClient
from otopbot.runtime import Runtime
from otopbot.scenarios.expect import why_not
from otopbot.scenarios.reading import Button, answer_text, buttons
from otopbot.scenarios.script import Fill, Say, Scenario, Step, Tap
from otopbot.settings import Settings
from otopbot.simulator.client import SimulatorClient
from otopbot.worker.loop import run_once, work_left

ANSWER_TIMEOUT = 12.0  # seconds a step may take to be fully answered
QUIET = 0.3  # after the bot is idle, wait this long for a late delivery
MAX_FILL_ANSWERS = 40


class StepFailed(Exception):
    """The step could not be made or its answer does not hold; the message says why."""


@dataclass
class LocalBot:
    """The bot and its simulator in this process; `answer` waits until the bot is done."""

    sim: SimulatorClient
    runtime: Runtime
    line: LineClient

    def idle(self) -> bool:
        return work_left(self.runtime) == 0

    def settle(self) -> None:
        """Do the worker's part until nothing is left to answer (at most ANSWER_TIMEOUT)."""
        deadline = time.monotonic() + ANSWER_TIMEOUT
        while time.monotonic() < deadline:
            run_once(self.runtime, self.line, grace=timedelta(0))
            if self.idle():
                time.sleep(QUIET)
                if self.idle():
                    return
            time.sleep(0.02)
        raise StepFailed("the bot did not finish answering within 12 s")


@contextmanager
def local_bot(settings: Settings) -> Iterator[LocalBot]:
    """Start a throw-away bot: temporary SQLite, seeded workshops and knowledge, simulator."""
    from otopbot.local import local_app, prepare_database

    with tempfile.TemporaryDirectory(prefix="otopbot-converse-") as folder:
        settings = settings.with_overrides(
            database_url=f"sqlite:///{Path(folder) / 'converse.sqlite3'}",
            public_base_url=None,
            line_channel_secret=None,
            line_channel_access_token=None,
        )
        prepare_database(settings)
        holder: list[Callable[..., Any]] = []
        server = make_server("127.0.0.1", 0, lambda env, start: holder[0](env, start), threaded=True)
        app = local_app(settings, f"http://127.0.0.1:{server.port}")
        holder.append(app)
        thread = threading.Thread(target=server.serve_forever, name="converse-bot", daemon=True)
        thread.start()
        sim = SimulatorClient(f"http://127.0.0.1:{server.port}/simulator")
        try:
            yield LocalBot(sim, app.extensions["otopbot"], app.extensions["otopbot_line"])
        finally:
            _stop(server, sim, app.extensions["otopbot"])


def _stop(server: BaseWSGIServer, sim: SimulatorClient, runtime: Runtime) -> None:
    server.shutdown()
    sim.close()
    runtime.database.dispose()


@dataclass
class Owner:
    """One scenario's LINE user: what the bot last said to them, and how to answer it."""

    bot: LocalBot
    user_id: str
    seen: int = 0
    last: list[dict[str, Any]] = field(default_factory=list)
    show: Callable[[str], None] | None = None

    def answer(self) -> list[dict[str, Any]]:
        self.bot.settle()
        entries = self.bot.sim.messages(self.user_id, after=self.seen)
        if entries:
            self.seen = max(int(entry["seq"]) for entry in entries)
        self.last = [entry["message"] for entry in entries]
        if self.show is not None:
            for message in self.last:
                self.show("  bot> " + answer_text([message]).replace("\n", "\n       "))
        return self.last

    def say(self, text: str) -> list[dict[str, Any]]:
        if self.show is not None:
            self.show(f"owner> {text}")
        result = self.bot.sim.say(self.user_id, text)
        if result.get("status") != 200:
            raise StepFailed(f"the webhook answered {result.get('status')} to {text!r}")
        return self.answer()

    def tap(self, label: str) -> list[dict[str, Any]]:
        button = _find(buttons(self.last), label)
        action = button.action
        if action.get("type") == "message":
            return self.say(str(action.get("text", "")))
        if action.get("type") not in ("postback", "datetimepicker"):
            raise StepFailed(f"“{button.label}” opens a {action.get('type')}, nothing to tap in the chat")
        if self.show is not None:
            self.show(f"owner> [tap {button.label}]")
        params = {"date": utcnow().date().isoformat()} if action["type"] == "datetimepicker" else None
        result = self.bot.sim.postback(self.user_id, str(action.get("data", "")), params, action.get("displayText"))
        if result.get("status") != 200:
            raise StepFailed(f"the webhook answered {result.get('status')} to a tap on “{label}”")
        return self.answer()


def _find(offered: list[Button], label: str) -> Button:
    for button in offered:
        if label in button.label:
            return button
    raise StepFailed(f"no button like “{label}” among {[b.label for b in offered]}")


def play(bot: LocalBot, scenario: Scenario, index: int, show: Callable[[str], None] | None = None) -> str | None:
    """Play one scenario as a new friend of the bot; None when every step holds, else why not.

    `show`, when given, receives the transcript (what the owner sends, what the bot answers), so
    a developer can read the answers as an owner would, not only the checks.
    """
    user = bot.sim.create_user(display_name=f"เจ้าของกิจการ {index}", language="th")
    owner = Owner(bot, user["userId"], show=show)
    try:
        bot.sim.follow(owner.user_id)
        owner.answer()
        for number, step in enumerate(scenario.steps, 1):
            reason = _step(owner, step)
            if reason is not None:
                return f"step {number} ({_describe(step)}): {reason}"
    except StepFailed as failed:
        return str(failed)
    return None


def _step(owner: Owner, step: Step) -> str | None:
    try:
        if isinstance(step, Say):
            messages = owner.say(step.text)
        elif isinstance(step, Tap):
            messages = owner.tap(step.label)
        else:
            messages = _fill(owner, step)
    except StepFailed as failed:
        return str(failed)
    return why_not(step.expect, messages)


def _fill(owner: Owner, step: Fill) -> list[dict[str, Any]]:
    asked: Counter[str] = Counter()
    for _ in range(MAX_FILL_ANSWERS):
        question = answer_text(owner.last[-1:])
        pair = next(((word, answers) for word, answers in step.pairs if word in question), None)
        if pair is None:
            raise StepFailed(f"no answer in the fill for {' '.join(question.split())[:120]!r}")
        asked[pair[0]] += 1
        if asked[pair[0]] > 2:
            raise StepFailed(f"asked about “{pair[0]}” more than twice")
        for answer in pair[1]:
            messages = owner.tap(answer[4:]) if answer.startswith("tap:") else owner.say(answer)
        if any(word in answer_text(messages) for word in step.until):
            return messages
    raise StepFailed(f"the form never reached {list(step.until)}")


def _describe(step: Step) -> str:
    if isinstance(step, Say):
        return f"say {step.text!r}"
    if isinstance(step, Tap):
        return f"tap “{step.label}”"
    return f"fill until {list(step.until)}"
