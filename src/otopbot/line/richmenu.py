"""The bot's rich menu: read bot/richmenu/richmenu.yml, draw its image, deploy it to LINE.

The image is generated rather than hand-drawn so that staff change a label in YAML and redeploy.
Thai labels are drawn with Sarabun (OFL), installed from PyPI as `fontpkg-sarabun`, through
Pillow's libraqm layout so tone marks and vowels stack correctly. A LINE menu's image cannot be
replaced, so `deploy` always creates a new menu, uploads the image, and then makes it the default.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import yaml
from PIL import Image, ImageDraw, ImageFont

from otopbot.errors import ConfigError, ContentError, LineApiError
from otopbot.settings import LINE_DEFAULT_API, Settings

MENU_FILE = Path("richmenu") / "richmenu.yml"  # the default menu: leads with registration
REGISTERED_MENU_FILE = Path("richmenu") / "registered.yml"  # linked per user once they registered
MAX_IMAGE_BYTES = 1024 * 1024
ICONS = ("pencil", "calendar", "check", "question", "chat", "language")


@dataclass(frozen=True, slots=True)
class MenuArea:
    data: str
    label_th: str
    label_en: str
    display_text: str
    icon: str
    color: str


@dataclass(frozen=True, slots=True)
class MenuSpec:
    name: str
    chat_bar_text: str
    selected: bool
    width: int
    height: int
    columns: int
    rows: int
    background: str
    areas: tuple[MenuArea, ...]

    def bounds(self) -> list[tuple[int, int, int, int]]:
        """(x, y, width, height) of each area, a grid that covers the whole image exactly."""
        cells = []
        for index in range(len(self.areas)):
            col, row = index % self.columns, index // self.columns
            x0, x1 = self.width * col // self.columns, self.width * (col + 1) // self.columns
            y0, y1 = self.height * row // self.rows, self.height * (row + 1) // self.rows
            cells.append((x0, y0, x1 - x0, y1 - y0))
        return cells


def load_spec(content_dir: Path, menu_file: Path = MENU_FILE) -> MenuSpec:
    path = content_dir / menu_file
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        areas = tuple(
            MenuArea(
                str(a["data"]),
                str(a["label_th"]),
                str(a["label_en"]),
                str(a.get("display_text") or a["label_th"]),
                str(a["icon"]),
                str(a["color"]),
            )
            for a in raw["areas"]
        )
        spec = MenuSpec(
            name=str(raw["name"]),
            chat_bar_text=str(raw["chat_bar_text"]),
            selected=bool(raw["selected"]),
            width=int(raw["size"]["width"]),
            height=int(raw["size"]["height"]),
            columns=int(raw["columns"]),
            rows=int(raw["rows"]),
            background=str(raw.get("background", "#FFFFFF")),
            areas=areas,
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise ContentError(f"{path}: {type(exc).__name__}: {exc}") from exc
    _check(spec, path)
    return spec


def _check(spec: MenuSpec, path: Path) -> None:
    problems = []
    if len(spec.areas) != spec.columns * spec.rows:
        problems.append(f"areas: {len(spec.areas)} areas for a {spec.columns}x{spec.rows} grid")
    if not 1 <= len(spec.chat_bar_text) <= 14:
        problems.append("chat_bar_text: must be 1-14 characters")
    if not 800 <= spec.width <= 2500 or spec.height < 250 or spec.width / spec.height < 1.45:
        problems.append("size: width 800-2500, height >= 250, width/height >= 1.45")
    for i, area in enumerate(spec.areas):
        if area.icon not in ICONS:
            problems.append(f"areas[{i}].icon: {area.icon!r} is not one of {', '.join(ICONS)}")
        if not area.data or len(area.data) > 300 or len(area.display_text) > 300:
            problems.append(f"areas[{i}]: data and display_text must be 1-300 characters")
    if problems:
        raise ContentError(f"{path}: " + "; ".join(problems))


def request_dict(spec: MenuSpec) -> dict[str, Any]:
    """The RichMenuRequest JSON (camelCase) for this menu."""
    return {
        "size": {"width": spec.width, "height": spec.height},
        "selected": spec.selected,
        "name": spec.name,
        "chatBarText": spec.chat_bar_text,
        "areas": [
            {
                "bounds": {"x": x, "y": y, "width": w, "height": h},
                "action": {
                    "type": "postback",
                    "label": area.label_en[:20],
                    "data": area.data,
                    "displayText": area.display_text,
                },
            }
            for area, (x, y, w, h) in zip(spec.areas, spec.bounds())
        ],
    }


def build_request(spec: MenuSpec) -> Any:
    """The line-bot-sdk `RichMenuRequest` (only this package imports linebot)."""
    from linebot.v3.messaging import RichMenuRequest

    return RichMenuRequest.from_dict(request_dict(spec))


# ---- drawing ----------------------------------------------------------------------------------


def _font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    try:
        import fontpkg_sarabun
    except ImportError as exc:  # a missing dependency, not a content problem
        raise ConfigError("the Thai font package is missing: pip install fontpkg-sarabun") from exc
    return ImageFont.truetype(str(fontpkg_sarabun.ROOT / "files" / f"Sarabun-{weight}.ttf"), size)


def _fit(
    draw: ImageDraw.ImageDraw, text: str, weight: str, size: int, max_width: int
) -> ImageFont.FreeTypeFont:
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
        draw.rounded_rectangle(
            (cx - s * 1.1, cy - s * 0.8, cx + s * 1.1, cy + s * 0.6), radius=r // 4, fill=white
        )
        draw.polygon(
            [(cx - s * 0.5, cy + s * 0.5), (cx - s * 0.7, cy + s * 1.1), (cx, cy + s * 0.5)],
            fill=white,
        )
        for gx in (-0.55, 0, 0.55):
            x = cx + gx * s
            draw.ellipse((x - w, cy - s * 0.1 - w, x + w, cy - s * 0.1 + w), fill=color)
    else:
        glyph = "?" if icon == "question" else "ก/A"
        font = _fit(
            draw, glyph, "Bold", int(r * (1.3 if icon == "question" else 0.8)), int(r * 1.5)
        )
        draw.text((cx, cy), glyph, font=font, fill=white, anchor="mm")


def render_png(spec: MenuSpec) -> bytes:
    """Draw the menu image (exactly spec.width x spec.height) and return PNG bytes (< 1 MB)."""
    image = Image.new("RGB", (spec.width, spec.height), spec.background)
    draw = ImageDraw.Draw(image)
    for area, (x, y, w, h) in zip(spec.areas, spec.bounds()):
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


# ---- deploying --------------------------------------------------------------------------------


def deploy_stages(settings: Settings, access_token: str | None = None) -> dict[str, str]:
    """Deploy both menus: the default one (newcomers) and the one linked to registered owners."""
    newcomer = deploy(settings, access_token)
    registered = deploy(settings, access_token, load_spec(settings.content_dir, REGISTERED_MENU_FILE),
                        make_default=False)
    return {"newcomer": newcomer, "registered": registered}


def deploy(
    settings: Settings, access_token: str | None = None, spec: MenuSpec | None = None,
    make_default: bool = True,
) -> str:
    """Create the menu, upload its image and (unless told not to) make it every user's default."""
    from linebot.v3.messaging import (
        ApiClient,
        ApiException,
        Configuration,
        MessagingApi,
        MessagingApiBlob,
    )
    from urllib3.exceptions import HTTPError

    token = access_token or settings.line_channel_access_token
    if not token:
        raise ConfigError("LINE_CHANNEL_ACCESS_TOKEN is required to deploy the rich menu")
    spec = spec or load_spec(settings.content_dir)
    image = render_png(spec)
    # host=None lets the SDK use api.line.me and api-data.line.me (the image upload host) itself;
    # any other base URL (the simulator, a proxy) receives every call.
    host = (
        None
        if settings.line_api_base_url.rstrip("/") == LINE_DEFAULT_API
        else settings.line_api_base_url
    )
    timeout = (3.05, settings.line_timeout_seconds)
    try:
        with ApiClient(Configuration(host=host, access_token=token)) as client:
            api, blob = MessagingApi(client), MessagingApiBlob(client)
            menu_id: str = api.create_rich_menu(
                build_request(spec), _request_timeout=timeout
            ).rich_menu_id
            blob.set_rich_menu_image(
                menu_id,
                body=image,
                _headers={"Content-Type": image_content_type(image)},
                _request_timeout=timeout,
            )
            if make_default:
                api.set_default_rich_menu(menu_id, _request_timeout=timeout)
    except ApiException as exc:
        raise LineApiError(
            f"rich menu deploy failed: HTTP {exc.status}", exc.status, exc.body or ""
        ) from exc
    except HTTPError as exc:
        raise LineApiError(f"rich menu deploy failed: {type(exc).__name__}") from exc
    return menu_id
