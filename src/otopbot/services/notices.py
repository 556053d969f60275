"""Messages the bot sends on its own (promotion, reminders, erasure), in each recipient's language.

Services run outside a conversation (worker, staff console), so they build the recipient's
translator here instead of receiving a `Turn`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from otopbot.i18n import Translator
from otopbot.models import LineUser
from otopbot.replies import Reply
from otopbot.services import outbox
from otopbot.settings import PROJECT_ROOT

DEFAULT_LOCALES_DIR = PROJECT_ROOT / "locales"


def translator_for(user: LineUser, locales_dir: Path | None = None) -> Translator:
    """The user's own language, from the given catalogs (or the checkout's locales/)."""
    return Translator(locales_dir or DEFAULT_LOCALES_DIR, user.language)


def push(db: Session, user: LineUser, replies: Sequence[Reply]) -> bool:
    """Queue replies for one user in the caller's transaction; False if they no longer follow us."""
    return outbox.push(db, user, replies) is not None
