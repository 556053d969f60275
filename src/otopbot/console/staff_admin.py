"""Staff accounts managed by administrators: role changes, disabling, password resets and changes.

A disabled account keeps its audit history but cannot sign in, and its open sessions end at their
next request (`web.load_staff` checks `active` on every request). An administrator cannot disable
or demote their own account, so the console always keeps one administrator who can undo mistakes.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from otopbot.console.auth import MIN_PASSWORD_LENGTH, StaffError, hash_password
from otopbot.models import StaffAccount, StaffRole


def accounts(db: Session) -> list[StaffAccount]:
    """Active accounts first, then by username."""
    return list(db.scalars(select(StaffAccount).order_by(StaffAccount.active.desc(), StaffAccount.username)))


def _account(db: Session, staff_id: int) -> StaffAccount:
    account = db.get(StaffAccount, staff_id)
    if account is None:
        raise StaffError("no such account")
    return account


def check_password(password: str, confirm: str | None = None) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StaffError(f"password must be at least {MIN_PASSWORD_LENGTH} characters")
    if confirm is not None and password != confirm:
        raise StaffError("the two passwords differ")


def change_role(db: Session, staff_id: int, role: str, *, by: StaffAccount) -> StaffAccount:
    account = _account(db, staff_id)
    if role not in {r.value for r in StaffRole}:
        raise StaffError(f"unknown role {role!r}")
    if account.id == by.id and role != account.role:
        raise StaffError("you cannot change your own role")
    account.role = role
    return account


def set_active(db: Session, staff_id: int, active: bool, *, by: StaffAccount) -> StaffAccount:
    """Disable (sessions end at their next request) or enable an account."""
    account = _account(db, staff_id)
    if account.id == by.id and not active:
        raise StaffError("you cannot disable your own account")
    account.active = active
    return account


def reset_password(db: Session, staff_id: int, password: str) -> StaffAccount:
    """An administrator sets a new password for someone who forgot theirs."""
    check_password(password)
    account = _account(db, staff_id)
    account.password_hash = hash_password(password)
    return account


def change_own_password(db: Session, staff_id: int, current: str, new: str, confirm: str) -> StaffAccount:
    account = _account(db, staff_id)
    if not check_password_hash(account.password_hash, current):
        raise StaffError("the current password is not correct")
    check_password(new, confirm)
    account.password_hash = hash_password(new)
    return account
