"""The certificate drawn with Pillow: Sarabun (the rich menu's font), the two departments, the names,
the workshop, its date in the Buddhist era, the verification code and a QR of the verification address.

Flat colours and a PNG keep it well under LINE's 1 MB preview limit; the preview is a half-size copy.
"""

from __future__ import annotations

import io
from functools import lru_cache

import segno
from PIL import Image, ImageDraw, ImageFont

from otopbot.clock import day
from otopbot.i18n import Translator
from otopbot.models import Certificate

WIDTH, HEIGHT = 1600, 1130
INK, ACCENT, MUTED, PAPER = "#1d2b44", "#2f6db5", "#5a6473", "#fffdf6"


@lru_cache(maxsize=64)
def _font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    import fontpkg_sarabun

    return ImageFont.truetype(str(fontpkg_sarabun.ROOT / "files" / f"Sarabun-{weight}.ttf"), size)


def _centred(draw: ImageDraw.ImageDraw, y: int, text: str, weight: str, size: int, fill: str) -> None:
    """One line centred across the page, shrunk until it fits inside the border."""
    font = _font(weight, size)
    while draw.textlength(text, font=font) > WIDTH - 260 and size > 24:
        size -= 4
        font = _font(weight, size)
    draw.text((WIDTH / 2, y), text, font=font, fill=fill, anchor="ma")


def _qr(url: str, size: int) -> Image.Image:
    """The QR at a whole number of pixels per module (no blurred or uneven modules), about `size` wide."""
    code = segno.make(url, error="m")
    modules = code.symbol_size(scale=1, border=2)[0]
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=max(2, size // modules), border=2)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")


def render(certificate: Certificate, verify_url: str, t: Translator, *, preview: bool = False) -> bytes:
    """The certificate as PNG bytes (half size for LINE's preview)."""
    page = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(page)
    draw.rectangle((30, 30, WIDTH - 30, HEIGHT - 30), outline=ACCENT, width=8)
    draw.rectangle((52, 52, WIDTH - 52, HEIGHT - 52), outline=INK, width=2)
    _centred(
        draw,
        110,
        t("Department of Science Service (DSS) · Department of Industrial Promotion (DIP)"),
        "Medium",
        36,
        MUTED,
    )
    _centred(draw, 190, t("Certificate of attendance"), "Bold", 84, ACCENT)
    _centred(draw, 330, t("This certifies that"), "Regular", 38, INK)
    _centred(draw, 395, certificate.enterprise_name or certificate.contact_name or "", "Bold", 64, INK)
    if certificate.enterprise_name and certificate.contact_name:
        _centred(draw, 485, certificate.contact_name, "Medium", 44, INK)
    _centred(draw, 565, t("attended the workshop"), "Regular", 38, INK)
    _centred(draw, 625, f"“{certificate.workshop_title}”", "SemiBold", 52, INK)
    _centred(draw, 715, day(certificate.workshop_date, t.lang), "Medium", 40, INK)
    qr = _qr(verify_url, 230)
    page.paste(qr, (WIDTH - 110 - qr.width, HEIGHT - 100 - qr.height))
    small = _font("Regular", 30)
    draw.text(
        (110, HEIGHT - 230), t("Verification code: {code}", code=certificate.code), font=_font("Bold", 40), fill=INK
    )
    draw.text((110, HEIGHT - 170), t("Check this certificate at"), font=small, fill=MUTED)
    draw.text((110, HEIGHT - 130), verify_url, font=small, fill=MUTED)
    if preview:
        page = page.resize((WIDTH // 2, HEIGHT // 2), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    page.save(buffer, format="PNG")
    return buffer.getvalue()
