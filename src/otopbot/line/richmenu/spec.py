"""The rich menu as data: read bot/richmenu/richmenu.yml into a typed, checked `MenuSpec`.

Every area's postback must be one the dialogue answers (`otopbot.postbacks`); a bad file raises
ContentError naming the file and the problem. `request_dict` is the menu as LINE's JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from otopbot.errors import ContentError
from otopbot.postbacks import Unknown
from otopbot.postbacks import parse as parse_postback

MENU_FILE = Path("richmenu") / "richmenu.yml"  # the default menu: leads with registration
REGISTERED_MENU_FILE = Path("richmenu") / "registered.yml"  # linked per user once they registered
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
        elif isinstance(parse_postback(area.data), Unknown):
            problems.append(f"areas[{i}].data: {area.data!r} is not a postback the bot answers")
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
            for area, (x, y, w, h) in zip(spec.areas, spec.bounds(), strict=False)
        ],
    }
