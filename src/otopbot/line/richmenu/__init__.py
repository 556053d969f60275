"""The bot's rich menu: `spec` (YAML → typed, checked), `image` (Pillow drawing), `deploy` (API calls).

The image is generated rather than hand-drawn so that staff change a label in YAML and redeploy.
"""

from otopbot.line.richmenu.deploy import build_request, deploy
from otopbot.line.richmenu.image import MAX_IMAGE_BYTES, image_content_type, render_png
from otopbot.line.richmenu.spec import ICONS, MENU_FILE, MenuArea, MenuSpec, load_spec, request_dict

__all__ = ["ICONS", "MAX_IMAGE_BYTES", "MENU_FILE", "MenuArea", "MenuSpec", "build_request", "deploy",
           "image_content_type", "load_spec", "render_png", "request_dict"]
