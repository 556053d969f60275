"""The input of every dialogue handler: who speaks, what they said or tapped, and when."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from otopbot.i18n import Translator
from otopbot.models import LineUser
from otopbot.nlu.types import Understanding
from otopbot.settings import Settings


class Understander(Protocol):
    def understand(self, text: str, today: date | None = None) -> Understanding: ...


class KnowledgeSearch(Protocol):
    """Answers standards questions; implemented in otopbot.knowledge."""

    def ask(
        self,
        db: Session,
        text: str,
        category: str | None = None,
        owner_category: str | None = None,
        owner_products: str | None = None,
    ) -> Any: ...

    def entry(self, db: Session, entry_id: str) -> Any: ...

    def follow_up(self, text: str) -> Any: ...


@dataclass(frozen=True, slots=True)
class BotContext:
    """Long-lived collaborators, built once per process."""

    settings: Settings
    nlu: Understander
    knowledge: KnowledgeSearch | None = None


@dataclass(frozen=True, slots=True)
class Turn:
    user: LineUser
    now: datetime  # aware; convert to Asia/Bangkok for display
    t: Translator
    context: BotContext
    text: str | None = None
    understanding: Understanding | None = None
    postback: str | None = None
    postback_params: dict[str, str] = field(default_factory=dict)
    display_name: str | None = None  # from the LINE profile on follow; not stored before consent
