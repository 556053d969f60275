"""What followed the workshops, for staff: survey results on the workshop page, the dashboard and CSV."""

from __future__ import annotations

import csv
import io
import re

from console_helpers import NOW, add_booking, add_enterprise, add_workshop
from sqlalchemy import func, select

from otopbot.models import SurveyResponse, SurveyStatus

RATED = [(5, "วิทยากรอธิบายเข้าใจง่าย"), (4, None), (4, '=HYPERLINK("http://evil")'), (2, None)]


def _survey(db) -> int:  # type: ignore[no-untyped-def]
    """A workshop whose five attendees were asked: four rated (one left a formula-like comment), one did not."""
    workshop = add_workshop(db, code="W-SURVEY")
    for n in range(5):
        user, _ = add_enterprise(db, 300 + n)
        booking = add_booking(db, workshop, user, f"SV{n:04d}")
        rating, comment = RATED[n] if n < len(RATED) else (None, None)
        db.add(
            SurveyResponse(
                booking_id=booking.id,
                workshop_id=workshop.id,
                user_id=user.id,
                rating=rating,
                comment=comment,
                status=SurveyStatus.DONE if rating else SurveyStatus.LEFT,
                asked_at=NOW,
                rated_at=NOW if rating else None,
            )
        )
    db.flush()
    return workshop.id


def test_the_workshop_page_shows_count_mean_distribution_and_comments(staff_client, database) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        workshop_id = _survey(db)
    page = staff_client("dip").get(f"/console/workshops/{workshop_id}").get_data(as_text=True)
    section = page[page.index('id="survey"') :]
    assert "4 รายการ" in section and "5 คน" in section and "3.75" in section
    counts = re.findall(r"<tr><td>(\d)</td><td class=\"num\">(\d+)</td>", section)
    assert counts == [("5", "1"), ("4", "2"), ("3", "0"), ("2", "1"), ("1", "0")]
    assert "วิทยากรอธิบายเข้าใจง่าย" in section and "HYPERLINK" in section


def test_the_survey_csv_defuses_formulas_and_names_nobody(staff_client, database) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        workshop_id = _survey(db)
    response = staff_client("dss").get(f"/console/workshops/{workshop_id}/survey.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["rated_at", "rating", "comment"] and len(rows) == 5
    assert '\'=HYPERLINK("http://evil")' in [r[2] for r in rows]
    assert not any("วิสาหกิจ" in cell or "คุณ 30" in cell for row in rows for cell in row)


def test_the_dashboard_ratings_reconcile_with_the_database(staff_client, database) -> None:  # type: ignore[no-untyped-def]
    with database.transaction() as db:
        _survey(db)
        other = add_workshop(db, code="W-OTHER")
        user, _ = add_enterprise(db, 400)
        booking = add_booking(db, other, user, "SVX001")
        db.add(
            SurveyResponse(
                booking_id=booking.id,
                workshop_id=other.id,
                user_id=user.id,
                rating=1,
                status=SurveyStatus.DONE,
                asked_at=NOW,
                rated_at=NOW,
            )
        )
    with database.transaction() as db:
        count = db.scalar(select(func.count(SurveyResponse.rating)))
        mean = db.scalar(select(func.avg(SurveyResponse.rating)))
    client = staff_client("dip")
    page = client.get("/console/").get_data(as_text=True)
    section = page[page.index('id="ratings"') :]
    assert f"ทั้งหมด {count} รายการ" in section and f"{float(mean):.2f}" in section
    rows = list(csv.reader(io.StringIO(client.get("/console/kpi.csv").get_data(as_text=True).lstrip("\ufeff"))))
    satisfaction = {r[1]: (int(r[2]), int(r[3]), float(r[4])) for r in rows if r[0] == "satisfaction"}
    assert satisfaction == {"W-SURVEY": (5, 4, 3.75), "W-OTHER": (1, 1, 1.0)}
