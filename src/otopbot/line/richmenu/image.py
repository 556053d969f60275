"""The rich menu's image, drawn from its spec with Pillow (no hand-drawn artwork to keep in step).

Thai labels are drawn with Sarabun (OFL), installed from PyPI as `fontpkg-sarabun`, through
Pillow's libraqm layout so tone marks and vowels stack correctly.
"""

from __future__ import annotations

import math
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

from otopbot.errors import ConfigError
from otopbot.line.richmenu.spec import MenuSpec

MAX_IMAGE_BYTES = 1024 * 1024


def _font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    try:
        import fontpkg_sarabun
    except ImportError as exc:  # a missing dependency, not a content problem
        raise ConfigError("the Thai font package is missing: pip install fontpkg-sarabun") from exc
    return ImageFont.truetype(str(fontpkg_sarabun.ROOT / "files" / f"Sarabun-{weight}.ttf"), size)


def _fit(draw: ImageDraw.ImageDraw, text: str, weight: str, size: int, max_width: int) -> ImageFont.FreeTypeFont:
    """The largest font (from `size` down) whose rendering of `text` fits in `max_width`."""
    while size > 20:
        font = _font(weight, size)
        if draw.textlength(text, font=font) <= max_width:
            return font
        size -= 4
    return _font(weight, size)


def _draw_icon(draw: ImageDraw.ImageDraw, icon: str, cx: int, cy: int, r: int, color: str) -> None:
    """Simple pictograms drawn in white on a coloured disc (no icon font needed)."""
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=color)
    s, w = r * 0.5, max(6, r // 8)
    white = "#FFFFFF"
    if icon == "pencil":
        a = math.radians(-45)
        dx, dy = math.cos(a), math.sin(a)
        px_, py_ = -dy, dx
        half = r * 0.14
        tip = (cx - dx * s * 1.2, cy - dy * s * 1.2)
        back = (cx + dx * s * 1.1, cy + dy * s * 1.1)
        base = (cx - dx * s * 0.75, cy - dy * s * 0.75)
        draw.polygon(
            [
                (back[0] + px_ * half, back[1] + py_ * half),
                (back[0] - px_ * half, back[1] - py_ * half),
                (base[0] - px_ * half, base[1] - py_ * half),
                tip,
                (base[0] + px_ * half, base[1] + py_ * half),
            ],
            fill=white,
        )
    elif icon == "calendar":
        box = (cx - s, cy - s * 0.8, cx + s, cy + s)
        draw.rounded_rectangle(box, radius=r // 10, outline=white, width=w)
        draw.rectangle((cx - s, cy - s * 0.8, cx + s, cy - s * 0.35), fill=white)
        for gx in (-0.5, 0, 0.5):
            for gy in (0.05, 0.55):
                x, y = cx + gx * s, cy + gy * s
                draw.rectangle((x - w * 0.7, y - w * 0.7, x + w * 0.7, y + w * 0.7), fill=white)
    elif icon == "check":
        draw.line(
            [(cx - s, cy), (cx - s * 0.25, cy + s * 0.7), (cx + s, cy - s * 0.75)],
            fill=white,
            width=int(w * 1.6),
            joint="curve",
        )
    elif icon == "chat":
        draw.rounded_rectangle((cx - s * 1.1, cy - s * 0.8, cx + s * 1.1, cy + s * 0.6), radius=r // 4, fill=white)
        draw.polygon(
            [(cx - s * 0.5, cy + s * 0.5), (cx - s * 0.7, cy + s * 1.1), (cx, cy + s * 0.5)],
            fill=white,
        )
        for gx in (-0.55, 0, 0.55):
            x = cx + gx * s
            draw.ellipse((x - w, cy - s * 0.1 - w, x + w, cy - s * 0.1 + w), fill=color)
    else:
        glyph = "?" if icon == "question" else "ก/A"
        font = _fit(draw, glyph, "Bold", int(r * (1.3 if icon == "question" else 0.8)), int(r * 1.5))
        draw.text((cx, cy), glyph, font=font, fill=white, anchor="mm")


def render_png(spec: MenuSpec) -> bytes:
    """Draw the menu image (exactly spec.width x spec.height) and return PNG bytes (< 1 MB)."""
    image = Image.new("RGB", (spec.width, spec.height), spec.background)
    draw = ImageDraw.Draw(image)
    for area, (x, y, w, h) in zip(spec.areas, spec.bounds(), strict=False):
        pad = max(8, w // 60)
        draw.rounded_rectangle(
            (x + pad, y + pad, x + w - pad, y + h - pad),
            radius=w // 16,
            fill="#FFFFFF",
            outline="#DDE3DA",
            width=4,
        )
        cx, radius = x + w // 2, int(min(w, h) * 0.2)
        cy = y + int(h * 0.34)
        _draw_icon(draw, area.icon, cx, cy, radius, area.color)
        th_font = _fit(draw, area.label_th, "Bold", int(h * 0.12), w - 6 * pad)
        en_font = _fit(draw, area.label_en, "Regular", int(h * 0.075), w - 6 * pad)
        draw.text((cx, y + int(h * 0.68)), area.label_th, font=th_font, fill="#1F2D3D", anchor="mm")
        draw.text((cx, y + int(h * 0.83)), area.label_en, font=en_font, fill="#5B6B7A", anchor="mm")
    buffer = BytesIO()
    image.save(buffer, "PNG", optimize=True)
    data = buffer.getvalue()
    if len(data) > MAX_IMAGE_BYTES:  # photos would be JPEG; flat artwork stays far below this
        buffer = BytesIO()
        image.save(buffer, "JPEG", quality=85)
        data = buffer.getvalue()
    return data


def image_content_type(data: bytes) -> str:
    return "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
