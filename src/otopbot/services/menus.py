"""The rich menu per stage: newcomers see the default menu (it leads with registration); owners
whose registration is on file get the `registered` menu (workshops and bookings first).

Linking is a call to LINE, so it goes through the outbox like a message (kind `richmenu`): queued
in the same transaction as the registration or the erasure that causes it, retried by the worker,
and harmless when repeated (linking or unlinking twice leaves the same menu).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from otopbot.models import LineUser, OutboxKind, OutboxMessage, RichMenuStage

NEWCOMER = "newcomer"  # LINE's default menu: a user with no menu of their own sees it
REGISTERED = "registered"
STAGES = (NEWCOMER, REGISTERED)


def queue(db: Session, user: LineUser, stage: str) -> OutboxMessage | None:
    """Queue the switch of the user's menu to `stage`; nothing for someone who no longer follows."""
    if stage not in STAGES:
        raise ValueError(f"unknown rich-menu stage {stage!r}")
    if not user.following:
        return None
    row = OutboxMessage(
        kind=OutboxKind.RICHMENU,
        recipients=[user.line_user_id],
        payload=[{"stage": stage}],
        language=user.language,
        retry_key=str(uuid.uuid4()),
    )
    db.add(row)
    return row


def menu_id(db: Session, stage: str) -> str | None:
    """The LINE rich-menu id deployed for a stage, if `otopbot richmenu deploy` has run."""
    row = db.get(RichMenuStage, stage)
    return row.menu_id if row else None


def record(db: Session, stage: str, line_menu_id: str, now: datetime) -> None:
    """Remember a freshly deployed menu (replacing the previous one of that stage)."""
    row = db.get(RichMenuStage, stage)
    if row is None:
        db.add(RichMenuStage(stage=stage, menu_id=line_menu_id, deployed_at=now))
    else:
        row.menu_id, row.deployed_at = line_menu_id, now
