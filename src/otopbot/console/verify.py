"""Public certificate pages: `GET /verify/<code>` (anyone checks a certificate) and its image for LINE.

No sign-in: an employer or a buyer who scans the QR must be able to check. The page shows what is
printed on the certificate and no more; a withdrawn certificate (its owner erased their data) says
so without the names; an unknown code is a 404. The image is served only for a certificate that
stands, because LINE fetches it by URL.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, abort, render_template, request

from otopbot import runtime
from otopbot.clock import day
from otopbot.i18n import LANGUAGES, Translator
from otopbot.models import Certificate
from otopbot.services import certificate_image, certificates

PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _verify_address(code: str) -> str:
    base = runtime.current().settings.public_base_url or request.host_url
    return certificates.verify_url(base, code) or ""


def verify(code: str) -> tuple[str, int, dict[str, str]]:
    settings = runtime.current().settings
    lang = request.args.get("lang", "th")
    t = Translator(settings.locales_dir, lang if lang in LANGUAGES else "th")
    with runtime.current().database.transaction() as db:
        certificate = certificates.by_code(db, code)
    if certificate is None:
        return render_template("console/verify.html", t=t, c=None, code=code[:16]), 404, PAGE_HEADERS
    date = day(certificate.workshop_date, t.lang)
    status = 410 if certificate.withdrawn_at else 200
    return (
        render_template("console/verify.html", t=t, c=certificate, date=date, code=certificate.code),
        status,
        PAGE_HEADERS,
    )


def certificate_png(code: str) -> Response:
    settings = runtime.current().settings
    with runtime.current().database.transaction() as db:
        certificate = certificates.by_code(db, code)
    if certificate is None or certificate.withdrawn_at is not None:
        abort(404)
    png = _drawn(
        str(settings.locales_dir),
        certificate.code,
        certificate.enterprise_name,
        certificate.contact_name,
        certificate.workshop_title,
        certificate.workshop_date,
        certificate.language,
        _verify_address(certificate.code),
        request.args.get("preview") == "1",
    )
    return Response(png, mimetype="image/png", headers={"Cache-Control": "private, max-age=3600"})


@lru_cache(maxsize=64)
def _drawn(
    locales_dir: str,
    code: str,
    enterprise: str | None,
    contact: str | None,
    title: str,
    date: datetime,
    language: str,
    verify_address: str,
    preview: bool,
) -> bytes:
    """Drawing takes a tenth of a second: a public URL must not let anyone make us redraw at will."""
    certificate = Certificate(
        code=code,
        enterprise_name=enterprise,
        contact_name=contact,
        workshop_title=title,
        workshop_date=date,
        language=language,
    )
    return certificate_image.render(
        certificate, verify_address, Translator(Path(locales_dir), language), preview=preview
    )


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/verify/<code>", "verify_certificate", verify)
    bp.add_url_rule("/certificates/<code>.png", "certificate_png", certificate_png)
