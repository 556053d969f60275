"""A saved registration gets a short reference number the owner can quote to staff (R-7K3Q)."""

from __future__ import annotations

import re

from dialogue_talk import Talk, visible

from otopbot.models import Registration
from otopbot.services.registrations import REFERENCE_ALPHABET, reference_from

REFERENCE = re.compile(rf"R-[{REFERENCE_ALPHABET}]{{4}}")
STEPS = (
    "สมัครเข้าร่วมโครงการค่ะ ทำเซรามิกที่ลำปาง",
    "form:yes",
    "กลุ่มเซรามิกบ้านทุ่ง",
    "form:individual",
    "ชามตราไก่",
    "สมศรี",
    "0812345678",
    "form:standards",
    "form:__done",
    "form:__confirm",
)


def register(talk: Talk, user: int) -> str:
    """Run the registration conversation; the text of the confirmation."""
    replies = []
    for step in STEPS:
        replies = (talk.tap if step.startswith("form:") else talk.say)(user, step)
    return visible(replies)


def test_the_confirmation_and_my_data_show_the_same_reference(talk: Talk) -> None:
    user = talk.follow()
    confirmation = register(talk, user)
    shown = REFERENCE.findall(confirmation)
    (stored,) = talk.get(Registration)
    assert shown == [stored.reference], confirmation
    assert "เลขอ้างอิง" in confirmation
    assert f"เลขอ้างอิง: {stored.reference}" in visible(talk.tap(user, "mydata:show"))


def test_every_registration_gets_its_own_reference_without_ambiguous_letters(talk: Talk) -> None:
    for _ in range(25):
        register(talk, talk.follow())
    references = [r.reference for r in talk.get(Registration)]
    assert len(references) == 25 and len(set(references)) == 25
    assert all(REFERENCE.fullmatch(ref or "") for ref in references), references
    assert not set("".join(references)) & set("0O1IL2Z5S8B")


def test_editing_a_registration_keeps_its_reference(talk: Talk) -> None:
    user = talk.follow()
    register(talk, user)
    (before,) = talk.get(Registration)
    talk.tap(user, "mydata:edit")
    talk.tap(user, "form:__confirm")
    (after,) = talk.get(Registration)
    assert after.reference == before.reference


def test_erasing_removes_the_reference_with_the_rest(talk: Talk) -> None:
    user = talk.follow()
    register(talk, user)
    talk.tap(user, "erase:yes")
    (erased,) = talk.get(Registration)
    assert erased.erased_at is not None and erased.reference is None


def test_staff_can_type_a_reference_the_way_they_hear_it() -> None:
    assert reference_from(" r-7k3q ") == reference_from("R7K3Q") == reference_from("R 7K3Q") == "R-7K3Q"
    assert reference_from("0812345678") is None and reference_from("R-7K3") is None
