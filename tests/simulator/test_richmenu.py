"""The rich menu from bot/richmenu/richmenu.yml deploys to the simulator as LINE would take it."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from PIL import Image
from sim_harness import TOKEN, Sim

from otopbot.errors import LineApiError
from otopbot.line.richmenu import deploy, load_spec, render_png, request_dict
from otopbot.line.richmenu_commands import commands
from otopbot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
MENU_DATA = [
    "menu:register",
    "menu:workshops",
    "menu:my_bookings",
    "menu:standards",
    "menu:contact",
    "menu:language",
]


@pytest.fixture
def sim_settings(sim: Sim, tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        secret_key="x" * 32,
        line_channel_secret="s" * 32,
        line_channel_access_token=TOKEN,
        line_api_base_url=sim.url,
        content_dir=ROOT / "bot",
    )


def test_menu_image_is_valid_for_line() -> None:
    spec = load_spec(ROOT / "bot")
    data = render_png(spec)
    with Image.open(BytesIO(data)) as image:
        assert image.size == (2500, 1686) and image.format == "PNG" and len(data) < 1024 * 1024
    menu = request_dict(spec)
    assert [a["action"]["data"] for a in menu["areas"]] == MENU_DATA
    covered = sum(a["bounds"]["width"] * a["bounds"]["height"] for a in menu["areas"])
    assert covered == 2500 * 1686  # every pixel is tappable, no overlaps


def test_deploy_sets_the_default_menu(sim: Sim, sim_settings: Settings) -> None:
    menu_id = deploy(sim_settings)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    default = requests.get(f"{sim.url}/v2/bot/user/all/richmenu", headers=headers, timeout=5).json()
    assert default == {"richMenuId": menu_id}
    shown = sim.client.rich_menu()
    assert shown and shown["chatBarText"] == "เมนู · Menu"
    assert [a["action"]["data"] for a in shown["areas"]] == MENU_DATA
    image = requests.get(f"{sim.url}/_sim/{shown['image']}", timeout=5)
    assert Image.open(BytesIO(image.content)).size == (2500, 1686)


def test_deploy_failure_is_a_line_api_error(sim: Sim, sim_settings: Settings) -> None:
    sim.client.add_fault("/v2/bot/richmenu/*", status=500)
    with pytest.raises(LineApiError) as error:
        deploy(sim_settings)
    assert error.value.status == 500
    assert (
        requests.get(
            f"{sim.url}/v2/bot/user/all/richmenu",
            timeout=5,
            headers={"Authorization": f"Bearer {TOKEN}"},
        ).status_code
        == 404
    )


def test_simulator_rejects_what_line_rejects(sim: Sim) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    bad = {
        "size": {"width": 2500, "height": 2500},
        "selected": False,
        "name": "x",
        "chatBarText": "เมนูที่ยาวเกินสิบสี่ตัวอักษร",
        "areas": [],
    }
    response = requests.post(f"{sim.url}/v2/bot/richmenu", json=bad, headers=headers, timeout=5)
    assert response.status_code == 400
    assert {d["property"] for d in response.json()["details"]} == {"size", "chatBarText", "areas"}
    menu = request_dict(load_spec(ROOT / "bot"))
    menu_id = requests.post(f"{sim.url}/v2/bot/richmenu", json=menu, headers=headers, timeout=5).json()["richMenuId"]
    small = BytesIO()
    Image.new("RGB", (1200, 810)).save(small, "PNG")
    upload = requests.post(
        f"{sim.url}/v2/bot/richmenu/{menu_id}/content",
        data=small.getvalue(),
        timeout=5,
        headers={**headers, "Content-Type": "image/png"},
    )
    assert upload.status_code == 400 and "does not match" in upload.json()["message"]
    unset = requests.post(f"{sim.url}/v2/bot/user/all/richmenu/{menu_id}", headers=headers, timeout=5)
    assert unset.status_code == 400  # no image yet


def test_commands(sim: Sim, tmp_path: Path) -> None:
    env = {
        "LINE_CHANNEL_SECRET": "s" * 32,
        "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
        "SECRET_KEY": "k" * 32,
        "LINE_API_BASE_URL": sim.url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "OTOPBOT_CONTENT_DIR": str(ROOT / "bot"),
    }
    (group,) = commands
    out = tmp_path / "menu.png"
    rendered = CliRunner().invoke(group, ["render", "--out", str(out)], env=env)
    assert rendered.exit_code == 0, rendered.output
    with Image.open(out) as image:
        assert image.size == (2500, 1686)
    from otopbot.db import Database
    from otopbot.migrate import upgrade
    from otopbot.services import menus

    upgrade(env["DATABASE_URL"])  # the release step migrates before deploying
    deployed = CliRunner().invoke(group, ["deploy"], env=env)
    assert deployed.exit_code == 0, deployed.output
    assert "richmenu-" in deployed.output and sim.client.rich_menu() is not None
    database = Database(env["DATABASE_URL"])
    with database.transaction() as db:  # both stages recorded, so the worker can link registered owners
        assert menus.menu_id(db, "newcomer") == sim.client.rich_menu()["richMenuId"]
        assert menus.menu_id(db, "registered") not in (None, menus.menu_id(db, "newcomer"))
    database.dispose()


def test_local_mode_can_install_the_menu_without_http(sim: Sim) -> None:
    spec = load_spec(ROOT / "bot")
    menu_id = sim.state.install_rich_menu(request_dict(spec), render_png(spec))
    shown = sim.client.rich_menu()
    assert shown is not None and shown["richMenuId"] == menu_id
