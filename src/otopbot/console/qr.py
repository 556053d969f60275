"""GET /qr/<booking code>.png: the check-in QR code the bot sends with each confirmed booking.

The image encodes a signed token (see `otopbot.services.checkin`), so only codes we issued pass
the door scanner. LINE fetches the image itself, so the route is public; it answers only for
bookings that exist and are not cancelled, and is cached privately by the phone.
"""

from __future__ import annotations

import io

import segno
from flask import Blueprint, Response, abort
from sqlalchemy import select

from otopbot import runtime
from otopbot.models import Booking, BookingStatus
from otopbot.services.checkin import token_for


def qr_png(secret_key: str, booking_code: str, scale: int = 10) -> bytes:
    """The PNG bytes of a booking's check-in QR code."""
    buffer = io.BytesIO()
    segno.make(token_for(secret_key, booking_code), error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def booking_qr(booking_code: str) -> Response:
    rt = runtime.current()
    if len(booking_code) > 16:
        abort(404)
    with rt.database.transaction() as db:
        booking = db.scalar(select(Booking).where(Booking.code == booking_code))
        if booking is None or booking.status == BookingStatus.CANCELLED:
            abort(404)
    return Response(
        qr_png(rt.settings.secret_key, booking_code),
        mimetype="image/png",
        headers={"Cache-Control": "private, max-age=86400"},
    )


def make_qr_blueprint() -> Blueprint:
    """The public routes LINE (or anyone) fetches without signing in: check-in QR and certificates."""
    from otopbot.console import verify

    bp = Blueprint("qr", __name__)
    bp.add_url_rule("/qr/<booking_code>.png", "booking_qr", booking_qr)
    verify.register(bp)
    return bp
