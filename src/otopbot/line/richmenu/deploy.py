"""Publish the rich menu through the Messaging API: create it, upload its image, make it the default.

A LINE menu's image cannot be replaced, so `deploy` always creates a new menu. Only this package
imports linebot.
"""

from __future__ import annotations

from typing import Any

from otopbot.errors import ConfigError, LineApiError
from otopbot.line.richmenu.image import image_content_type, render_png
from otopbot.line.richmenu.spec import REGISTERED_MENU_FILE, MenuSpec, load_spec, request_dict
from otopbot.settings import LINE_DEFAULT_API, Settings


def build_request(spec: MenuSpec) -> Any:
    """The line-bot-sdk `RichMenuRequest` (only this package imports linebot)."""
    from linebot.v3.messaging import RichMenuRequest

    return RichMenuRequest.from_dict(request_dict(spec))


def deploy_stages(settings: Settings, access_token: str | None = None) -> dict[str, str]:
    """Deploy both menus: the default one (newcomers) and the one linked to registered owners."""
    newcomer = deploy(settings, access_token)
    registered = deploy(
        settings, access_token, load_spec(settings.content_dir, REGISTERED_MENU_FILE), make_default=False
    )
    return {"newcomer": newcomer, "registered": registered}


def deploy(
    settings: Settings,
    access_token: str | None = None,
    spec: MenuSpec | None = None,
    make_default: bool = True,
) -> str:
    """Create the menu, upload its image and make it every user's default; returns the richMenuId."""
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
    host = None if settings.line_api_base_url.rstrip("/") == LINE_DEFAULT_API else settings.line_api_base_url
    timeout = (3.05, settings.line_timeout_seconds)
    try:
        with ApiClient(Configuration(host=host, access_token=token)) as client:
            api, blob = MessagingApi(client), MessagingApiBlob(client)
            menu_id: str = api.create_rich_menu(build_request(spec), _request_timeout=timeout).rich_menu_id
            blob.set_rich_menu_image(
                menu_id,
                body=image,
                _headers={"Content-Type": image_content_type(image)},
                _request_timeout=timeout,
            )
            if make_default:
                api.set_default_rich_menu(menu_id, _request_timeout=timeout)
    except ApiException as exc:
        raise LineApiError(f"rich menu deploy failed: HTTP {exc.status}", exc.status, exc.body or "") from exc
    except HTTPError as exc:
        raise LineApiError(f"rich menu deploy failed: {type(exc).__name__}") from exc
    return menu_id
