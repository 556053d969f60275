"""Context across messages, as owners type on a phone: my data (see, never erase), regions, periods,
follow-ups that keep the last search, widening, other government schemes, a second hello the same
day, and a cancellation that mentions the waiting list only when someone moved up.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from dialogue_helpers import registered
from dialogue_talk import Talk, postbacks, visible

from otopbot.models import ConversationState, Registration
from otopbot.replies import Carousel, Text
from otopbot.services.workshops import load_sample_workshops

ERASE_PROMPT = "ย้อนกลับไม่ได้"
NORTHEAST = ("ขอนแก่น", "อุบลราชธานี", "บุรีรัมย์", "นครราชสีมา")
ELSEWHERE = ("สงขลา", "ตรัง", "เชียงใหม่", "ลำปาง", "ระยอง", "ชลบุรี", "กรุงเทพมหานคร", "สุราษฎร์ธานี")


@pytest.fixture
def programme(talk: Talk) -> Talk:
    with talk.database.transaction() as db:
        load_sample_workshops(db, talk.settings.content_dir, talk.now)
    return talk


def _provinces(replies: list) -> list[str]:
    """The province of each workshop card shown (the 📍 line ends with it)."""
    carousel = next(r for r in replies if isinstance(r, Carousel))
    return [next(line for line in c.lines if line.startswith("📍")).rsplit(", ", 1)[1] for c in carousel.cards]


def _categories(replies: list) -> list[str]:
    carousel = next(r for r in replies if isinstance(r, Carousel))
    return [next(line for line in c.lines if line.startswith("🏷")) for c in carousel.cards]


# --- my data ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["ข้อมูลของฉัน", "ขอดูข้อมูลของฉันค่ะ", "ขอดูข้อมูลที่เก็บไว้หน่อยค่ะ", "ข้อมูลของหนูมีอะไรบ้างคะ", "เก็บข้อมูลอะไรของผมไว้บ้างครับ"]
)
def test_asking_to_see_my_data_shows_it_and_never_asks_to_erase(talk: Talk, text: str) -> None:
    user = registered(talk)
    shown = talk.say(user, text)
    seen = visible(shown)
    assert "ข้อมูลที่เราเก็บไว้" in seen and "กลุ่มเซรามิกของสมศรี" in seen
    assert ERASE_PROMPT not in seen and all(r.kind != "confirm" for r in shown)
    assert "erase:yes" not in postbacks(shown) and "erase:ask" in postbacks(shown)  # erasing stays one tap away


def test_only_an_erase_word_asks_to_erase(talk: Talk) -> None:
    user = registered(talk)
    asked = talk.say(user, "ลบข้อมูลของหนูทิ้งให้หมดเลยค่ะ")
    assert asked[-1].kind == "confirm" and ERASE_PROMPT in visible(asked)


def test_my_data_has_no_line_name_it_is_never_kept(talk: Talk) -> None:
    named = talk.follow(display_name="สมศรี")
    assert "สมศรี" in visible(talk.welcome(named))  # greeted by the name LINE gives with the follow
    assert "สมศรี" not in visible(talk.say(named, "ข้อมูลของฉัน"))


# --- workshop search: regions, periods, follow-ups, widening -------------------------------------


def test_a_region_shows_only_that_regions_workshops(programme: Talk) -> None:
    user = programme.follow()
    replies = programme.say(user, "อีสานมีอบรมอะไรบ้างคะ")
    shown = _provinces(replies)
    assert shown and set(shown) <= set(NORTHEAST)
    assert "ภาคตะวันออกเฉียงเหนือ" in visible(replies)


def test_a_region_said_as_แถว_overrides_the_registered_province(programme: Talk) -> None:
    user = registered(programme)  # ceramics in Lampang (north)
    shown = _provinces(programme.say(user, "แถวภาคใต้มีอบรมอะไรบ้างคะ"))
    assert shown and set(shown) <= {"สงขลา", "ตรัง", "สุราษฎร์ธานี", "นครศรีธรรมราช"}


def test_next_month_is_the_whole_month_not_one_week(talk: Talk) -> None:
    # today is Wed 25 Nov 2569: next month is 1–31 Dec
    early, late, after = (talk.workshop(f"W{d}", days=d, title=f"อบรมวันที่ {d}") for d in (8, 24, 40))
    user = talk.follow()
    replies = talk.say(user, "เดือนหน้ามีอบรมอะไรบ้างคะ")
    titles = [c.title for c in next(r for r in replies if isinstance(r, Carousel)).cards]
    assert titles == ["อบรมวันที่ 8", "อบรมวันที่ 24"]
    assert early and late and after


def test_this_week_with_nothing_in_it_says_so_and_offers_other_dates(talk: Talk) -> None:
    talk.workshop(days=9)
    user = talk.follow()
    replies = talk.say(user, "สัปดาห์นี้มีอบรมไหมคะ")
    assert "วันอื่น" in visible(replies[:1]) and _provinces(replies) == ["ลำปาง"]


def test_a_follow_up_about_another_province_keeps_the_category(programme: Talk) -> None:
    user = programme.follow()
    assert _provinces(programme.say(user, "อบรมยางพาราที่ตรังมีไหมครับ")) == ["ตรัง"]
    follow_up = programme.say(user, "แล้วสุราษฎร์ล่ะครับ", at=programme.now + timedelta(minutes=5))
    assert _provinces(follow_up) == ["สุราษฎร์ธานี"]
    assert "จอง" in visible(follow_up) and "การจองของคุณ" not in visible(follow_up)


def test_a_follow_up_keeps_the_category_of_a_search_asked_in_other_words(programme: Talk) -> None:
    user = programme.follow()
    programme.say(user, "มีอบรมอาหารแปรรูปที่เชียงใหม่ไหมคะ")
    replies = programme.say(user, "แล้วที่ขอนแก่นล่ะคะ", at=programme.now + timedelta(minutes=10))
    assert _provinces(replies) == ["ขอนแก่น"] and set(_categories(replies)) == {"🏷 อาหารแปรรูป"}


def test_after_thirty_minutes_a_follow_up_starts_afresh(programme: Talk) -> None:
    user = programme.follow()
    programme.say(user, "อบรมยางพาราที่ตรังมีไหมครับ")
    later = programme.say(user, "แล้วเชียงใหม่ล่ะครับ", at=programme.now + timedelta(minutes=31))
    categories = set(_categories(later))
    assert set(_provinces(later)) == {"เชียงใหม่"} and "🏷 ยางพารา" not in categories and len(categories) == 2


def test_a_follow_up_about_a_period_keeps_the_place(talk: Talk) -> None:
    talk.workshop("SOON", days=3, province="ลำปาง", title="อบรมเร็วๆนี้")
    talk.workshop("LATER", days=15, province="ลำปาง", title="อบรมเดือนหน้า")
    talk.workshop("ELSE", days=16, province="น่าน", title="อบรมที่น่าน")
    user = talk.follow()
    talk.say(user, "มีอบรมที่ลำปางไหมคะ")
    replies = talk.say(user, "เดือนหน้าล่ะ", at=talk.now + timedelta(minutes=2))
    assert [c.title for c in next(r for r in replies if isinstance(r, Carousel)).cards] == ["อบรมเดือนหน้า"]


def test_other_places_widen_the_search_and_leave_out_what_was_shown(programme: Talk) -> None:
    user = programme.follow()
    assert _provinces(programme.say(user, "อบรมอาหารที่ขอนแก่นมีไหมคะ")) == ["ขอนแก่น"]
    wider = programme.say(user, "แล้วมีที่อื่นอีกไหมคะ", at=programme.now + timedelta(minutes=3))
    shown = _provinces(wider)
    assert len(shown) >= 3 and "ขอนแก่น" not in shown
    assert set(_categories(wider)) == {"🏷 อาหารแปรรูป"}
    every = programme.say(user, "ขอดูทุกจังหวัดเลยค่ะ", at=programme.now + timedelta(minutes=4))
    assert "ขอนแก่น" in _provinces(every) and len(_provinces(every)) == len(shown) + 1  # all, seen ones too


def test_widening_with_nothing_else_shows_the_same_workshop_again(talk: Talk) -> None:
    talk.workshop()
    user = talk.follow()
    talk.say(user, "มีอบรมที่ลำปางไหม")
    assert _provinces(talk.say(user, "มีรอบอื่นไหมคะ", at=talk.now + timedelta(minutes=1))) == ["ลำปาง"]


def test_the_last_search_is_kept_in_the_database(programme: Talk) -> None:
    user = programme.follow()
    programme.say(user, "อบรมยางพาราที่ตรังมีไหมครับ")
    (state,) = programme.get(ConversationState, user_id=user)
    assert state.memory["search"]["category"] == "rubber" and state.memory["search"]["province"] == "ตรัง"


# --- scope, small talk, cancellation --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "scheme"),
    [
        ("โครงการคนละครึ่งรอบใหม่ลงทะเบียนที่ไหนคะ", "คนละครึ่ง"),
        ("จะสมัครบัตรคนจนต้องทำไงคะ", "บัตรสวัสดิการแห่งรัฐ"),
        ("อยากกู้เงิน ธกส มาขยายร้านค่ะ", "ธ.ก.ส."),
    ],
)
def test_another_government_scheme_gets_a_pointer_never_our_registration(talk: Talk, text: str, scheme: str) -> None:
    user = talk.follow()
    replies = talk.say(user, text)
    seen = visible(replies)
    assert scheme in seen and "วศ." in seen and "ข้อมูลส่วนบุคคล" not in seen
    assert "form:yes" not in postbacks(replies) and "menu:workshops" in postbacks(replies)
    (state,) = talk.get(ConversationState, user_id=user)
    assert state.form is None and talk.get(Registration) == []


def test_admin_in_latin_letters_is_a_request_for_staff(talk: Talk) -> None:
    user = talk.follow()
    assert "สวัสดี" not in visible(talk.say(user, "admin อยู่ไหมคะ"))
    (state,) = talk.get(ConversationState, user_id=user)
    assert state.form is not None  # the contact-staff request has begun


def test_a_second_hello_the_same_day_is_short_with_the_menu(talk: Talk) -> None:
    user = talk.follow()
    first = talk.say(user, "สวัสดีค่ะ")
    assert "ผู้ช่วย" in visible(first)
    again = talk.say(user, "หวัดดีค่า", at=talk.now + timedelta(hours=2))
    assert len(again) == 1 and isinstance(again[0], Text) and len(again[0].text) <= 200
    assert "menu:workshops" in postbacks(again) and "ผู้ช่วย" not in visible(again)
    tomorrow = talk.say(user, "สวัสดีค่ะ", at=talk.now + timedelta(days=1))
    assert "ผู้ช่วย" in visible(tomorrow)


def test_a_hello_right_after_the_welcome_is_short(talk: Talk) -> None:
    user = talk.follow()
    assert "ผู้ช่วย" in visible(talk.welcome(user))
    (hello,) = talk.say(user, "หวัดดีครับ")
    assert isinstance(hello, Text) and len(hello.text) <= 200 and "ผู้ช่วย" not in hello.text


def _book_and_cancel(talk: Talk, capacity: int, waiting: bool) -> str:
    workshop = talk.workshop(capacity=capacity)
    owner = registered(talk, "สมศรี")
    code = re.search(r"([A-Z0-9]{6})", visible(talk.tap(owner, f"book:{workshop}:1")))
    assert code
    if waiting:
        other = registered(talk, "มานพ", "0898765432")
        talk.tap(other, f"wait:{workshop}:1")
    return visible(talk.tap(owner, f"cancelok:{code.group(1)}"))


def test_a_cancellation_mentions_the_waiting_list_only_when_someone_moved_up(talk: Talk) -> None:
    nobody = _book_and_cancel(talk, capacity=5, waiting=False)
    assert "ยกเลิกการจอง" in nobody and "คิว" not in nobody


def test_a_cancellation_with_someone_waiting_says_the_seat_went_on(talk: Talk) -> None:
    moved = _book_and_cancel(talk, capacity=1, waiting=True)
    assert "ยกเลิกการจอง" in moved and "รอคิว" in moved


def test_narrowing_a_region_search_to_a_category_keeps_the_region(programme: Talk) -> None:
    user = programme.follow()
    programme.say(user, "แถวๆใต้มีอบรมไหมคะ")
    narrowed = programme.say(user, "เอาแค่ยางพาราค่ะ", at=programme.now + timedelta(minutes=1))
    assert set(_categories(narrowed)) == {"🏷 ยางพารา"}
    assert set(_provinces(narrowed)) <= {"สุราษฎร์ธานี", "ตรัง"}


def test_my_data_typed_under_the_erase_prompt_or_in_a_form_shows_the_data(talk: Talk) -> None:
    user = registered(talk)
    talk.say(user, "ขอลบข้อมูลทั้งหมดค่ะ")
    shown = visible(talk.say(user, "ข้อมูลของฉัน"))
    assert "ข้อมูลที่เราเก็บไว้" in shown and ERASE_PROMPT not in shown
    assert talk.get(Registration)[0].contact_name == "สมศรี"  # nothing was erased
    other = talk.follow()
    talk.say(other, "อยากลงทะเบียนค่ะ")
    mid_form = visible(talk.say(other, "ขอดูข้อมูลของฉันก่อนค่ะ"))
    assert "ข้อมูลที่เราเก็บไว้" in mid_form and ERASE_PROMPT not in mid_form


@pytest.mark.parametrize("name", ["วันดี มีสุข", "มีชัย วันเพ็ญ"])
def test_a_name_that_looks_like_วัน_and_มี_is_an_answer_not_a_workshop_search(talk: Talk, name: str) -> None:
    user = talk.follow()
    talk.say(user, "อยากลงทะเบียนค่ะ")
    talk.tap(user, "form:yes")
    answer = talk.say(user, name)  # typed at the enterprise-name question
    assert not [r for r in answer if isinstance(r, Carousel)]
    (state,) = talk.get(ConversationState, user_id=user)
    assert name in state.slots.values()
