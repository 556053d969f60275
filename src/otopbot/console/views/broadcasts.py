"""Announcements: compose (text or a workshop card), pick the audience, preview, send now or later.

The count and the preview come from the same audience query and payload that sending uses. Before
anything is queued the month's remaining LINE quota is read through `quota_lookup`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from werkzeug.wrappers import Response

from otopbot import cards, clock, runtime
from otopbot.console import auth, labels, web
from otopbot.db import utcnow
from otopbot.i18n import LANGUAGES, N_, Translator
from otopbot.models import Broadcast, StaffRole, Workshop, WorkshopStatus
from otopbot.services import attribution, broadcasts, selection, workshop_admin

QuotaLookup = Callable[[], "int | None"]
SENDERS = (StaffRole.DSS, StaffRole.DIP)


class ComposeError(ValueError):
    """The form cannot become a broadcast; the message is an msgid."""


def _audience(form: Any) -> dict[str, str]:
    """The filters; a workshop announcement leaves out who already booked it unless unticked."""
    audience = broadcasts.clean_audience({k: form.get(k, "") for k in broadcasts.AUDIENCE_KEYS if k != "not_booked"})
    ticked = form.getlist("leave_out_booked")  # a hidden "0" comes before the box's "1"
    if (
        form.get("kind") == "workshop"
        and str(form.get("workshop_id", "")).isdecimal()
        and ("1" in ticked or not ticked)
    ):
        audience["not_booked"] = str(form.get("workshop_id"))
    return audience


def _left_out(db: Any, audience: dict[str, str], count: int) -> int | None:
    """How many followers the audience would have without leaving out those already booked."""
    if "not_booked" not in audience:
        return None
    everyone = {k: v for k, v in audience.items() if k != "not_booked"}
    return broadcasts.count_recipients(db, everyone) - count


def _payload(form: Any) -> tuple[str, list[dict[str, Any]], int | None]:
    """(title, payload, workshop id) from the compose form."""
    settings = runtime.current().settings
    if form.get("kind") == "workshop":
        try:
            workshop_id = int(form.get("workshop_id", ""))
        except ValueError:
            raise ComposeError(N_("Choose a workshop to announce.")) from None
        with web.transaction() as db:
            workshop = db.get(Workshop, workshop_id)
        if workshop is None:
            raise ComposeError(N_("Choose a workshop to announce."))
        note = form.get("text_th", "")[:300]
        translators = [Translator(settings.locales_dir, lang) for lang in LANGUAGES]
        return workshop.title, cards.workshop_announcement(workshop, translators, note), workshop.id
    text_th, text_en = form.get("text_th", "").strip(), form.get("text_en", "").strip()
    try:
        broadcasts.check_text(text_th, text_en)
    except broadcasts.BroadcastError as error:
        raise ComposeError(str(error)) from None
    title = form.get("title", "").strip() or text_th.splitlines()[0][:80]
    return title, broadcasts.text_payload(text_th, text_en or None), None


def _when(form: Any) -> datetime | None:
    if form.get("timing") != "later":
        return None
    try:
        at = clock.parse_form_datetime(form.get("scheduled_at", ""))
    except ValueError:
        raise ComposeError(N_("Give the sending date and time.")) from None
    try:
        broadcasts.check_send_time(at, utcnow())
    except broadcasts.BroadcastError as error:
        raise ComposeError(str(error)) from None
    return at


def _compose_context() -> dict[str, Any]:
    with web.transaction() as db:
        open_workshops = workshop_admin.listing(db, status=WorkshopStatus.OPEN)
        provinces = selection.distinct_values(db, "province")
    return {
        "workshops": open_workshops,
        "provinces": provinces,
        "regions": sorted(labels.REGIONS),
        "values": request.form if request.method == "POST" else {},
    }


def register(bp: Blueprint, quota_lookup: QuotaLookup) -> None:
    """Add the broadcast pages; `quota_lookup` tells how many LINE messages are left this month."""

    @auth.requires(*SENDERS)
    def list_broadcasts() -> str:
        with web.transaction() as db:
            broadcasts.finish_sent(db, utcnow())
            rows = [(b, broadcasts.progress(db, b)) for b in broadcasts.recent(db)]
        return web.page("broadcasts.html", rows=rows)

    @auth.requires(*SENDERS)
    def compose() -> Response | str | tuple[str, int]:
        """GET shows the form; POST with action=preview counts and previews; action=send queues it."""
        t = web.translator()
        if request.method == "GET":
            return web.page("broadcast_form.html", **_compose_context())
        context = _compose_context()
        try:
            title, payload, workshop_id = _payload(request.form)
            at = _when(request.form)
        except ComposeError as error:
            return web.page("broadcast_form.html", error=t(str(error)), **context), 400
        audience = _audience(request.form)
        with web.transaction() as db:
            count = broadcasts.count_recipients(db, audience)
            left_out = _left_out(db, audience, count)
        preview = {part["lang"]: broadcasts.replies_for(Broadcast(payload=payload), part["lang"]) for part in payload}
        if request.form.get("action") != "send":
            return web.page("broadcast_form.html", count=count, left_out=left_out, preview=preview, **context)
        if count == 0:
            return web.page(
                "broadcast_form.html",
                count=count,
                preview=preview,
                error=t("No one matches this audience. Change the filters."),
                **context,
            ), 400
        try:
            remaining = broadcasts.check_quota(count, quota_lookup)
        except broadcasts.BroadcastError:
            return web.page(
                "broadcast_form.html",
                count=count,
                preview=preview,
                error=t(
                    "This audience ({n} people) is larger than the LINE messages left this month. "
                    "Narrow the audience or wait for next month.",
                    n=count,
                ),
                **context,
            ), 409
        with web.transaction() as db:
            broadcast = broadcasts.create(
                db,
                title=title,
                payload=payload,
                audience=audience,
                created_by=g.staff.username,
                workshop_id=workshop_id,
                scheduled_at=at,
            )
            if at is None:
                broadcasts.send_now(db, broadcast.id)
            auth.audit(
                db,
                "broadcast.send" if at is None else "broadcast.schedule",
                f"broadcast:{broadcast.id}",
                f"audience={audience} recipients={count} quota_left={remaining}",
            )
            broadcast_id = broadcast.id
        flash(
            t("The announcement is on its way to {n} people.", n=count)
            if at is None
            else t("The announcement will be sent at {when}.", when=web.local_time(at)),
            "ok",
        )
        return redirect(url_for("console.broadcast", broadcast_id=broadcast_id))

    @auth.requires(*SENDERS)
    def show_broadcast(broadcast_id: int) -> str:
        with web.transaction() as db:
            broadcasts.finish_sent(db, utcnow())
            broadcast = db.get(Broadcast, broadcast_id)
            if broadcast is None:
                abort(404)
            figures = broadcasts.progress(db, broadcast)
            achieved = attribution.for_broadcast(db, broadcast)
        preview = {part["lang"]: broadcasts.replies_for(broadcast, part["lang"]) for part in broadcast.payload}
        return web.page("broadcast.html", b=broadcast, p=figures, preview=preview, achieved=achieved)

    @auth.requires(*SENDERS)
    def cancel_broadcast(broadcast_id: int) -> Response:
        t = web.translator()
        with web.transaction() as db:
            done = broadcasts.cancel(db, broadcast_id)
            if done:
                auth.audit(db, "broadcast.cancel", f"broadcast:{broadcast_id}")
        flash(
            t("The announcement was cancelled.") if done else t("Too late to cancel: it is already being sent."),
            "ok" if done else "error",
        )
        return redirect(url_for("console.broadcast", broadcast_id=broadcast_id))

    bp.add_url_rule("/broadcasts", "broadcasts", list_broadcasts)
    bp.add_url_rule("/broadcasts/new", "new_broadcast", compose, methods=["GET", "POST"])
    bp.add_url_rule("/broadcasts/<int:broadcast_id>", "broadcast", show_broadcast)
    bp.add_url_rule("/broadcasts/<int:broadcast_id>/cancel", "cancel_broadcast", cancel_broadcast, methods=["POST"])
