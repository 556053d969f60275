"""Shared pieces of the simulator tests (constants and small helpers), imported as `sim_harness`."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from otopbot.simulator import SimulatorState
from otopbot.simulator.client import SimulatorClient
from otopbot.simulator.serving import ServedApp

SECRET = "0123456789abcdef0123456789abcdef"
TOKEN = "simulator-test-token"


@dataclass
class WebhookTarget:
    """Stands in for the bot: accepts only correctly signed webhooks, keeps what it parsed."""

    url: str
    payloads: list[Any] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)

    @property
    def events(self) -> list[Any]:
        return [event for payload in self.payloads for event in payload.events]

    def wait_for(self, predicate: Callable[[Any], bool], timeout: float = 5.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.events:
                if predicate(event):
                    return event
            time.sleep(0.05)
        raise AssertionError(f"no matching webhook event arrived; got {self.events!r}")


@dataclass
class Sim:
    url: str
    client: SimulatorClient
    state: SimulatorState
    served: ServedApp
