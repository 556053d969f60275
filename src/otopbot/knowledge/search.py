"""Find the knowledge entry that answers a question: BM25 (bm25s) over Thai tokens, with a verdict.

Documents are the ways of asking each entry (its questions and titles, one document each; an
entry scores its best phrasing) plus its answer text at a lower weight. A question outside every
entry must not be forced onto the nearest one, so each search also measures how much of the
question the best entry explains (`coverage`: the idf-weighted share of the question's terms found
in that entry's best phrasing) and gives a verdict:

* confident: coverage ≥ CONFIDENT_COVERAGE and BM25 score ≥ CONFIDENT_SCORE: answer it;
* weak: coverage ≥ WEAK_COVERAGE, or a high score with partial coverage: offer the nearest
  entries and tell staff;
* none: pass it to staff.

Coverage gives question words (อะไร, ยังไง) and generic verbs (จดทะเบียน, ขอ, ยื่น) little weight, a
synonym's own spelling little weight (its ``~group`` token counts the concept), and partial credit
for words found in another phrasing or the answer of the same entry; a topic word no entry uses
counts fully, so "จดทะเบียนเครื่องหมายการค้าที่ไหน" is refused.

The thresholds were chosen on two held-out sets written for that purpose
(tests/unit/knowledge/heldout.yml and challenge.yml together), never on the shared evaluation set.

Each entry's facets (short answers to one kind of question) are indexed too: their questions are
ways of asking the entry, and they also score the facets against each other. After the entry,
`otopbot.knowledge.facets` picks the facet; when the question asks a fact (a time, a cost…) that
no facet gives, or names a standard or agency (~mpc, ~fda…) the chosen entry never mentions, the
answer is not confident, so the owner is told what is known and which office can tell.

`KnowledgeBase` builds the index from KnowledgeEntry rows and rebuilds it when their revision
fingerprint changes (one aggregate query), so a staff edit in the console reaches every process.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from otopbot.knowledge import facets as facet_choice
from otopbot.knowledge.analysis import FUNCTION_WORDS, GENERIC_WORDS, PARTICLES, Analyzer
from otopbot.knowledge.content import load_synonyms, load_topics
from otopbot.knowledge.entries import Answer, EntryView, view_from_row, view_from_topic
from otopbot.knowledge.followup import FollowUp, read_follow_up
from otopbot.models import KnowledgeEntry
from otopbot.nlu.entities import category as entity_category

__all__ = [
    "Answer",
    "ContentKnowledgeBase",
    "EntryView",
    "KnowledgeBase",
    "SearchIndex",
    "index_from_content",
    "view_from_row",
    "view_from_topic",
]

CONFIDENT_COVERAGE = 0.4
CONFIDENT_SCORE = 4.0
WEAK_COVERAGE = 0.4  # well covered but a low score (very short question): offer the nearest entries
WEAK_PARTIAL_COVERAGE = 0.35  # a strong match with extra words ("…ต้องไปติดต่อหน่วยงานไหน") is weak,
WEAK_PARTIAL_SCORE = 5.0  # not none; off-topic questions rarely score this high
ENTRY_WEIGHT = 0.3  # all phrasings of an entry as one document: favours the entry most ways of asking share
ANSWER_WEIGHT = 0.15  # answer text helps rank, but must not outvote the ways of asking
CATEGORY_BOOST = 1.15  # the user's OTOP category (from the NLU) favours entries of that category
MAX_NEAREST = 3
UNKNOWN_MIN_CHARS = 3  # shorter unknown pieces are mostly a typo cut up by the tokeniser
STRONG_SCORE = 10.0  # a way of asking matched this well outweighs one unknown word ("ขายขนมหน้าบ้าน")
UNKNOWN_COVERAGE = 0.55  # coverage needed for a confident answer when the question has a word no entry uses
# Standards and agencies: a question naming one of these is about it, so an entry that never
# mentions it (in its questions or answers) cannot be a confident answer ("ขอ มผช ใช้เวลากี่เดือน"
# must not get the อย. entry because both ask "how long").
ANCHORS = frozenset(["~mpc", "~tis", "~fda", "~gmp", "~halal", "~otop", "~star", "~community-enterprise", "~programme"])
# Agencies an owner may ask to reach ("ขอเบอร์กรมวิทย์" asks for DSS's phone, not for our staff).
AGENCIES = frozenset(["~dss", "~fda", "~tisi", "~provincial-industry", "~dip"])
# Tokens that say what kind of answer is wanted (a cost, a validity…), not what it is about.
CONCEPT_TOKENS = frozenset(["~cost", "~validity", "~apply", "~what-is", "~steps", "~difference", "~mandatory"])
DISTINCTIVE_ENTRIES = 2  # a word found in at most this many entries marks what a question is about
CLOSE_RATIO = 0.7  # a runner-up this close to the best entry may be preferred for naming the topic
_THAI_LETTER = re.compile(r"[\u0E00-\u0E7F]")
FUNCTION_WEIGHT = 0.2  # question words (อะไร, ยังไง, ต้อง) barely count towards coverage
GENERIC_WEIGHT = 0.5  # generic verbs and nouns (จดทะเบียน, ขอ, ยื่น, สินค้า) count less than topic words
FRAGMENT_WEIGHT = 0.3  # 1–2 letter Thai pieces the KB never uses: mostly a typo cut up by the tokeniser
UNKNOWN_WEIGHT = 1.5  # a word no entry uses anywhere: likely the real topic of an off-topic question
UNION_CREDIT = 0.8  # a word found in another way of asking the same entry
SPELLING_WEIGHT = 0.3  # a synonym's own spelling: its ~group token already counts the concept once
ANSWER_CREDIT = 0.5  # a word found only in the entry's answer (สาธารณสุขจังหวัด, เกษตร)


def _bm25(docs: list[list[str]]) -> bm25s.BM25:
    index = bm25s.BM25()
    index.index(docs, show_progress=False)
    return index


class SearchIndex:
    """An immutable index over a set of entries; build a new one when the entries change."""

    def __init__(self, entries: Sequence[EntryView], analyzer: Analyzer) -> None:
        self.entries = tuple(entries)
        self.by_id = {entry.id: entry for entry in self.entries}
        self.analyzer = analyzer
        if not self.entries:  # nothing seeded yet: every question goes to staff
            return
        phrase_docs: list[list[str]] = []
        owners: list[int] = []
        facet_of: list[int] = []  # the facet a phrasing belongs to within its entry, -1 for the entry
        phrase_terms: dict[str, list[str]] = {}
        for i, entry in enumerate(self.entries):
            phrasings = [(-1, p) for p in (entry.title_th, entry.title_en, *entry.questions)]
            phrasings += [(j, q) for j, facet in enumerate(entry.facets) for q in facet.questions]
            for j, phrase in phrasings:
                terms = analyzer.terms(phrase)
                phrase_terms[phrase] = terms
                if terms:
                    phrase_docs.append(terms)
                    owners.append(i)
                    facet_of.append(j)
        self._owners = np.asarray(owners, dtype=np.int64)
        self._facet_of = np.asarray(facet_of, dtype=np.int64)
        self._phrase_sets = [frozenset(d) for d in phrase_docs]
        self._entry_phrases = [np.flatnonzero(self._owners == i) for i in range(len(self.entries))]
        self._entry_vocab = [frozenset().union(*(self._phrase_sets[d] for d in docs)) for docs in self._entry_phrases]
        self._phrases = _bm25(phrase_docs)
        entry_docs: list[list[str]] = [[] for _ in self.entries]
        for doc, owner in zip(phrase_docs, owners, strict=False):
            entry_docs[owner].extend(doc)
        self._entry_docs = _bm25([d or ["~"] for d in entry_docs])
        answer_docs = [
            analyzer.terms("\n".join((e.answer_th, e.answer_en, *(f.answer_th + "\n" + f.answer_en for f in e.facets))))
            or ["~"]
            for e in self.entries
        ]
        self._answers = _bm25(answer_docs)
        self._answer_vocab = [frozenset(d) for d in answer_docs]
        self._known = frozenset().union(*self._entry_vocab, *self._answer_vocab)
        self._entry_df = Counter(t for v, a in zip(self._entry_vocab, self._answer_vocab, strict=False) for t in v | a)
        self._weigh_terms(len(phrase_docs))
        self._category_mask = {
            cat: np.array([cat in e.categories for e in self.entries])
            for cat in ("food", "ceramics", "glass", "rubber", "paper")
        }
        self._index_facets(phrase_terms)

    def _weigh_terms(self, n: int) -> None:
        """idf over the ways of asking, for coverage (an unknown word gets the highest)."""
        df = Counter(t for d in self._phrase_sets for t in d)
        self._idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        self._idf_unknown = math.log(1 + (n + 0.5) / 0.5)

    def _index_facets(self, phrase_terms: dict[str, list[str]]) -> None:
        """Per facet: the strict concepts its questions ask, its product words and their categories."""
        self._facet_concepts = [
            [
                frozenset(
                    c for q in f.questions for c in facet_choice.concepts(phrase_terms[q]) if c in facet_choice.STRICT
                )
                for f in e.facets
            ]
            for e in self.entries
        ]
        self._products = [facet_choice.ProductMatcher(e.facets) for e in self.entries]
        self._facet_categories = [
            [frozenset(filter(None, (entity_category(p) for p in f.products))) for f in e.facets] for e in self.entries
        ]

    def search(
        self,
        text: str,
        category: str | None = None,
        owner_category: str | None = None,
        owner_products: str | None = None,
    ) -> Answer:
        """Rank entries for `text`, decide confident / weak / none, then pick the entry's facet.

        `category` is the OTOP category the question names (favours entries of it; read from the
        text when the caller gives none, so the CLI measures what the chat answers); the owner's
        registered category and products only break ties between facets.
        """
        terms = self.analyzer.terms(text)
        named = category or entity_category(text)
        if not terms or not self.entries:
            return Answer(None, 0.0, False, None, [])
        phrase_scores = self._phrases.get_scores(terms)
        entry_scores = np.zeros(len(self.entries))
        np.maximum.at(entry_scores, self._owners, phrase_scores)
        entry_scores = (
            entry_scores
            + ENTRY_WEIGHT * self._entry_docs.get_scores(terms)
            + ANSWER_WEIGHT * self._answers.get_scores(terms)
        )
        raw_scores = entry_scores
        if named in self._category_mask:  # ranks entries of the category first, never makes one surer
            entry_scores = np.where(self._category_mask[named], entry_scores * CATEGORY_BOOST, entry_scores)
        order = [int(i) for i in np.argsort(-entry_scores, kind="stable") if entry_scores[i] > 0]
        nearest = [
            (self.entries[i].id, self.entries[i].title_th, self.entries[i].title_en) for i in order[:MAX_NEAREST]
        ]
        if not order:
            return Answer(None, 0.0, False, None, nearest)
        best = self._prefer(order, entry_scores, terms, named)
        score = float(raw_scores[best])
        coverage = self._coverage(terms, best)
        needed = UNKNOWN_COVERAGE if score < STRONG_SCORE and self._unknown_topic(terms) else CONFIDENT_COVERAGE
        confident = (
            coverage >= needed
            and score >= CONFIDENT_SCORE
            and self._anchored(terms, best)
            and self._on_topic(terms, best)
            and not self._other_standard(terms, best, phrase_scores)
        )
        if not confident and not (
            coverage >= WEAK_COVERAGE or (coverage >= WEAK_PARTIAL_COVERAGE and score >= WEAK_PARTIAL_SCORE)
        ):
            return Answer(None, score, False, None, nearest, coverage)
        choice = self._facet(best, terms, phrase_scores, text, owner_category or named, owner_products)
        referral = confident and not choice.covered
        return Answer(
            self.entries[best].id,
            score,
            confident and choice.covered,
            self.entries[best],
            nearest,
            coverage,
            choice.facet,
            choice.concept,
            referral,
            tuple(sorted(AGENCIES.intersection(terms))),
        )

    def _unknown_topic(self, terms: list[str]) -> bool:
        """True when the question holds a real word no entry uses ("เสียภาษี", "บริษัท"): it may be what
        the question is about, so the best entry must explain more of the question to be asserted."""
        return any(self._foreign(t) for t in terms)

    def _foreign(self, term: str) -> bool:
        """A word the knowledge base does not know in any form: not a product word (กะปิ), not part or
        compound holding a synonym's spelling (สารตะกั่ว), not a question word or a typo fragment."""
        if term in self._known or term in FUNCTION_WORDS or term in GENERIC_WORDS or term in PARTICLES:
            return False
        if len(term) < UNKNOWN_MIN_CHARS or not (_THAI_LETTER.match(term) or term.isalpha()):
            return False
        if self.analyzer.in_phrase(term) or self.analyzer.holds_phrase(term):
            return False
        return entity_category(term) is None

    def _anchored(self, terms: list[str], entry: int) -> bool:
        """False when the question names a standard, agency or programme none of the entry's ways
        of asking names ("มผช ติดต่อใคร" is an มผช. question before it is a "which office" one)."""
        return ANCHORS.intersection(terms) <= self._entry_vocab[entry]

    def _other_standard(self, terms: list[str], entry: int, phrase_scores: np.ndarray) -> bool:
        """True when the question names a standard or agency and the entry's closest way of asking
        names only others ("โครงการนี้ครอบคลุมกี่ประเภท" is not "ฮาลาลครอบคลุมกี่ประเภท")."""
        asked = ANCHORS.intersection(terms)
        docs = self._entry_phrases[entry]
        if not asked or len(docs) == 0:
            return False
        closest = ANCHORS.intersection(self._phrase_sets[int(docs[int(np.argmax(phrase_scores[docs]))])])
        return bool(closest) and not closest & asked

    def _on_topic(self, terms: list[str], entry: int) -> bool:
        """True when the entry shares a topic word with the question, not only question words,
        generic verbs or the kind of answer wanted ("how to get a business license" shares none)."""
        vocab = self._entry_vocab[entry] | self._answer_vocab[entry]
        topic = [
            t
            for t in terms
            if t not in FUNCTION_WORDS and t not in GENERIC_WORDS and t not in CONCEPT_TOKENS and t not in PARTICLES
        ]
        if not any(t in vocab for t in topic):
            return False
        # asking a time, a cost… shares that pattern with every entry giving one: then a word that
        # marks few entries must be this entry's ("ขอมาตรฐานXใช้เวลากี่วัน" is about X, not about อย.)
        asked = facet_choice.concepts(terms)
        if not asked or asked[0] not in facet_choice.STRICT:
            return True
        distinctive = [
            t
            for t in topic
            if 0 < self._entry_df.get(t, 0) <= DISTINCTIVE_ENTRIES
            and not facet_choice.asks_a_kind(t)
            and not self.analyzer.in_group(t)
            and not self.analyzer.holds_phrase(t)
        ]
        return not distinctive or any(t in vocab for t in distinctive)

    def _prefer(self, order: list[int], scores: np.ndarray, terms: list[str], named: str | None) -> int:
        """The best entry, unless a close runner-up names the question's standard or agency while the
        best does not, or gives the asked kind of fact while the best does not (and is not about
        another product category than the one the question names)."""
        best = order[0]
        close = [i for i in order[1:MAX_NEAREST] if scores[i] >= CLOSE_RATIO * scores[best]]
        if not close:
            return best
        if not self._anchored(terms, best):
            anchored = [i for i in close if self._anchored(terms, i)]
            if anchored:
                return anchored[0]
        asked = facet_choice.concepts(terms)
        if asked and asked[0] in facet_choice.STRICT and not self._on_topic(terms, best):
            topical = [i for i in close if self._on_topic(terms, i) and self._anchored(terms, i)]
            if topical:
                return topical[0]
        if asked and not self._gives(best, asked[0]):
            giving = [
                i
                for i in close
                if self._gives(i, asked[0]) and self._anchored(terms, i) and not self._other_category(best, i, named)
            ]
            if giving:
                return giving[0]
        return best

    def _other_category(self, best: int, other: int, named: str | None) -> bool:
        """True when the question names a category the best entry is about and the other is about
        not ("กระดาษสาต้องมี มอก ไหม" stays with paper, not glass or the general มอก. entry)."""
        if named not in self._category_mask:
            return False
        mask = self._category_mask[named]
        return bool(mask[best]) and not mask[other]

    def _gives(self, entry: int, concept: str) -> bool:
        """Whether any facet of the entry gives that kind of fact (entries without facets: unknown, so yes)."""
        facets = self.entries[entry].facets
        if not facets:
            return True
        return any(facet_choice.gives(f, concept, c) for f, c in zip(facets, self._facet_concepts[entry], strict=False))

    def _facet(
        self,
        entry: int,
        terms: list[str],
        phrase_scores: np.ndarray,
        text: str,
        owner_category: str | None,
        owner_products: str | None,
    ) -> facet_choice.FacetChoice:
        """Choose the entry's facet for the question (see otopbot.knowledge.facets)."""
        facets = self.entries[entry].facets
        wording = [0.0] * len(facets)
        for doc in self._entry_phrases[entry]:
            j = int(self._facet_of[doc])
            if j >= 0:
                wording[j] = max(wording[j], float(phrase_scores[doc]))
        matcher = self._products[entry]
        named = matcher.hits(text)
        mine = matcher.hits(owner_products or "")
        # a category is only a hint where the entry's facets are for different categories: "แก้วใส่อาหาร"
        # in the glass entry says nothing about which glass facet (the wording does)
        telling = set(self.entries[entry].categories) != {owner_category}
        owner = [
            m or (telling and owner_category in cats)
            for m, cats in zip(mine, self._facet_categories[entry], strict=False)
        ]
        return facet_choice.choose(
            facets, self._facet_concepts[entry], wording, facet_choice.concepts(terms), named, owner
        )

    def _coverage(self, terms: list[str], entry: int) -> float:
        """The idf-weighted share of the question's terms the entry explains.

        A term counts fully when the entry's closest phrasing has it, UNION_CREDIT when another
        way of asking the same entry has it, ANSWER_CREDIT when only its answer mentions it.
        """
        unique = set(terms)
        weights = {t: self._weight(t) for t in unique}
        total = sum(weights.values())
        if total <= 0:
            return 0.0
        vocab, answer = self._entry_vocab[entry], self._answer_vocab[entry]
        partial = {t: UNION_CREDIT if t in vocab else ANSWER_CREDIT if t in answer else 0.0 for t in unique}
        found = max(
            (
                sum(w * (1.0 if t in self._phrase_sets[d] else partial[t]) for t, w in weights.items())
                for d in self._entry_phrases[entry]
            ),
            default=0.0,
        )
        return found / total

    def _weight(self, term: str) -> float:
        idf = self._idf.get(term, self._idf_unknown)
        if term in FUNCTION_WORDS:
            return idf * FUNCTION_WEIGHT
        if term in GENERIC_WORDS:
            return idf * GENERIC_WEIGHT
        if self.analyzer.in_group(term) or (term not in self._known and self.analyzer.holds_phrase(term)):
            return idf * SPELLING_WEIGHT
        if term not in self._known:
            if len(term) <= 2 and _THAI_LETTER.match(term):
                return idf * FRAGMENT_WEIGHT
            return idf * (UNKNOWN_WEIGHT if self._foreign(term) else 1.0)
        return idf


def index_from_content(content_dir: Path) -> SearchIndex:
    """Build an index straight from bot/knowledge (no database): for the CLI and tests."""
    topics = load_topics(content_dir)
    return SearchIndex([view_from_topic(t) for t in topics], Analyzer(load_synonyms(content_dir)))


class KnowledgeBase:
    """Answers standards questions from the KnowledgeEntry rows; one per process, thread-safe.

    At most every `recheck_seconds` (5) it reads (count, sum, max) of `revision`; when that changed since
    the index was built (staff edited an entry, taught a phrasing, or content was synced) it rebuilds.
    Between checks, questions and the entries shown with their answers cost no database statement.
    """

    def __init__(self, content_dir: Path, recheck_seconds: float = 5.0) -> None:
        self._recheck_seconds = recheck_seconds
        self._analyzer = Analyzer(load_synonyms(content_dir))
        self._lock = threading.Lock()
        self._index: SearchIndex | None = None
        self._fingerprint: tuple[int, int, int] | None = None
        self._checked_at = float("-inf")

    def entry(self, session: Session, entry_id: str) -> EntryView | None:
        """One entry as the current index holds it (related topics, "อ่านเพิ่ม", a tapped topic)."""
        return self.index(session).by_id.get(entry_id)

    def ask(
        self,
        session: Session,
        text: str,
        category: str | None = None,
        owner_category: str | None = None,
        owner_products: str | None = None,
    ) -> Answer:
        return self.index(session).search(text, category, owner_category, owner_products)

    def follow_up(self, text: str) -> FollowUp | None:
        """What a fragment ("อ่านเพิ่ม", "แล้วค่าใช้จ่ายล่ะ") asks of the last topic (no database)."""
        return read_follow_up(self._analyzer, text)

    def index(self, session: Session) -> SearchIndex:
        """The current index, rebuilt first if the entries changed (checked every few seconds)."""
        if self._index is not None and time.monotonic() - self._checked_at < self._recheck_seconds:
            return self._index
        fingerprint = _fingerprint(session)
        with self._lock:
            if self._index is None or fingerprint != self._fingerprint:
                rows = session.scalars(select(KnowledgeEntry).order_by(KnowledgeEntry.id)).all()
                self._index = SearchIndex([view_from_row(r) for r in rows], self._analyzer)
                self._fingerprint = fingerprint
            self._checked_at = time.monotonic()
            return self._index


def _fingerprint(session: Session) -> tuple[int, int, int]:
    count, total, top = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(KnowledgeEntry.revision), 0),
            func.coalesce(func.max(KnowledgeEntry.revision), 0),
        )
    ).one()
    return int(count), int(total), int(top)


class ContentKnowledgeBase:
    """The same interface over bot/knowledge alone, for a checkout without a database."""

    def __init__(self, content_dir: Path) -> None:
        self._index = index_from_content(content_dir)

    def ask(
        self,
        session: Session | None,
        text: str,
        category: str | None = None,
        owner_category: str | None = None,
        owner_products: str | None = None,
    ) -> Answer:
        return self._index.search(text, category, owner_category, owner_products)

    def entry(self, session: Session | None, entry_id: str) -> EntryView | None:
        return self._index.by_id.get(entry_id)

    def follow_up(self, text: str) -> FollowUp | None:
        return read_follow_up(self._index.analyzer, text)
