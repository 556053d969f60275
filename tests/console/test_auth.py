"""Who may reach the console: sign-in, roles, CSRF and the login rate limit."""

from __future__ import annotations

from console_helpers import PASSWORD, add_workshop, log_in, post
from flask.testing import FlaskClient
from sqlalchemy import func, select

from otopbot.console import auth
from otopbot.models import AuditEntry, LoginAttempt, StaffAccount, Workshop


def test_every_console_page_needs_a_signed_in_staff_member(client: FlaskClient) -> None:
    for path in (
        "/console/",
        "/console/registrations",
        "/console/workshops",
        "/console/broadcasts",
        "/console/questions",
        "/console/knowledge",
        "/console/kpi.csv",
        "/console/registrations/export.csv",
    ):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/console/login")


def test_passwords_are_stored_hashed_and_sign_in_works(client: FlaskClient, database) -> None:
    with database.transaction() as db:
        auth.create_staff(db, "Somchai", PASSWORD, "dip")
    with database.transaction() as db:
        stored = db.scalar(select(StaffAccount.password_hash).where(StaffAccount.username == "somchai"))
    assert PASSWORD not in stored and stored.startswith("scrypt:")
    response = log_in(client, "somchai")
    assert response.status_code == 302
    assert "ลงชื่อออก" in client.get("/console/").get_data(as_text=True)


def test_a_wrong_password_is_refused_politely(client: FlaskClient, database) -> None:
    with database.transaction() as db:
        auth.create_staff(db, "somchai", PASSWORD, "dip")
    response = log_in(client, "somchai", "wrong password!")
    assert response.status_code == 200
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.get_data(as_text=True)
    assert client.get("/console/").status_code == 302


def test_five_failures_lock_the_username_even_with_the_right_password(client: FlaskClient, database) -> None:
    with database.transaction() as db:
        auth.create_staff(db, "somchai", PASSWORD, "dip")
    for _ in range(auth.MAX_FAILURES_PER_USER):
        log_in(client, "somchai", "guess-guess-guess")
    response = log_in(client, "somchai", PASSWORD)
    assert response.status_code == 429
    assert "15 นาที" in response.get_data(as_text=True)
    with database.transaction() as db:
        assert db.scalar(select(func.count()).select_from(LoginAttempt)) == auth.MAX_FAILURES_PER_USER


def test_a_dip_account_cannot_change_workshops(staff_client, database) -> None:
    dip = staff_client("dip")
    with database.transaction() as db:
        workshop_id = add_workshop(db).id
    assert dip.get("/console/workshops/new").status_code == 403
    response = post(dip, f"/console/workshops/{workshop_id}/cancel", {"reason": "x"})
    assert response.status_code == 403
    assert "ไม่มีสิทธิ์" in response.get_data(as_text=True)
    with database.transaction() as db:
        assert db.get(Workshop, workshop_id).status == "open"


def test_a_dss_account_cannot_select_registrations(staff_client) -> None:
    dss = staff_client("dss")
    assert dss.get("/console/registrations").status_code == 403


def test_a_post_without_its_csrf_token_is_refused(staff_client, database) -> None:
    dss = staff_client("dss")
    with database.transaction() as db:
        workshop_id = add_workshop(db).id
    response = dss.post(f"/console/workshops/{workshop_id}/close", data={})
    assert response.status_code == 400
    response = dss.post(f"/console/workshops/{workshop_id}/close", data={"csrf_token": "forged"})
    assert response.status_code == 400
    with database.transaction() as db:
        assert db.get(Workshop, workshop_id).status == "open"
    assert post(dss, f"/console/workshops/{workshop_id}/close").status_code == 302
    with database.transaction() as db:
        assert db.get(Workshop, workshop_id).status == "closed"
        actions = list(db.scalars(select(AuditEntry.action)))
    assert "workshop.close" in actions


def test_login_itself_needs_the_csrf_token(client: FlaskClient, database) -> None:
    with database.transaction() as db:
        auth.create_staff(db, "somchai", PASSWORD, "dip")
    client.get("/console/login")
    assert client.post("/console/login", data={"username": "somchai", "password": PASSWORD}).status_code == 400


def test_language_switch_shows_english(staff_client) -> None:
    dip = staff_client("dip")
    dip.get("/console/lang/en")
    assert "Sign out" in dip.get("/console/").get_data(as_text=True)


def test_signing_in_does_not_redirect_off_site(client: FlaskClient, database) -> None:
    with database.transaction() as db:
        auth.create_staff(db, "somchai", PASSWORD, "dip")
    page = client.get("/console/login?next=//evil.example/")
    token = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/console/login",
        data={"username": "somchai", "password": PASSWORD, "csrf_token": token, "next": "//evil.example/"},
    )
    assert response.headers["Location"] == "/console/"
