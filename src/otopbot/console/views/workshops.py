"""DSS's workshops: create, edit, close, cancel; attendee and waiting lists; door check-in; export."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from werkzeug.wrappers import Response

from otopbot import clock, runtime
from otopbot.console import auth, exports, labels, web
from otopbot.db import utcnow
from otopbot.i18n import N_
from otopbot.models import BookingStatus, StaffRole, Workshop
from otopbot.services import checkin, surveys, workshop_admin
from otopbot.services.workshop_admin import WorkshopError, WorkshopForm

STAFF = (StaffRole.DSS, StaffRole.DIP)  # everyone may look; only DSS (and admins) change workshops


class FormError(ValueError):
    """A form field is missing or malformed; the message is an msgid."""


def _local(value: str) -> datetime:
    try:
        return clock.parse_form_datetime(value)
    except ValueError:
        raise FormError(N_("Please give dates and times as shown.")) from None


def parse_form(form: Any) -> WorkshopForm:
    try:
        capacity = int(form.get("capacity", ""))
    except ValueError:
        raise FormError(N_("Capacity must be a whole number.")) from None
    if form.get("category") not in labels.CATEGORIES:
        raise FormError(N_("Choose an OTOP category."))
    return WorkshopForm(
        title=form.get("title", ""),
        title_en=form.get("title_en"),
        category=form.get("category", ""),
        description=form.get("description", ""),
        venue=form.get("venue", ""),
        province=form.get("province", ""),
        region=form.get("region", ""),
        starts_at=_local(form.get("starts_at", "")),
        ends_at=_local(form.get("ends_at", "")),
        capacity=capacity,
        registration_deadline=_local(form.get("registration_deadline", "")),
    )


def _input_time(moment: datetime | None) -> str:
    return clock.form_datetime(moment, web.language()) if moment else ""


def _values(workshop: Workshop | None, form: Any = None) -> dict[str, str]:
    if form is not None:
        return {k: form.get(k, "") for k in form}
    if workshop is None:
        return {}
    return {
        "title": workshop.title,
        "title_en": workshop.title_en or "",
        "category": workshop.category,
        "description": workshop.description,
        "venue": workshop.venue,
        "province": workshop.province,
        "region": workshop.region,
        "starts_at": _input_time(workshop.starts_at),
        "ends_at": _input_time(workshop.ends_at),
        "capacity": str(workshop.capacity),
        "registration_deadline": _input_time(workshop.registration_deadline),
    }


@auth.requires(*STAFF)
def list_workshops() -> str:
    """Coming workshops soonest first; past ones (ended) in their own section, latest first."""
    now = utcnow()
    with web.transaction() as db:
        rows = [
            (w, workshop_admin.waiting_count(db, w.id), workshop_admin.checked_in_count(db, w.id))
            for w in workshop_admin.listing(db, status=request.args.get("status") or None)
        ]
    coming = [row for row in rows if row[0].ends_at >= now]
    past = [row for row in reversed(rows) if row[0].ends_at < now]
    return web.page("workshops.html", coming=coming, past=past, status=request.args.get("status", ""))


@auth.requires(StaffRole.DSS)
def new_workshop() -> Response | str | tuple[str, int]:
    if request.method == "GET":
        return web.page("workshop_form.html", workshop=None, values={}, regions=labels.REGIONS)
    return _save(None)


@auth.requires(StaffRole.DSS)
def edit_workshop(workshop_id: int) -> Response | str | tuple[str, int]:
    with web.transaction() as db:
        workshop = db.get(Workshop, workshop_id)
    if workshop is None:
        abort(404)
    if request.method == "GET":
        return web.page("workshop_form.html", workshop=workshop, values=_values(workshop), regions=labels.REGIONS)
    return _save(workshop)


def _save(workshop: Workshop | None) -> Response | tuple[str, int]:
    t = web.translator()
    try:
        form = parse_form(request.form)
        with web.transaction() as db:
            if workshop is None:
                saved = workshop_admin.create(db, form)
                auth.audit(db, "workshop.create", f"workshop:{saved.id}", saved.code)
            else:
                saved = workshop_admin.edit(db, workshop.id, form, locales_dir=runtime.current().settings.locales_dir)
                auth.audit(db, "workshop.edit", f"workshop:{saved.id}", saved.code)
            saved_id = saved.id
    except FormError as error:
        message = t(str(error))
    except WorkshopError as error:
        message = t(_WORKSHOP_ERRORS.get(str(error), N_("The workshop could not be saved.")))
    else:
        flash(t("Workshop saved."), "ok")
        return redirect(url_for("console.workshop", workshop_id=saved_id))
    return web.page(
        "workshop_form.html",
        workshop=workshop,
        values=_values(None, request.form),
        regions=labels.REGIONS,
        error=message,
    ), 400


_WORKSHOP_ERRORS = {
    "title and venue are required": N_("Title and venue are required."),
    "capacity must be at least 1": N_("Capacity must be at least 1."),
    "the workshop must end after it starts": N_("The workshop must end after it starts."),
    "the booking deadline must be before the start": N_("The booking deadline must be before the start."),
    "capacity is below the seats already taken": N_("Capacity cannot be below the seats already booked."),
    "a cancelled workshop cannot be edited": N_("A cancelled workshop cannot be edited."),
    "only an open workshop can be closed": N_("Only an open workshop can be closed."),
    "only a closed workshop can be reopened": N_("Only a closed workshop can be reopened."),
    "the workshop is already cancelled": N_("The workshop is already cancelled."),
}


@auth.requires(*STAFF)
def show_workshop(workshop_id: int) -> str:
    with web.transaction() as db:
        workshop = db.get(Workshop, workshop_id)
        if workshop is None:
            abort(404)
        confirmed = checkin.attendees(db, workshop_id, status=BookingStatus.CONFIRMED)
        waiting = checkin.attendees(db, workshop_id, status=BookingStatus.WAITLISTED)
        survey = surveys.results(db, workshop_id)
    return web.page("workshop.html", w=workshop, confirmed=confirmed, waiting=waiting, survey=survey)


@auth.requires(StaffRole.DSS)
def change_status(workshop_id: int, action: str) -> Response:
    t = web.translator()
    settings = runtime.current().settings
    try:
        with web.transaction() as db:
            if action == "close":
                workshop_admin.close(db, workshop_id)
                flash(t("Bookings are closed for this workshop."), "ok")
            elif action == "reopen":
                workshop_admin.reopen(db, workshop_id)
                flash(t("Bookings are open again."), "ok")
            elif action == "cancel":
                told = workshop_admin.cancel(
                    db, workshop_id, request.form.get("reason"), locales_dir=settings.locales_dir
                )
                flash(t("Workshop cancelled; {n} booked users are being told on LINE.", n=told), "ok")
            else:
                abort(404)
            auth.audit(db, f"workshop.{action}", f"workshop:{workshop_id}", request.form.get("reason", ""))
    except WorkshopError as error:
        flash(t(_WORKSHOP_ERRORS.get(str(error), N_("The workshop could not be changed."))), "error")
    return redirect(url_for("console.workshop", workshop_id=workshop_id))


_CHECKIN_MESSAGES = {
    checkin.CheckinOutcome.CHECKED_IN: ("ok", N_("Checked in: {name}")),
    checkin.CheckinOutcome.ALREADY: ("info", N_("{name} was already checked in at {when}.")),
    checkin.CheckinOutcome.NOT_FOUND: ("error", N_("No booking has this code.")),
    checkin.CheckinOutcome.FORGED: ("error", N_("This QR code is not valid. Please check the booking by name.")),
    checkin.CheckinOutcome.WRONG_WORKSHOP: ("error", N_("This booking is for another workshop.")),
    checkin.CheckinOutcome.NOT_CONFIRMED: (
        "error",
        N_("This booking is not confirmed (cancelled or on the waiting list)."),
    ),
}


@auth.requires(StaffRole.DSS)
def checkin_page(workshop_id: int) -> Response | str:
    """The phone page at the door: scan, type a code, or find by name."""
    settings = runtime.current().settings
    t = web.translator()
    with web.transaction() as db:
        workshop = db.get(Workshop, workshop_id)
        if workshop is None:
            abort(404)
        if request.method == "POST":
            result = checkin.check_in(
                db, request.form.get("code", ""), secret_key=settings.secret_key, workshop_id=workshop_id
            )
            level, msgid = _CHECKIN_MESSAGES[result.outcome]
            name = ""
            if result.booking is not None:
                found = checkin.attendees(db, workshop_id, search=result.booking.code)
                name = _name(found[0]) if found else result.booking.code
                if result.outcome == checkin.CheckinOutcome.CHECKED_IN:
                    auth.audit(db, "booking.checkin", f"booking:{result.booking.id}", result.booking.code)
            flash(
                t(msgid, name=name, when=web.local_time(result.booking.checked_in_at if result.booking else None)),
                level,
            )
            return redirect(url_for("console.checkin", workshop_id=workshop_id, q=request.args.get("q", "")))
        q = request.args.get("q", "").strip()
        found = checkin.attendees(db, workshop_id, status=BookingStatus.CONFIRMED, search=q or None)
        arrived = workshop_admin.checked_in_count(db, workshop_id)
    return web.page("checkin.html", w=workshop, found=found, q=q, arrived=arrived)


def _name(attendee: checkin.Attendee) -> str:
    return attendee.enterprise_name or attendee.contact_name or attendee.booking.code


@auth.requires(*STAFF)
def attendance_csv(workshop_id: int) -> Response:
    with web.transaction() as db:
        workshop = db.get(Workshop, workshop_id)
        if workshop is None:
            abort(404)
        rows = [
            [
                a.booking.code,
                a.booking.status,
                a.booking.seats,
                a.enterprise_name,
                a.contact_name,
                a.booking.created_at.isoformat(),
                a.booking.checked_in_at.isoformat() if a.booking.checked_in_at else "",
            ]
            for a in checkin.attendees(db, workshop_id)
        ]
        auth.audit(db, "workshop.export_attendance", f"workshop:{workshop_id}", f"{len(rows)} rows")
    header = ("booking_code", "status", "seats", "enterprise_name", "contact_name", "booked_at", "checked_in_at")
    return exports.csv_response(f"attendance-{workshop.code}.csv", header, rows)


@auth.requires(*STAFF)
def survey_csv(workshop_id: int) -> Response:
    """Each rating with its comment, anonymous (formula-like cells defused by `exports`)."""
    with web.transaction() as db:
        workshop = db.get(Workshop, workshop_id)
        if workshop is None:
            abort(404)
        rows = surveys.csv_rows(db, workshop_id)
        auth.audit(db, "workshop.export_survey", f"workshop:{workshop_id}", f"{len(rows)} rows")
    return exports.csv_response(f"survey-{workshop.code}.csv", ("rated_at", "rating", "comment"), rows)


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/workshops", "workshops", list_workshops)
    bp.add_url_rule("/workshops/new", "new_workshop", new_workshop, methods=["GET", "POST"])
    bp.add_url_rule("/workshops/<int:workshop_id>", "workshop", show_workshop)
    bp.add_url_rule("/workshops/<int:workshop_id>/edit", "edit_workshop", edit_workshop, methods=["GET", "POST"])
    bp.add_url_rule(
        "/workshops/<int:workshop_id>/<any(close,reopen,cancel):action>",
        "workshop_status",
        change_status,
        methods=["POST"],
    )
    bp.add_url_rule("/workshops/<int:workshop_id>/checkin", "checkin", checkin_page, methods=["GET", "POST"])
    bp.add_url_rule("/workshops/<int:workshop_id>/attendance.csv", "attendance_csv", attendance_csv)
    bp.add_url_rule("/workshops/<int:workshop_id>/survey.csv", "survey_csv", survey_csv)
