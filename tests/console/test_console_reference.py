"""Staff see an enterprise's reference number (R-7K3Q) and find the registration by it."""

from __future__ import annotations

from datetime import UTC, datetime

from otopbot.models import LineUser
from otopbot.services import registrations

VALUES = {
    "enterprise_name": "กลุ่มจักสานบ้านดง",
    "enterprise_type": "community_enterprise",
    "province": "น่าน",
    "category": "paper",
    "products": "กระดาษสา",
    "contact_name": "คุณดาว",
    "phone": "0891112222",
    "help_wanted": ["packaging"],
}


def submit(database, n: int, name: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        user = LineUser(line_user_id=f"U{n:032x}", language="th")
        db.add(user)
        db.flush()
        saved = registrations.submit(db, user, {**VALUES, "enterprise_name": name}, datetime(2026, 11, 25, tzinfo=UTC))
        return saved.registration.id, saved.registration.reference or ""


def test_the_list_and_the_detail_show_the_reference(staff_client, database) -> None:  # type: ignore[no-untyped-def]
    dip = staff_client("dip")
    reg_id, reference = submit(database, 1, "กลุ่มจักสานบ้านดง")
    assert reference.startswith("R-")
    listing = dip.get("/console/registrations").get_data(as_text=True)
    assert f'<td class="reference">{reference}</td>' in listing
    detail = dip.get(f"/console/registrations/{reg_id}").get_data(as_text=True)
    assert f'<dd class="reference">{reference}</dd>' in detail


def test_searching_by_reference_as_heard_on_the_phone_finds_only_that_registration(  # type: ignore[no-untyped-def]
    staff_client, database
) -> None:
    dip = staff_client("dip")
    _, wanted = submit(database, 1, "กลุ่มจักสานบ้านดง")
    submit(database, 2, "กลุ่มทอผ้าบ้านนา")
    for typed in (wanted, wanted.lower(), wanted.replace("-", ""), wanted.replace("-", " ")):
        page = dip.get("/console/registrations", query_string={"q": typed}).get_data(as_text=True)
        assert "กลุ่มจักสานบ้านดง" in page and "กลุ่มทอผ้าบ้านนา" not in page, typed


def test_the_export_carries_the_reference(staff_client, database) -> None:  # type: ignore[no-untyped-def]
    dip = staff_client("dip")
    _, reference = submit(database, 1, "กลุ่มจักสานบ้านดง")
    csv = dip.get("/console/registrations/export.csv").get_data(as_text=True)
    assert "reference" in csv.splitlines()[0] and reference in csv
