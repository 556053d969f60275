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

`KnowledgeBase` builds the index from KnowledgeEntry rows and rebuilds it when their revision
fingerprint changes (one aggregate query), so a staff edit in the console reaches every process.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import bm25s
import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from otopbot.knowledge.analysis import FUNCTION_WORDS, GENERIC_WORDS, Analyzer
from otopbot.knowledge.content import Topic, load_synonyms, load_topics
from otopbot.models import KnowledgeEntry

CONFIDENT_COVERAGE = 0.4
CONFIDENT_SCORE = 4.0
WEAK_COVERAGE = 0.4  # well covered but a low score (very short question): offer the nearest entries
WEAK_PARTIAL_COVERAGE = 0.3  # a strong match with extra words ("…ต้องไปติดต่อหน่วยงานไหน") is weak,
WEAK_PARTIAL_SCORE = 5.0  # not none; off-topic questions rarely score this high
ENTRY_WEIGHT = 0.3  # all phrasings of an entry as one document: favours the entry most ways of asking share
ANSWER_WEIGHT = 0.15  # answer text helps rank, but must not outvote the ways of asking
CATEGORY_BOOST = 1.15  # the user's OTOP category (from the NLU) favours entries of that category
MAX_NEAREST = 3
_THAI_LETTER = re.compile(r"[\u0E00-\u0E7F]")
FUNCTION_WEIGHT = 0.2  # question words (อะไร, ยังไง, ต้อง) barely count towards coverage
GENERIC_WEIGHT = 0.5  # generic verbs and nouns (จดทะเบียน, ขอ, ยื่น, สินค้า) count less than topic words
FRAGMENT_WEIGHT = 0.3  # 1–2 letter Thai pieces the KB never uses: mostly a typo cut up by the tokeniser
UNKNOWN_WEIGHT = 1.0  # a word no entry uses anywhere: likely the real topic of an off-topic question
UNION_CREDIT = 0.8  # a word found in another way of asking the same entry
SPELLING_WEIGHT = 0.3  # a synonym's own spelling: its ~group token already counts the concept once
ANSWER_CREDIT = 0.5  # a word found only in the entry's answer (สาธารณสุขจังหวัด, เกษตร)


@dataclass(frozen=True, slots=True)
class EntryView:
    """What the dialogue needs to show an entry, detached from the database session."""

    id: str
    title_th: str
    title_en: str
    answer_th: str
    answer_en: str
    source: str
    checked_on: date
    related: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_th

    def answer(self, lang: str) -> str:
        return self.answer_en if lang == "en" else self.answer_th


@dataclass(frozen=True, slots=True)
class Answer:
    """The verdict on one question.

    `answer_id` is the best entry when confident or weak, None when nothing fits; `entry` is set
    with it. `nearest` lists up to three (id, title_th, title_en), best first.
    """

    answer_id: str | None
    score: float
    confident: bool
    entry: EntryView | None
    nearest: list[tuple[str, str, str]]
    coverage: float = 0.0

    @property
    def weak(self) -> bool:
        return self.answer_id is not None and not self.confident


def view_from_topic(topic: Topic) -> EntryView:
    return EntryView(
        topic.id, topic.title_th, topic.title_en, topic.answer_th, topic.answer_en, topic.source,
        topic.checked_on, topic.related, topic.categories, topic.questions,
    )


def view_from_row(row: KnowledgeEntry) -> EntryView:
    return EntryView(
        row.id, row.title_th, row.title_en, row.answer_th, row.answer_en, row.source, row.checked_on,
        tuple(row.related or ()), tuple(row.categories or ()), tuple(row.questions or ()),
    )


def _bm25(docs: list[list[str]]) -> bm25s.BM25:
    index = bm25s.BM25()
    index.index(docs, show_progress=False)
    return index


class SearchIndex:
    """An immutable index over a set of entries; build a new one when the entries change."""

    def __init__(self, entries: Sequence[EntryView], analyzer: Analyzer) -> None:
        self.entries = tuple(entries)
        self.analyzer = analyzer
        if not self.entries:  # nothing seeded yet: every question goes to staff
            return
        phrase_docs: list[list[str]] = []
        owners: list[int] = []
        for i, entry in enumerate(self.entries):
            for phrase in (entry.title_th, entry.title_en, *entry.questions):
                terms = analyzer.terms(phrase)
                if terms:
                    phrase_docs.append(terms)
                    owners.append(i)
        self._owners = np.asarray(owners, dtype=np.int64)
        self._phrase_sets = [frozenset(d) for d in phrase_docs]
        self._entry_phrases = [np.flatnonzero(self._owners == i) for i in range(len(self.entries))]
        self._entry_vocab = [frozenset().union(*(self._phrase_sets[d] for d in docs)) for docs in self._entry_phrases]
        self._phrases = _bm25(phrase_docs)
        entry_docs: list[list[str]] = [[] for _ in self.entries]
        for doc, owner in zip(phrase_docs, owners):
            entry_docs[owner].extend(doc)
        self._entry_docs = _bm25([d or ["~"] for d in entry_docs])
        answer_docs = [analyzer.terms(e.answer_th + "\n" + e.answer_en) or ["~"] for e in self.entries]
        self._answers = _bm25(answer_docs)
        self._answer_vocab = [frozenset(d) for d in answer_docs]
        self._known = frozenset().union(*self._entry_vocab, *self._answer_vocab)
        df = Counter(t for d in self._phrase_sets for t in d)
        n = len(phrase_docs)
        self._idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        self._idf_unknown = math.log(1 + (n + 0.5) / 0.5)
        self._category_mask = {
            cat: np.array([cat in e.categories for e in self.entries]) for cat in ("food", "ceramics", "glass", "rubber", "paper")
        }

    def search(self, text: str, category: str | None = None) -> Answer:
        """Rank entries for `text` and decide confident / weak / none."""
        terms = self.analyzer.terms(text)
        if not terms or not self.entries:
            return Answer(None, 0.0, False, None, [])
        phrase_scores = self._phrases.get_scores(terms)
        entry_scores = np.zeros(len(self.entries))
        np.maximum.at(entry_scores, self._owners, phrase_scores)
        entry_scores = (entry_scores + ENTRY_WEIGHT * self._entry_docs.get_scores(terms)
                        + ANSWER_WEIGHT * self._answers.get_scores(terms))
        if category in self._category_mask:
            entry_scores = np.where(self._category_mask[category], entry_scores * CATEGORY_BOOST, entry_scores)
        order = [int(i) for i in np.argsort(-entry_scores, kind="stable") if entry_scores[i] > 0]
        nearest = [(self.entries[i].id, self.entries[i].title_th, self.entries[i].title_en) for i in order[:MAX_NEAREST]]
        if not order:
            return Answer(None, 0.0, False, None, nearest)
        best = order[0]
        score = float(entry_scores[best])
        coverage = self._coverage(terms, best)
        if coverage >= CONFIDENT_COVERAGE and score >= CONFIDENT_SCORE:
            return Answer(self.entries[best].id, score, True, self.entries[best], nearest, coverage)
        if coverage >= WEAK_COVERAGE or (coverage >= WEAK_PARTIAL_COVERAGE and score >= WEAK_PARTIAL_SCORE):
            return Answer(self.entries[best].id, score, False, self.entries[best], nearest, coverage)
        return Answer(None, score, False, None, nearest, coverage)

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
        found = max((sum(w * (1.0 if t in self._phrase_sets[d] else partial[t]) for t, w in weights.items())
                     for d in self._entry_phrases[entry]), default=0.0)
        return found / total

    def _weight(self, term: str) -> float:
        idf = self._idf.get(term, self._idf_unknown)
        if term in FUNCTION_WORDS:
            return idf * FUNCTION_WEIGHT
        if term in GENERIC_WORDS:
            return idf * GENERIC_WEIGHT
        if self.analyzer.in_group(term):
            return idf * SPELLING_WEIGHT
        if term not in self._known:
            short_thai = len(term) <= 2 and _THAI_LETTER.match(term)
            return idf * (FRAGMENT_WEIGHT if short_thai else UNKNOWN_WEIGHT)
        return idf


def index_from_content(content_dir: Path) -> SearchIndex:
    """Build an index straight from bot/knowledge (no database): for the CLI and tests."""
    topics = load_topics(content_dir)
    return SearchIndex([view_from_topic(t) for t in topics], Analyzer(load_synonyms(content_dir)))


class KnowledgeBase:
    """Answers standards questions from the KnowledgeEntry rows; one per process, thread-safe.

    Before each question it reads (count, sum, max) of `revision`; when that changed since the
    index was built (staff edited an entry, taught a phrasing, or content was synced) it rebuilds.
    """

    def __init__(self, content_dir: Path) -> None:
        self._analyzer = Analyzer(load_synonyms(content_dir))
        self._lock = threading.Lock()
        self._index: SearchIndex | None = None
        self._fingerprint: tuple[int, int, int] | None = None

    def ask(self, session: Session, text: str, category: str | None = None) -> Answer:
        return self.index(session).search(text, category)

    def index(self, session: Session) -> SearchIndex:
        """The current index, rebuilt first if the entries changed."""
        fingerprint = _fingerprint(session)
        with self._lock:
            if self._index is None or fingerprint != self._fingerprint:
                rows = session.scalars(select(KnowledgeEntry).order_by(KnowledgeEntry.id)).all()
                self._index = SearchIndex([view_from_row(r) for r in rows], self._analyzer)
                self._fingerprint = fingerprint
            return self._index


def _fingerprint(session: Session) -> tuple[int, int, int]:
    count, total, top = session.execute(
        select(func.count(), func.coalesce(func.sum(KnowledgeEntry.revision), 0),
               func.coalesce(func.max(KnowledgeEntry.revision), 0))
    ).one()
    return int(count), int(total), int(top)


class ContentKnowledgeBase:
    """The same interface over bot/knowledge alone, for a checkout without a database."""

    def __init__(self, content_dir: Path) -> None:
        self._index = index_from_content(content_dir)

    def ask(self, session: Session | None, text: str, category: str | None = None) -> Answer:
        return self._index.search(text, category)
