"""The knowledge base in the shared database: sync, dialogue replies, and the staff learning loop."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from otopbot.db import Database, utcnow
from otopbot.dialogue.flows.questions import answer_question, show_facet, show_more, show_topic
from otopbot.dialogue.turn import BotContext, Turn
from otopbot.i18n import Translator
from otopbot.knowledge import questions as loop
from otopbot.knowledge.search import KnowledgeBase
from otopbot.knowledge.store import sync_from_content
from otopbot.models import (
    KnowledgeEntry,
    LineUser,
    OutboxMessage,
    Question,
    QuestionKind,
    QuestionStatus,
    Registration,
)
from otopbot.nlu.types import Entities, Understanding
from otopbot.postbacks import Topic, TopicFacet, TopicMore
from otopbot.replies import Text
from otopbot.settings import Settings

ROOT = Path(__file__).resolve().parents[3]
UNKNOWN = "ขอใบอนุญาตเปิดร้านนวดแผนไทยต้องทำยังไง"


class _AskStandard:
    """A stand-in NLU: every message is a standards question about `category`."""

    def __init__(self, category: str | None = None) -> None:
        self.category = category

    def understand(self, text: str, today: date | None = None) -> Understanding:
        return Understanding(text, "ask_standard", 0.9, Entities(category=self.category))


def _turn(settings: Settings, kb: KnowledgeBase, user: LineUser, text: str | None, lang: str = "th") -> Turn:
    nlu = _AskStandard()
    return Turn(
        user=user,
        now=utcnow(),
        t=Translator(settings.locales_dir, lang),
        context=BotContext(settings=settings, nlu=nlu, knowledge=kb),
        text=text,
        understanding=nlu.understand(text) if text else None,
    )


def _user(session: Session, line_id: str = "U" + "1" * 32, language: str = "th") -> LineUser:
    user = LineUser(line_user_id=line_id, language=language)
    session.add(user)
    session.flush()
    return user


def _pushes(session: Session, user: LineUser) -> int:
    rows = session.scalars(select(OutboxMessage)).all()
    return sum(1 for r in rows if r.recipients == [user.line_user_id])


def test_sync_inserts_every_topic_then_keeps_staff_phrasings(database: Database, settings: Settings) -> None:
    with database.transaction() as session:
        assert sync_from_content(session, settings.content_dir) >= 18
        row = session.get(KnowledgeEntry, "halal")
        assert row is not None
        row.questions = [*row.questions, "ตราฮาลาลของกลุ่มแม่บ้าน"]
        row.revision += 1
    with database.transaction() as session:
        assert sync_from_content(session, settings.content_dir) == 0
        row = session.get(KnowledgeEntry, "halal")
        assert row is not None and "ตราฮาลาลของกลุ่มแม่บ้าน" in row.questions and row.revision == 2


def test_a_confident_answer_is_the_facet_asked_with_an_official_source_and_more(
    database: Database, settings: Settings
) -> None:
    kb = KnowledgeBase(settings.content_dir, recheck_seconds=0)
    with database.transaction() as session:
        sync_from_content(session, settings.content_dir)
        user = _user(session)
        [where] = answer_question(session, _turn(settings, kb, user, "เลขสารบบอาหารขอที่ไหนครับ"))
        assert isinstance(where, Text) and where.text.startswith("ยื่นขอได้ที่สำนักงานสาธารณสุขจังหวัด")
        assert "ที่มา: อย. food.fda.moph.go.th · ตรวจสอบ" in where.text and "2569" in where.text
        assert "siamdevelopment" not in where.text and "Phrae" not in where.text  # provenance stays for staff
        assert where.quick_replies and len(where.quick_replies) <= 13
        assert (
            where.quick_replies[0].label == "อ่านเพิ่ม"
            and where.quick_replies[0].postback == "kb:more:fda-food-serial:where"
        )
        assert all(len(c.label) <= 20 and (c.postback or "").startswith("kb:") for c in where.quick_replies)
        [english] = answer_question(session, _turn(settings, kb, user, "how long does an FDA number take", lang="en"))
        assert isinstance(english, Text) and english.text.startswith("A low-risk product")
        assert "Source: Thai FDA food.fda.moph.go.th · checked Dec 2026" in english.text
        [more] = show_more(session, _turn(settings, kb, user, None), TopicMore("fda-food-serial", "where"))
        assert isinstance(more, Text) and "13" in more.text  # the summary
        facets = [c.postback for c in more.quick_replies if (c.postback or "").startswith("kb:facet:")]
        assert "kb:facet:fda-food-serial:need" in facets and "kb:facet:fda-food-serial:where" not in facets
        [need] = show_facet(session, _turn(settings, kb, user, None), TopicFacet("fda-food-serial", "need"))
        assert isinstance(need, Text) and need.text.startswith("ต้องมีเลข อย. ค่ะ")
        for_staff = select(func.count()).select_from(Question).where(Question.kind != QuestionKind.ANSWERED_BY_BOT)
        assert session.scalar(for_staff) == 0  # nothing for staff; only the anonymous tally


def test_the_owners_registered_product_tailors_which_standard_is_named(database: Database, settings: Settings) -> None:
    kb = KnowledgeBase(settings.content_dir, recheck_seconds=0)
    question = "สินค้าของเราใช้ มผช เลขอะไรคะ"
    with database.transaction() as session:
        sync_from_content(session, settings.content_dir)
        paper_maker = _user(session)
        session.add(
            Registration(
                user_id=paper_maker.id,
                enterprise_type="community_enterprise",
                province="แพร่",
                region="north",
                category="paper",
                products="กระดาษสาทำมือ",
                language="th",
            )
        )
        session.flush()
        [reply] = answer_question(session, _turn(settings, kb, paper_maker, question))
        assert isinstance(reply, Text) and "41/2560" in reply.text.split("\n\n")[0]
        stranger = _user(session, "U" + "2" * 32)
        [other] = answer_question(session, _turn(settings, kb, stranger, question))
        assert isinstance(other, Text) and "41/2560" not in other.text


def test_an_unsure_answer_always_offers_topics_to_choose(database: Database, settings: Settings) -> None:
    kb = KnowledgeBase(settings.content_dir, recheck_seconds=0)
    with database.transaction() as session:
        sync_from_content(session, settings.content_dir)
        user = _user(session)
        [reply] = answer_question(session, _turn(settings, kb, user, "ม.ผ.ช. หมายถึง"))
        assert isinstance(reply, Text) and reply.text.startswith("คำถามของท่านเกี่ยวกับหัวข้อไหนต่อไปนี้คะ")
        assert reply.quick_replies and all((c.postback or "").startswith("kb:topic:") for c in reply.quick_replies)
        assert "kb:topic:mpc-overview" in [c.postback for c in reply.quick_replies]
        [topic] = show_topic(session, _turn(settings, kb, user, None), Topic("mpc-overview"))
        assert isinstance(topic, Text) and "มผช." in topic.text and "ที่มา: สมอ." in topic.text


def test_unanswered_question_is_answered_once_and_taught(database: Database, settings: Settings) -> None:
    kb = KnowledgeBase(settings.content_dir, recheck_seconds=0)
    with database.transaction() as session:
        sync_from_content(session, settings.content_dir)
        user = _user(session)
        [reply] = answer_question(session, _turn(settings, kb, user, UNKNOWN))
        assert isinstance(reply, Text) and "2 วันทำการ" in reply.text
        [question] = loop.open_questions(session)
        assert question.text == UNKNOWN and question.user_id == user.id and question.language == "th"
        question_id, user_id = question.id, user.id
    for _ in range(2):  # a second answer (double click, second staff) must not push again
        with database.transaction() as session:
            loop.answer(
                session, question_id, "สอบถามสำนักงานสาธารณสุขจังหวัดค่ะ", "staff-a", locales_dir=settings.locales_dir
            )
    with database.transaction() as session:
        user = session.get(LineUser, user_id)
        assert user is not None and _pushes(session, user) == 1
        question = session.get(Question, question_id)
        assert question is not None and question.status == QuestionStatus.ANSWERED and question.answered_by == "staff-a"
        assert loop.open_questions(session) == []
        assert not kb.ask(session, UNKNOWN).confident
        loop.teach_phrasing(session, question_id, "fda-food-serial")
    with database.transaction() as session:
        result = kb.ask(session, UNKNOWN)
        assert result.confident and result.answer_id == "fda-food-serial"


def test_a_new_entry_from_a_question_answers_it_next_time(database: Database, settings: Settings) -> None:
    kb = KnowledgeBase(settings.content_dir, recheck_seconds=0)
    with database.transaction() as session:
        sync_from_content(session, settings.content_dir)
        question = loop.record_unanswered(session, _user(session), UNKNOWN, "th")
        assert kb.ask(session, UNKNOWN).answer_id is None
        entry = loop.create_entry_from_question(
            session, question.id, "thai-massage-licence", "ใบอนุญาตร้านนวด", "สอบถามสำนักงานสาธารณสุขจังหวัด"
        )
        assert entry.answer_en == entry.answer_th
    with database.transaction() as session:
        assert kb.ask(session, UNKNOWN).answer_id == "thai-massage-licence"
