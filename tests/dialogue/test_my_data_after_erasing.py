"""After erasing, "my data" says nothing is kept and offers registration, not a delete button."""

from __future__ import annotations

from dialogue_helpers import registered
from dialogue_talk import Talk, postbacks, visible


def test_my_data_after_erasing_offers_registration_instead_of_delete(talk: Talk) -> None:
    user = registered(talk)
    before = talk.tap(user, "mydata:show")
    assert "erase:ask" in postbacks(before)
    talk.tap(user, "erase:yes")
    after = talk.say(user, "ข้อมูลของฉัน")
    assert "erase:ask" not in postbacks(after) and "ลบข้อมูลของฉัน" not in visible(after)
    assert "menu:register" in postbacks(after)
    assert "ไม่มีข้อมูลส่วนตัวของท่านเก็บไว้" in visible(after)


def test_the_delete_button_is_marked_destructive_where_there_is_something_to_delete(talk: Talk) -> None:
    user = registered(talk)
    card = next(
        r
        for r in talk.tap(user, "mydata:show")
        if r.kind == "card" and r.actions and r.actions[-1].postback == "erase:ask"
    )
    assert card.actions[-1].destructive and not card.actions[0].destructive


def test_a_newcomer_who_shared_nothing_is_not_offered_a_delete_button(talk: Talk) -> None:
    user = talk.follow(display_name=None)
    shown = talk.say(user, "ข้อมูลของฉัน")
    assert "erase:ask" not in postbacks(shown) and "menu:register" in postbacks(shown)
