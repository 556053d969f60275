"""Shortcuts for tests that need a registered user."""

from __future__ import annotations

from dialogue_talk import Talk


def registered(talk: Talk, name: str = "สมศรี", phone: str = "0812345678") -> int:
    """A user who has consented and registered (ceramics, Lampang), via the real conversation."""
    user = talk.follow(display_name=name)
    for step in (
        "สมัครเข้าร่วมโครงการค่ะ ทำเซรามิกที่ลำปาง",
        "form:yes",
        f"กลุ่มเซรามิกของ{name}",
        "form:individual",
        "ชามตราไก่",
        name,
        phone,
        "form:standards",
        "form:__done",
        "form:__confirm",
    ):
        (talk.tap if step.startswith("form:") else talk.say)(user, step)
    return user
