"""DIP's registration list: filter, select or decline (the enterprise is told on LINE), export."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from werkzeug.wrappers import Response

from otopbot import runtime
from otopbot.console import auth, exports, labels, web
from otopbot.models import Registration, RegistrationStatus, StaffRole
from otopbot.services import selection

PAGE_SIZE = 50
EXPORT_HEADER = (
    "id",
    "created_at",
    "status",
    "enterprise_name",
    "enterprise_type",
    "ce_number",
    "category",
    "province",
    "region",
    "products",
    "contact_name",
    "phone",
    "help_wanted",
    "language",
    "status_note",
    "decided_at",
    "reference",
)


def _filter() -> selection.RegistrationFilter:
    a = request.args
    return selection.RegistrationFilter(
        status=a.get("status") or None,
        category=a.get("category") or None,
        province=a.get("province") or None,
        region=a.get("region") or None,
        enterprise_type=a.get("type") or None,
        search=a.get("q") or None,
    )


@auth.requires(StaffRole.DIP)
def list_registrations() -> str:
    flt = _filter()
    page_no = max(1, request.args.get("page", 1, type=int) or 1)
    with web.transaction() as db:
        rows = selection.find(db, flt, limit=PAGE_SIZE + 1, offset=(page_no - 1) * PAGE_SIZE)
        provinces = selection.distinct_values(db, "province")
        regions = sorted(set(selection.distinct_values(db, "region")) | set(labels.REGIONS))
    args = {k: v for k, v in request.args.items() if k != "page"}
    return web.page(
        "registrations.html",
        rows=rows[:PAGE_SIZE],
        has_next=len(rows) > PAGE_SIZE,
        page_no=page_no,
        flt=flt,
        provinces=provinces,
        regions=regions,
        args=args,
    )


@auth.requires(StaffRole.DIP)
def show_registration(registration_id: int) -> str:
    with web.transaction() as db:
        registration = db.get(Registration, registration_id)
        if registration is None or registration.erased_at is not None:
            abort(404)
    return web.page("registration.html", r=registration)


@auth.requires(StaffRole.DIP)
def decide(registration_id: int) -> Response:
    status = request.form.get("decision", "")
    note = request.form.get("note", "")[:2000]
    t = web.translator()
    if status not in (RegistrationStatus.SELECTED, RegistrationStatus.DECLINED):
        abort(400)
    try:
        with web.transaction() as db:
            reg = selection.decide(
                db, registration_id, status, note, locales_dir=runtime.current().settings.locales_dir
            )
            auth.audit(db, f"registration.{status}", f"registration:{registration_id}", note)
            name = reg.enterprise_name or ""
    except selection.DecisionError:
        flash(t("This registration could not be changed (it may already have this decision)."), "error")
        return redirect(url_for("console.registration", registration_id=registration_id))
    flash(
        t(
            "{name}: {status}. The enterprise has been told on LINE.",
            name=name,
            status=web.label("registration_status", status),
        ),
        "ok",
    )
    return redirect(
        request.form.get("back") and web.safe_next(request.form.get("back")) or url_for("console.registrations")
    )


def _export_rows() -> list[list[object]]:
    with web.transaction() as db:
        rows = selection.find(db, _filter())
    return [
        [
            r.id,
            r.created_at.isoformat(),
            r.status,
            r.enterprise_name,
            r.enterprise_type,
            r.ce_number,
            r.category,
            r.province,
            r.region,
            r.products,
            r.contact_name,
            r.phone,
            r.help_wanted,
            r.language,
            r.status_note,
            r.decided_at.isoformat() if r.decided_at else "",
            r.reference,
        ]
        for r in rows
    ]


@auth.requires(StaffRole.DIP)
def export_csv() -> Response:
    rows = _export_rows()
    with web.transaction() as db:
        auth.audit(db, "registration.export_csv", "registrations", f"{len(rows)} rows")
    return exports.csv_response("registrations.csv", EXPORT_HEADER, rows)


@auth.requires(StaffRole.DIP)
def export_xlsx() -> Response:
    rows = _export_rows()
    with web.transaction() as db:
        auth.audit(db, "registration.export_xlsx", "registrations", f"{len(rows)} rows")
    return exports.xlsx_response("registrations.xlsx", EXPORT_HEADER, rows)


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/registrations", "registrations", list_registrations)
    bp.add_url_rule("/registrations/<int:registration_id>", "registration", show_registration)
    bp.add_url_rule("/registrations/<int:registration_id>/decide", "decide", decide, methods=["POST"])
    bp.add_url_rule("/registrations/export.csv", "registrations_csv", export_csv)
    bp.add_url_rule("/registrations/export.xlsx", "registrations_xlsx", export_xlsx)
