"""Staff accounts (administrators) and every staff member's own password; all of it in the audit log."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, request, url_for
from werkzeug.wrappers import Response

from otopbot.console import auth, staff_admin, web
from otopbot.console.auth import MIN_PASSWORD_LENGTH, StaffError
from otopbot.i18n import N_
from otopbot.models import StaffRole

_ERRORS = {
    "password must be at least": N_("A password needs at least {n} characters."),
    "the two passwords differ": N_("The two new passwords are not the same."),
    "the current password is not correct": N_("The current password is not correct."),
    "already taken": N_("This username is empty or already taken."),
    "unknown role": N_("Choose a role."),
    "you cannot change your own role": N_("You cannot change your own role."),
    "you cannot disable your own account": N_("You cannot disable your own account."),
    "no such account": N_("This account does not exist."),
}


def _message(error: StaffError) -> str:
    msgid = next((m for key, m in _ERRORS.items() if key in str(error)), N_("The account could not be changed."))
    return web.translator()(msgid, n=MIN_PASSWORD_LENGTH)


@auth.requires()
def list_staff() -> str:
    with web.transaction() as db:
        rows = staff_admin.accounts(db)
    return web.page("staff.html", accounts=rows, roles=[r.value for r in StaffRole], min_length=MIN_PASSWORD_LENGTH)


@auth.requires()
def create_staff() -> Response:
    t, form = web.translator(), request.form
    try:
        with web.transaction() as db:
            account = auth.create_staff(
                db,
                form.get("username", ""),
                form.get("password", ""),
                form.get("role", ""),
                display_name=form.get("display_name", "").strip()[:200],
            )
            auth.audit(db, "staff.create", f"staff:{account.id}", f"{account.username} role={account.role}")
        flash(t("Account {name} created.", name=account.username), "ok")
    except StaffError as error:
        flash(_message(error), "error")
    return redirect(url_for("console.staff"))


@auth.requires()
def change_staff(staff_id: int, action: str) -> Response:
    """`role`, `disable`, `enable` or `password` (reset) for one account."""
    t, form = web.translator(), request.form
    try:
        with web.transaction() as db:
            if action == "role":
                account = staff_admin.change_role(db, staff_id, form.get("role", ""), by=g.staff)
                detail = f"{account.username} role={account.role}"
            elif action == "password":
                account = staff_admin.reset_password(db, staff_id, form.get("password", ""))
                detail = account.username
            else:
                account = staff_admin.set_active(db, staff_id, action == "enable", by=g.staff)
                detail = account.username
            auth.audit(db, f"staff.{action}", f"staff:{staff_id}", detail)
        flash(t("Account {name} updated.", name=account.username), "ok")
    except StaffError as error:
        flash(_message(error), "error")
    return redirect(url_for("console.staff"))


def own_password() -> Response | str | tuple[str, int]:
    """Every signed-in staff member may change their own password."""
    t = web.translator()
    if request.method == "GET":
        return web.page("password.html", min_length=MIN_PASSWORD_LENGTH)
    form = request.form
    try:
        with web.transaction() as db:
            staff_admin.change_own_password(
                db, g.staff.id, form.get("current", ""), form.get("new", ""), form.get("confirm", "")
            )
            auth.audit(db, "staff.change_own_password", f"staff:{g.staff.id}", g.staff.username)
    except StaffError as error:
        return web.page("password.html", min_length=MIN_PASSWORD_LENGTH, error=_message(error)), 400
    flash(t("Your password was changed."), "ok")
    return redirect(url_for("console.dashboard"))


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/staff", "staff", list_staff)
    bp.add_url_rule("/staff/new", "new_staff", create_staff, methods=["POST"])
    bp.add_url_rule(
        "/staff/<int:staff_id>/<any(role,disable,enable,password):action>",
        "change_staff",
        change_staff,
        methods=["POST"],
    )
    bp.add_url_rule("/password", "own_password", own_password, methods=["GET", "POST"])
