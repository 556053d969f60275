"""Staff accounts: administrators create, change, disable and reset; everyone changes their own password."""

from __future__ import annotations

from console_helpers import PASSWORD, log_in, post
from sqlalchemy import select

from otopbot.models import AuditEntry, StaffAccount


def _account(database, username: str) -> StaffAccount:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        return db.scalars(select(StaffAccount).where(StaffAccount.username == username)).one()


def _actions(database) -> list[str]:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        return [a for a in db.scalars(select(AuditEntry.action).order_by(AuditEntry.id))]


def test_an_admin_creates_an_account_that_can_then_sign_in(staff_client, app, database) -> None:  # type: ignore[no-untyped-def]
    admin = staff_client("admin")
    page = admin.get("/console/staff").get_data(as_text=True)
    assert "อย่างน้อย 10 ตัวอักษร" in page
    post(
        admin,
        "/console/staff/new",
        {"username": "Kanda", "display_name": "คุณกานดา", "role": "dip", "password": "ten chars!"},
    )
    assert _account(database, "kanda").role == "dip"
    assert log_in(app.test_client(), "kanda", "ten chars!").status_code == 302
    short = post(
        admin,
        "/console/staff/new",
        {"username": "short", "role": "dss", "password": "nine char"},
        follow_redirects=True,
    )
    assert "อย่างน้อย 10 ตัวอักษร" in short.get_data(as_text=True)
    assert "staff.create" in _actions(database)


def test_disabling_an_account_ends_its_open_session(staff_client, database) -> None:  # type: ignore[no-untyped-def]
    admin, dss = staff_client("admin"), staff_client("dss")
    assert dss.get("/console/workshops").status_code == 200
    target = _account(database, "dss1")
    post(admin, f"/console/staff/{target.id}/disable")
    assert _account(database, "dss1").active is False
    response = dss.get("/console/workshops")
    assert response.status_code == 302 and "/console/login" in response.headers["Location"]
    assert log_in(dss, "dss1").status_code == 200  # refused: the login page again
    post(admin, f"/console/staff/{target.id}/enable")
    assert log_in(dss, "dss1").status_code == 302
    assert {"staff.disable", "staff.enable"} <= set(_actions(database))


def test_role_change_and_password_reset_take_effect_and_are_audited(staff_client, app, database) -> None:  # type: ignore[no-untyped-def]
    admin, dip = staff_client("admin"), staff_client("dip")
    target = _account(database, "dip1")
    assert dip.get("/console/questions").status_code == 403
    post(admin, f"/console/staff/{target.id}/role", {"role": "dss"})
    assert dip.get("/console/questions").status_code == 200
    post(admin, f"/console/staff/{target.id}/password", {"password": "a brand new one"})
    assert log_in(app.test_client(), "dip1", PASSWORD).status_code == 200
    assert log_in(app.test_client(), "dip1", "a brand new one").status_code == 302
    actions = _actions(database)
    assert "staff.role" in actions and "staff.password" in actions
    with database.transaction() as db:
        details = " ".join(db.scalars(select(AuditEntry.detail)))
    assert "a brand new one" not in details


def test_only_admins_manage_accounts_and_nobody_locks_themselves_out(staff_client, database) -> None:  # type: ignore[no-untyped-def]
    admin, dss = staff_client("admin"), staff_client("dss")
    assert dss.get("/console/staff").status_code == 403
    assert post(dss, f"/console/staff/{_account(database, 'admin0').id}/disable").status_code == 403
    me = _account(database, "admin0").id
    refused = post(admin, f"/console/staff/{me}/disable", follow_redirects=True).get_data(as_text=True)
    assert "ไม่สามารถระงับบัญชีของตัวเองได้" in refused and _account(database, "admin0").active
    post(admin, f"/console/staff/{me}/role", {"role": "dss"})
    assert _account(database, "admin0").role == "admin"


def test_every_staff_member_changes_their_own_password(staff_client, app, database) -> None:  # type: ignore[no-untyped-def]
    dss = staff_client("dss")
    form = dss.get("/console/password").get_data(as_text=True)
    assert "อย่างน้อย 10 ตัวอักษร" in form
    wrong = post(
        dss, "/console/password", {"current": "not it at all", "new": "fresh password", "confirm": "fresh password"}
    )
    assert wrong.status_code == 400 and "รหัสผ่านปัจจุบันไม่ถูกต้อง" in wrong.get_data(as_text=True)
    short = post(dss, "/console/password", {"current": PASSWORD, "new": "too short", "confirm": "too short"})
    assert short.status_code == 400
    assert (
        post(
            dss, "/console/password", {"current": PASSWORD, "new": "fresh password", "confirm": "fresh password"}
        ).status_code
        == 302
    )
    assert log_in(app.test_client(), "dss0", "fresh password").status_code == 302
    assert "staff.change_own_password" in _actions(database)
