"""The programme dashboard: progress to 10,000 enterprises, by category, region and week; CSV."""

from __future__ import annotations

from flask import Blueprint, Response

from otopbot.console import auth, charts, exports, web
from otopbot.services import attribution, kpi, surveys


def dashboard() -> str:
    with web.transaction() as db:
        s = kpi.summary(db)
        ratings = surveys.overview(db)
        achieved = attribution.every_sent(db)
    by_category = charts.grouped_hbars(
        [(web.label("category", b.key), (b.registered, b.selected, b.trained)) for b in s.by_category]
    )
    by_region = charts.grouped_hbars(
        [(web.label("region", b.key), (b.registered, b.selected, b.trained)) for b in s.by_region]
    )
    weekly = charts.weekly_line([(p.week_start.strftime("%d/%m"), p.registered, p.cumulative) for p in s.weekly])
    return web.page(
        "dashboard.html",
        s=s,
        by_category=by_category,
        by_region=by_region,
        weekly=weekly,
        colours=charts.SERIES_COLOURS,
        ratings=ratings,
        ratings_total=surveys.total(ratings),
        achieved=achieved,
        achieved_total=attribution.totals(achieved),
    )


def dashboard_csv() -> Response:
    with web.transaction() as db:
        s = kpi.summary(db)
        ratings = surveys.overview(db)
        achieved = attribution.every_sent(db)
        auth.audit(db, "kpi.export_csv", "dashboard")
    rows = kpi.csv_rows(s) + surveys.dashboard_csv_rows(ratings) + attribution.csv_rows(achieved)
    return exports.csv_response("otop-kpi.csv", [str(c) for c in rows[0]], rows[1:])


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/", "dashboard", dashboard)
    bp.add_url_rule("/kpi.csv", "kpi_csv", dashboard_csv)
