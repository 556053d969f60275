"""Staff sign-in for the console: hashed passwords, roles, a database-backed login rate limit, CSRF.

Failed logins are stored (`LoginAttempt`) so the limit holds across web processes: after
`MAX_FAILURES_PER_USER` failures for one username, or `MAX_FAILURES_PER_ADDRESS` from one address,
within `WINDOW`, sign-in is refused politely until the window passes. Every POST carries the
session's CSRF token in a hidden field (or the X-CSRF-Token header), compared in constant time.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort, g, request, session
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from otopbot.db import utcnow
from otopbot.models import AuditEntry, LoginAttempt, StaffAccount, StaffRole

WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_ADDRESS = 20  # an office behind one NAT address has several staff
MIN_PASSWORD_LENGTH = 10
IDLE_LIMIT = timedelta(hours=8)  # a console left open overnight asks for the password again
HASH_METHOD = "scrypt"
CSRF_FIELD = "csrf_token"
P = ParamSpec("P")
R = TypeVar("R")
# A hash to compare against when the username is unknown, so timing does not reveal accounts.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method=HASH_METHOD)


class LoginOutcome:
    OK = "ok"
    BAD_CREDENTIALS = "bad_credentials"
    LOCKED = "locked"


@dataclass(frozen=True, slots=True)
class LoginResult:
    outcome: str
    staff: StaffAccount | None = None


class StaffError(ValueError):
    """A staff account cannot be created as asked."""


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=HASH_METHOD)


def create_staff(db: Session, username: str, password: str, role: str, display_name: str = "") -> StaffAccount:
    """Add a staff account; usernames are stored lower-case."""
    username = username.strip().lower()
    if role not in {r.value for r in StaffRole}:
        raise StaffError(f"unknown role {role!r}; use one of: {', '.join(r.value for r in StaffRole)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StaffError(f"password must be at least {MIN_PASSWORD_LENGTH} characters")
    if not username or db.scalar(select(StaffAccount).where(StaffAccount.username == username)):
        raise StaffError(f"username {username!r} is empty or already taken")
    staff = StaffAccount(
        username=username,
        password_hash=hash_password(password),
        role=role,
        display_name=display_name or username,
        active=True,
    )
    db.add(staff)
    db.flush()
    return staff


def is_locked(db: Session, username: str, remote_addr: str, now: datetime) -> bool:
    since = now - WINDOW
    per_user = (
        db.scalar(
            select(func.count())
            .select_from(LoginAttempt)
            .where(LoginAttempt.username == username, LoginAttempt.at >= since)
        )
        or 0
    )
    per_addr = (
        db.scalar(
            select(func.count())
            .select_from(LoginAttempt)
            .where(LoginAttempt.remote_addr == remote_addr, LoginAttempt.at >= since)
        )
        or 0
    )
    return per_user >= MAX_FAILURES_PER_USER or per_addr >= MAX_FAILURES_PER_ADDRESS


def authenticate(
    db: Session, username: str, password: str, remote_addr: str, now: datetime | None = None
) -> LoginResult:
    """Check a password, counting failures; a locked username or address is refused without checking."""
    now = now or utcnow()
    username = username.strip().lower()[:100]
    remote_addr = (remote_addr or "unknown")[:64]
    if is_locked(db, username, remote_addr, now):
        return LoginResult(LoginOutcome.LOCKED)
    staff = db.scalar(select(StaffAccount).where(StaffAccount.username == username))
    ok = check_password_hash(staff.password_hash if staff else _DUMMY_HASH, password)
    if not (ok and staff is not None and staff.active):
        db.add(LoginAttempt(username=username, remote_addr=remote_addr, at=now))
        return LoginResult(LoginOutcome.BAD_CREDENTIALS)
    db.execute(delete(LoginAttempt).where(LoginAttempt.username == username))
    db.execute(delete(LoginAttempt).where(LoginAttempt.at < now - WINDOW))
    return LoginResult(LoginOutcome.OK, staff)


def audit(db: Session, action: str, target: str, detail: str = "") -> None:
    """Record who changed what; call inside the transaction that makes the change."""
    staff = g.get("staff")
    db.add(AuditEntry(staff_id=staff.id if staff else None, action=action, target=target[:100], detail=detail))


def recent_audit(db: Session, limit: int = 200, search: str | None = None) -> list[tuple[AuditEntry, str | None]]:
    stmt = (
        select(AuditEntry, StaffAccount.username)
        .outerjoin(StaffAccount, StaffAccount.id == AuditEntry.staff_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    if search:
        like = f"%{search}%"
        stmt = stmt.where(
            or_(AuditEntry.action.ilike(like), AuditEntry.target.ilike(like), StaffAccount.username.ilike(like))
        )
    return [(entry, username) for entry, username in db.execute(stmt)]


# --- per-request helpers -------------------------------------------------------------------------


def csrf_token() -> str:
    """The session's CSRF token, created on first use."""
    token = session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return str(token)


def check_csrf() -> None:
    """Refuse (400) a state-changing request whose token is missing or wrong."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    sent = request.form.get(CSRF_FIELD) or request.headers.get("X-CSRF-Token") or ""
    expected = session.get("csrf") or ""
    if not expected or not hmac.compare_digest(str(sent).encode(), str(expected).encode()):
        abort(400, description="csrf")


def start_session(staff: StaffAccount) -> None:
    """Begin a fresh session (no fixation): new CSRF token, keep only the language choice.

    The cookie carries the account's session generation; `session_is_current` refuses it once the
    generation moved on (sign-out, password change, disable) or after `IDLE_LIMIT` without a request.
    """
    lang = session.get("lang")
    session.clear()
    session["staff_id"] = staff.id
    session["generation"] = staff.session_generation
    session["seen"] = int(utcnow().timestamp())
    session["csrf"] = secrets.token_urlsafe(32)
    if lang:
        session["lang"] = lang
    session.permanent = False


def end_sessions(db: Session, staff: StaffAccount) -> None:
    """End every console session of the account on the server: cookies issued before stop working.

    Call on sign-out, password change and when an account is disabled.
    """
    db.execute(
        update(StaffAccount)
        .where(StaffAccount.id == staff.id)
        .values(session_generation=StaffAccount.session_generation + 1)
        .execution_options(synchronize_session=False)
    )


def session_is_current(staff: StaffAccount | None, now: datetime) -> bool:
    """An active account whose cookie is of its current generation and was used within IDLE_LIMIT."""
    seen = session.get("seen")
    return (
        staff is not None
        and staff.active
        and session.get("generation") == staff.session_generation
        and isinstance(seen, int)
        and now.timestamp() - seen <= IDLE_LIMIT.total_seconds()
    )


def touch_session(now: datetime) -> None:
    """Note activity (at most once a minute, so the cookie is not rewritten on every request)."""
    if now.timestamp() - int(session.get("seen") or 0) >= 60:
        session["seen"] = int(now.timestamp())


def end_session() -> None:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def has_role(staff: StaffAccount | None, *roles: str) -> bool:
    return staff is not None and (staff.role == StaffRole.ADMIN or staff.role in roles)


def requires(*roles: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Allow the view to staff with one of `roles` (admins always); others get the 403 page."""

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            if not has_role(g.get("staff"), *roles):
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorate
