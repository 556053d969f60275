"""DIP selects and declines registrations; the enterprise hears on LINE in its language."""

from __future__ import annotations

import io

from console_helpers import add_enterprise, post
from openpyxl import load_workbook
from sqlalchemy import select

from otopbot.console import labels
from otopbot.dialogue.forms import load_forms
from otopbot.i18n import Translator
from otopbot.models import OutboxMessage, Registration


def test_selecting_a_registration_queues_a_line_push_to_that_enterprise(staff_client, database) -> None:
    dip = staff_client("dip")
    with database.transaction() as db:
        user, reg = add_enterprise(db, 1)
        add_enterprise(db, 2)
    response = post(dip, f"/console/registrations/{reg.id}/decide", {"decision": "selected", "note": "พบกันที่ศูนย์"})
    assert response.status_code == 302
    with database.transaction() as db:
        assert db.get(Registration, reg.id).status == "selected"
        rows = list(db.scalars(select(OutboxMessage)))
    assert len(rows) == 1
    assert rows[0].kind == "push" and rows[0].recipients == [user.line_user_id]
    text = rows[0].payload[0]["text"]
    assert "ได้รับการคัดเลือก" in text and "พบกันที่ศูนย์" in text


def test_declining_an_english_speaker_tells_them_in_english(staff_client, database) -> None:
    dip = staff_client("dip")
    with database.transaction() as db:
        _, reg = add_enterprise(db, 1, language="en", name="Clay Works")
    post(dip, f"/console/registrations/{reg.id}/decide", {"decision": "declined"})
    with database.transaction() as db:
        row = db.scalars(select(OutboxMessage)).one()
    assert row.language == "en" and "was not selected" in row.payload[0]["text"]


def test_an_unfollowed_enterprise_is_not_pushed(staff_client, database) -> None:
    dip = staff_client("dip")
    with database.transaction() as db:
        _, reg = add_enterprise(db, 1, following=False)
    post(dip, f"/console/registrations/{reg.id}/decide", {"decision": "selected"})
    with database.transaction() as db:
        assert db.get(Registration, reg.id).status == "selected"
        assert db.scalars(select(OutboxMessage)).first() is None


def test_filters_narrow_the_list(staff_client, database) -> None:
    dip = staff_client("dip")
    with database.transaction() as db:
        add_enterprise(db, 1, category="food", name="ขนมไทยบ้านสวน")
        add_enterprise(db, 2, category="ceramics", name="เครื่องปั้นดินเผาลำปาง", province="ลำปาง")
    page = dip.get("/console/registrations?category=ceramics").get_data(as_text=True)
    assert "เครื่องปั้นดินเผาลำปาง" in page and "ขนมไทยบ้านสวน" not in page
    page = dip.get("/console/registrations?province=ลำปาง&status=pending").get_data(as_text=True)
    assert "เครื่องปั้นดินเผาลำปาง" in page and "ขนมไทยบ้านสวน" not in page


def test_exports_follow_the_filter_and_defuse_formulas(staff_client, database) -> None:
    dip = staff_client("dip")
    with database.transaction() as db:
        add_enterprise(db, 1, category="food", name='=HYPERLINK("http://x")')
        add_enterprise(db, 2, category="paper", name="กระดาษสา")
    csv_text = dip.get("/console/registrations/export.csv?category=food").get_data(as_text=True)
    assert "'=HYPERLINK" in csv_text and "กระดาษสา" not in csv_text
    xlsx = dip.get("/console/registrations/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    names = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(['\'=HYPERLINK("http://x")', "กระดาษสา"])


def test_stored_markup_in_an_enterprise_name_is_shown_as_text(staff_client, database) -> None:
    dip = staff_client("dip")
    evil = "<script>alert('x')</script>"
    with database.transaction() as db:
        _, reg = add_enterprise(db, 1, name=evil)
    for path in ("/console/registrations", f"/console/registrations/{reg.id}"):
        page = dip.get(path).get_data(as_text=True)
        assert evil not in page
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page


def test_the_district_an_owner_mentioned_is_shown_with_the_province(staff_client, database) -> None:
    dip = staff_client("dip")
    with database.transaction() as db:
        _, reg = add_enterprise(db, 1)
        reg.district = "สันกำแพง"
        _, other = add_enterprise(db, 2)
    assert "สันกำแพง, เชียงใหม่" in dip.get(f"/console/registrations/{reg.id}").get_data(as_text=True)
    assert "<dd>เชียงใหม่ (" in dip.get(f"/console/registrations/{other.id}").get_data(as_text=True)  # none told


def test_help_wanted_reads_the_same_in_chat_and_console(staff_client, database, settings) -> None:
    chat_choices = load_forms(settings.content_dir)["registration"].slot("help_wanted").choices
    assert {option.value: option.label for option in chat_choices} == labels.HELP_CODES
    dip = staff_client("dip")
    with database.transaction() as db:
        _, reg = add_enterprise(db, 1)
        reg.help_wanted = "innovation,testing"
    page = dip.get(f"/console/registrations/{reg.id}").get_data(as_text=True)
    thai = Translator(settings.locales_dir, "th")
    assert f"{thai('Product innovation')}, {thai('Testing')}" in page and "innovation" not in page
