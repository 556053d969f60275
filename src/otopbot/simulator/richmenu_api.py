"""The fake rich-menu API the bot's deploy uses: create, upload the image, set (and read) the default.

It enforces LINE's documented limits (size 800–2500 × ≥250, ratio ≥1.45, ≤20 areas inside the
image, chatBarText ≤14, image JPEG/PNG ≤1 MB and exactly the menu's size, one upload only) so
`otopbot richmenu deploy` fails here the way it would fail against LINE.
"""

from __future__ import annotations

import secrets
from io import BytesIO
from typing import Any

from flask import request
from PIL import Image, UnidentifiedImageError

from otopbot.simulator.api import ApiRoute, Call, Result, bad_json, json_body
from otopbot.simulator.state import RichMenu, SimulatorState
from otopbot.simulator.validation import error_body, validate_action

MAX_IMAGE_BYTES = 1024 * 1024
NOT_FOUND = {"message": "Not found"}


def validate_rich_menu(menu: dict[str, Any]) -> list[dict[str, str]]:
    errors: list[dict[str, str]] = []
    size = menu.get("size") or {}
    width, height = size.get("width"), size.get("height")
    if not isinstance(width, int) or not 800 <= width <= 2500:
        errors.append({"message": "must be between 800 and 2500", "property": "size.width"})
    if not isinstance(height, int) or height < 250:
        errors.append({"message": "must be at least 250", "property": "size.height"})
    elif isinstance(width, int) and width / height < 1.45:
        errors.append({"message": "width/height must be at least 1.45", "property": "size"})
    if not isinstance(menu.get("selected"), bool):
        errors.append({"message": "must be specified", "property": "selected"})
    name, bar = menu.get("name"), menu.get("chatBarText")
    if not isinstance(name, str) or not 1 <= len(name) <= 300:
        errors.append({"message": "Length must be between 1 and 300", "property": "name"})
    if not isinstance(bar, str) or not 1 <= len(bar) <= 14:
        errors.append({"message": "Length must be between 1 and 14", "property": "chatBarText"})
    areas = menu.get("areas")
    if not isinstance(areas, list) or not 1 <= len(areas) <= 20:
        errors.append({"message": "Size must be between 1 and 20", "property": "areas"})
        return errors
    for i, area in enumerate(areas):
        errors += _area_errors(area, f"areas[{i}]", width, height)
    return errors


def _area_errors(area: Any, prop: str, width: Any, height: Any) -> list[dict[str, str]]:
    bounds = area.get("bounds") if isinstance(area, dict) else None
    if (
        not isinstance(bounds, dict)
        or not all(isinstance(bounds.get(k), int) for k in "xy")
        or not all(isinstance(bounds.get(k), int) and bounds[k] > 0 for k in ("width", "height"))
    ):
        return [{"message": "must have integer x, y, width, height", "property": f"{prop}.bounds"}]
    errors = []
    if (
        isinstance(width, int)
        and isinstance(height, int)
        and (
            bounds["x"] < 0
            or bounds["y"] < 0
            or bounds["x"] + bounds["width"] > width
            or bounds["y"] + bounds["height"] > height
        )
    ):
        errors.append({"message": "must be inside the rich menu", "property": f"{prop}.bounds"})
    return errors + validate_action(area.get("action"), f"{prop}.action", label_limit=20)


def create_rich_menu(state: SimulatorState, call: Call) -> Result:
    body = json_body()
    if body is None:
        return bad_json()
    errors = validate_rich_menu(body)
    if errors:
        return Result(400, error_body(errors))
    menu_id = "richmenu-" + secrets.token_hex(16)
    with state.lock:
        state.rich_menus[menu_id] = RichMenu(menu_id, body)
    return Result(200, {"richMenuId": menu_id})


def upload_rich_menu_image(state: SimulatorState, call: Call, menu_id: str) -> Result:
    with state.lock:
        menu = state.rich_menus.get(menu_id)
    if menu is None:
        return Result(404, NOT_FOUND)
    return _upload(state, menu)


def set_default(state: SimulatorState, call: Call, menu_id: str) -> Result:
    with state.lock:
        problem = _unusable(state, menu_id)
        if problem:
            return problem
        state.default_rich_menu = menu_id
    return Result(200, {})


def default_menu(state: SimulatorState, call: Call) -> Result:
    with state.lock:
        if state.default_rich_menu is None:
            return Result(404, {"message": "no default richmenu"})
        return Result(200, {"richMenuId": state.default_rich_menu})


def link_user(state: SimulatorState, call: Call, user_id: str, menu_id: str) -> Result:
    """A per-user menu (the bot links the registered owners' menu)."""
    with state.lock:
        problem = _unusable(state, menu_id)
        if problem:
            return problem
        state.user_rich_menus[user_id] = menu_id
    return Result(200, {})


def unlink_user(state: SimulatorState, call: Call, user_id: str) -> Result:
    with state.lock:
        state.user_rich_menus.pop(user_id, None)
    return Result(200, {})


RICH_MENU_ROUTES = (
    ApiRoute("/v2/bot/richmenu", create_rich_menu),
    ApiRoute("/v2/bot/richmenu/<menu_id>/content", upload_rich_menu_image),
    ApiRoute("/v2/bot/user/all/richmenu/<menu_id>", set_default),
    ApiRoute("/v2/bot/user/all/richmenu", default_menu, methods=("GET",)),
    ApiRoute("/v2/bot/user/<user_id>/richmenu/<menu_id>", link_user),
    ApiRoute("/v2/bot/user/<user_id>/richmenu", unlink_user, methods=("DELETE",)),
)


def _unusable(state: SimulatorState, menu_id: str) -> Result | None:
    menu = state.rich_menus.get(menu_id)
    if menu is None:
        return Result(404, {"message": "richmenu not found"})
    if menu.image is None:
        return Result(400, {"message": "must upload richmenu image before applying it to user"})
    return None


def _upload(state: SimulatorState, menu: RichMenu) -> Result:
    content_type = (request.content_type or "").split(";")[0].strip().lower()
    if content_type not in ("image/png", "image/jpeg"):
        return Result(415, {"message": "Unsupported Media Type (image/jpeg or image/png only)"})
    data = request.get_data()
    if len(data) > MAX_IMAGE_BYTES:
        return Result(413, {"message": "Request Entity Too Large (the image must be at most 1 MB)"})
    try:
        with Image.open(BytesIO(data)) as image:
            size, fmt = image.size, image.format
    except (UnidentifiedImageError, OSError):
        return Result(400, {"message": "The image could not be read"})
    if fmt not in ("PNG", "JPEG"):
        return Result(400, {"message": "The image must be JPEG or PNG"})
    wanted = (menu.request["size"]["width"], menu.request["size"]["height"])
    if size != wanted:
        return Result(
            400,
            {"message": f"image size {size[0]}x{size[1]} does not match the rich menu size {wanted[0]}x{wanted[1]}"},
        )
    with state.lock:
        if menu.image is not None:
            return Result(400, {"message": "An image has already been uploaded to the richmenu"})
        menu.image, menu.content_type = data, content_type
    return Result(200, {})
