"""The dashboard counts enterprises against the 10,000 target, including users who deleted their data."""

from __future__ import annotations

from datetime import date

from console_helpers import NOW, add_booking, add_enterprise, add_workshop

from otopbot.models import ErasureRecord
from otopbot.services import kpi


def _seed(db) -> None:
    workshop = add_workshop(db)
    for n in range(6):
        user, _ = add_enterprise(
            db,
            n,
            category="food" if n < 4 else "ceramics",
            region="north" if n % 2 else "northeast",
            status="selected" if n < 3 else "pending",
        )
        if n < 2:
            booking = add_booking(db, workshop, user, f"K{n:05d}")
            booking.checked_in_at = NOW
    db.add(ErasureRecord(category="food", region="north", was_registered=True, was_selected=True, had_attended=True))


def test_totals_include_erased_users(database) -> None:
    with database.transaction() as db:
        _seed(db)
        summary = kpi.summary(db, today=date(2025, 6, 2))
    assert (summary.registered, summary.selected, summary.trained) == (7, 4, 3)
    food = next(b for b in summary.by_category if b.key == "food")
    assert (food.registered, food.selected, food.trained) == (5, 4, 3)
    assert [b.key for b in summary.by_category][:5] == ["food", "ceramics", "glass", "rubber", "paper"]
    assert summary.weekly[-1].cumulative == 6
    assert summary.workshops[0].confirmed == 2 and summary.workshops[0].attended == 2


def test_dashboard_page_draws_svg_charts_and_offers_csv(staff_client, database) -> None:
    dip = staff_client("dip")
    with database.transaction() as db:
        _seed(db)
    page = dip.get("/console/").get_data(as_text=True)
    assert page.count("<svg") == 3 and "อาหารแปรรูป" in page and "10,000" in page
    assert "<script" not in page
    csv_text = dip.get("/console/kpi.csv").get_data(as_text=True)
    assert "total,all,7,4,3" in csv_text


def test_bar_charts_print_no_labels_for_zero_values(staff_client, database) -> None:
    dip = staff_client("dip")
    with database.transaction() as db:
        _seed(db)  # glass, rubber and paper have nobody yet; food and ceramics have some
    page = dip.get("/console/").get_data(as_text=True)
    bar_charts = [svg for svg in page.split("<svg")[1:] if 'class="lbl"' in svg]
    assert bar_charts, "the dashboard draws its bar charts"
    for svg in bar_charts:
        assert 'class="val">0</text>' not in svg
    by_category = bar_charts[0]
    assert 'class="val">5</text>' in by_category and 'class="val">3</text>' in by_category
