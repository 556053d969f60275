"""The rich menu follows the owner's stage: registration first for newcomers, workshops once registered."""

from __future__ import annotations

from otopbot.db import utcnow
from otopbot.line.richmenu import deploy_stages
from otopbot.services import menus


def _first_button(chat, user_id: str) -> str:  # type: ignore[no-untyped-def]
    chat.settle()
    shown = chat.sim.rich_menu(user_id)
    assert shown is not None
    return str(shown["areas"][0]["action"]["data"])


def _register(user) -> None:  # type: ignore[no-untyped-def]
    user.say("ขอลงทะเบียนเข้าร่วมโครงการค่ะ ทำน้ำพริกอยู่เชียงราย")
    user.tap("form:yes")
    user.say("กลุ่มแม่บ้านน้ำพริกบ้านดอย")
    user.tap("form:community_enterprise")
    user.say("ข้าม")
    user.say("น้ำพริกหนุ่ม น้ำพริกตาแดง")
    user.say("บัวคำ ใจดี")
    user.say("089-111-2233")
    user.tap("form:standards")
    user.tap("form:__done")
    user.tap("form:__confirm")


def test_registering_switches_the_menu_and_erasing_switches_it_back(chat) -> None:  # type: ignore[no-untyped-def]
    deployed = deploy_stages(chat.runtime.settings)
    with chat.runtime.database.transaction() as db:
        for stage, menu_id in deployed.items():
            menus.record(db, stage, menu_id, utcnow())
    owner, neighbour = chat.follow("บัวคำ"), chat.follow("เพื่อนบ้าน")
    assert _first_button(chat, owner.user_id) == "menu:register"
    _register(owner)
    assert _first_button(chat, owner.user_id) == "menu:workshops"
    assert chat.sim.rich_menu(owner.user_id)["richMenuId"] == deployed["registered"]
    assert _first_button(chat, neighbour.user_id) == "menu:register"  # only the one who registered
    owner.tap("erase:yes")
    assert _first_button(chat, owner.user_id) == "menu:register"


def test_without_a_deployed_registered_menu_registration_still_works(chat) -> None:  # type: ignore[no-untyped-def]
    owner = chat.follow("บัวคำ")
    _register(owner)
    chat.settle()
    assert chat.sim.rich_menu(owner.user_id) is None  # nothing deployed, nothing linked, nothing failed
