"""Stage 7: relationships between resolved entities, each with the place that states it and how it
was read (`Evidence.basis`, decisions.md D4).

- The relation grammar (data/relations.yaml) runs on sentence skeletons: the sentence lower-cased
  with every mention replaced by one placeholder character, so that a rule such as
  "mede namens {ministries}" names its ends by their slots. An open `programme` end is the
  programme the sentence names, else the antecedent of an anaphor, else a narrow fallback
  (ingest/topics.py); a ministry is only ever one that fills a rule's slot.
- What a name states: "Regio Deal Zeeland" COVERS Zeeland and is PART_OF the Regio Deals,
  "NOVEX-gebied X" is covered by NOVEX and PART_OF X, an agenda with a state PARTNERS_WITH it.
- Trigger rules (data/triggers.yaml) for overlaps, partnerships, succession, people, documents.
- The letter's structure: a table row, the title, signatures and the dossier header.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import combinations

from graph.model import Evidence, Relationship
from ingest.models import Basis, LetterMeta, Mention, RawLetter, Sentence
from ingest.normalise import NormalisedText
from ingest.patterns import (
    BLOCK_SIZE,
    SKELETON_BLOCKS,
    CompiledGrammarRule,
    Grammar,
    grammar,
    patterns,
    triggers,
)
from ingest.text import person_key
from ingest.topics import TopicTracker
from ingest.vocabulary import vocabulary

# the weaker of two ends decides a relationship's basis
_STRENGTH = {Basis.STATED: 0, Basis.COREFERENCE: 1, Basis.STRUCTURE: 2, Basis.CONTEXT: 3}
SKELETON_LABELS = frozenset(SKELETON_BLOCKS) - {"TitledMinistry"}


def weakest(*bases: Basis) -> Basis:
    return max(bases, key=_STRENGTH.__getitem__)


@dataclass
class SentenceView:
    sentence: Sentence
    mentions: list[Mention]
    by_label: dict[str, list[Mention]] = field(default_factory=dict)
    _skeleton: tuple[str, dict[str, Mention]] | None = None
    programmes_at: list[tuple[int, str]] = field(default_factory=list)  # in the skeleton

    def index(self) -> None:
        self.by_label = {}
        for m in self.mentions:
            self.by_label.setdefault(m.label, []).append(m)

    @property
    def paragraph(self) -> int:
        return self.sentence.paragraph

    @property
    def kind(self) -> str:
        return self.sentence.kind

    def of(self, label: str) -> list[Mention]:
        return self.by_label.get(label, [])

    def ids(self, label: str) -> list[str]:
        return list(dict.fromkeys(m.key for m in self.of(label)))

    def programme_keys(self) -> list[str]:
        return [m.key for m in self.of("Programme")]

    def skeleton(self) -> tuple[str, dict[str, Mention]]:
        """The lower-cased sentence with each mention as one character of its label's block, and
        the mention of each such character."""
        if self._skeleton is None:
            s = self.sentence
            parts: list[str] = []
            tokens: dict[str, Mention] = {}
            self.programmes_at = []
            pos, length = s.start, 0
            for n, m in enumerate(self.mentions):
                if m.label not in SKELETON_LABELS or m.start < pos or n >= BLOCK_SIZE:
                    continue
                label = (
                    "TitledMinistry" if m.label == "Ministry" and grammar().titled.match(m.text) else m.label
                )
                char = chr(SKELETON_BLOCKS[label] + n)
                before = s.lower[pos - s.start : m.start - s.start]
                parts.append(before)
                parts.append(char)
                length += len(before)
                if label == "Programme":
                    self.programmes_at.append((length, m.key))
                length += 1
                tokens[char] = m
                pos = min(m.end, s.end)
            parts.append(s.lower[pos - s.start :])
            self._skeleton = ("".join(parts), tokens)
        return self._skeleton


def sentence_views(sentences: list[Sentence], mentions: list[Mention]) -> list[SentenceView]:
    """Each sentence with the mentions that start in it (commitments, which are whole sentences,
    included)."""
    starts = [s.start for s in sentences]
    views = [SentenceView(s, []) for s in sentences]
    for m in mentions:
        i = bisect_right(starts, m.start) - 1
        if i >= 0 and m.start < sentences[i].end + 1:
            views[i].mentions.append(m)
    for view in views:
        view.index()
    return views


@dataclass(frozen=True)
class End:
    key: str
    basis: Basis


class Relator:
    def __init__(self, raw: RawLetter, doc: NormalisedText, letter_id: str, meta: LetterMeta):
        self.raw, self.doc, self.letter_id, self.meta = raw, doc, letter_id, meta
        self.rels: dict[tuple[str, str, str], Relationship] = {}
        self.t = triggers()
        self.g: Grammar = grammar()
        self.programme_by_surface: dict[str, str] = {}  # folded surface form -> programme id
        self.views: list[SentenceView] = []
        self._applicable: dict[frozenset[str], tuple[CompiledGrammarRule, ...]] = {}
        self._words: dict[int, set[str]] = {}  # sentence index -> required words in it
        self._states_in_name: dict[str, tuple[str, ...]] = {}
        self._topic_sentences: list[tuple[int, re.Match]] | None = None
        self.tracker: TopicTracker | None = None
        self.families: set[str] = set()

    # -- output -------------------------------------------------------------------------------
    def evidence(self, start: int, end: int, rule: str, basis: Basis) -> Evidence:
        return self._evidence(*self.doc.original_span(start, end), rule, basis)

    def _evidence(self, a: int, b: int, rule: str, basis: Basis) -> Evidence:
        """Evidence of original_text[a:b]."""
        return Evidence(
            letter=self.letter_id,
            source=self.raw.source,
            start=a,
            end=b,
            quote=self.raw.text[a:b],
            rule=rule,
            basis=str(basis),
        )

    def add(
        self,
        rtype: str,
        start: str,
        end: str,
        span: tuple[int, int] | None,
        rule: str,
        basis: Basis = Basis.STATED,
        derived: bool = False,
        **props,
    ) -> None:
        if start == end:
            return
        if rtype == "OVERLAPS" and start > end:
            start, end = end, start
        rel = self.rels.get((rtype, start, end))
        if rel is None:
            rel = Relationship(type=rtype, start=start, end=end, derived=derived, properties=dict(props))
            self.rels[(rtype, start, end)] = rel
        if span is not None:
            a, b = self.doc.original_span(*span)
            if all((e.start, e.end) != (a, b) for e in rel.evidence):
                rel.evidence.append(self._evidence(a, b, rule, basis))

    # -- the letter -----------------------------------------------------------------------------
    def relate(
        self, views: list[SentenceView], title_span: tuple[int, int] | None, title_programmes: list[str]
    ) -> list[Relationship]:
        self.families = {m.family for v in views for m in v.of("Programme") if m.family}
        for m in (m for v in views for m in v.of("Programme")):
            self.programme_by_surface.setdefault(m.text.casefold(), m.key)
            if m.states:
                self._states_in_name[m.key] = m.states
        self.views = views
        surfaces: dict[str, str] = {}  # with the word before: "programma" of "het programma X"
        for m in (m for v in views for m in v.of("Programme")):
            written = self.doc.text[max(0, m.start - 16) : m.end].lower()
            surfaces[m.key] = surfaces.get(m.key, "") + " " + written
        self.tracker = TopicTracker(
            views,
            title=title_programmes,
            declared=self.declared_topics(views),
            surfaces=surfaces,
            opener=partial(opening_programme, views, self.g.topic_opening),  # no cycle back to self
        )
        for i, view in enumerate(views):
            labels = view.by_label
            span = (view.sentence.start, view.sentence.end)
            if "Programme" in labels or "Region" in labels or "Motion" in labels:
                self.named(view, span)
            self.grammar(view, i, span)
            if "Programme" in labels or i + 1 < len(views) and "Programme" in views[i + 1].by_label:
                self.overlaps(view, views[i + 1] if i + 1 < len(views) else None, i, span)
            if "NeighbouringState" in labels:
                self.partners(view, i, span)
            if "Programme" in labels:
                self.succeeded_by(view, i, span)
                self.regions_beside(view, span)
            if "Person" in labels or "Motion" in labels or "Commitment" in labels:
                self.people(view, span)
            if "Document" in labels:
                self.documents(view, span)
        self.table_rows(views)
        self.pipe_rows(views)
        self.letter_level(views, title_span, title_programmes)
        self.metadata()
        return list(self.rels.values())

    # -- what names state -----------------------------------------------------------------------
    def named(self, view: SentenceView, span) -> None:
        for m in view.of("Programme"):
            if m.region is not None:
                for r in (m.region, *m.more_regions):
                    self.add("COVERS", m.key, r.key, span, "name-gives-region")
            if m.family:
                self.add("PART_OF", m.key, m.family, span, "name-gives-family")
            for state in m.states:
                self.add("PARTNERS_WITH", m.key, state, span, "state-in-name")
        for m in view.of("Motion"):
            if m.published_as:
                self.add("PUBLISHED_AS", m.key, m.published_as, span, "motion-number")
        for m in view.of("Region"):
            if m.covered_by:
                owner = self.programme_by_surface.get(m.covered_by.casefold()) or _vocabulary_programme(
                    m.covered_by
                )
                if owner:
                    self.add("COVERS", owner, m.key, span, "programme-area")
                if m.region is not None:
                    self.add("PART_OF", m.key, m.region.key, span, "area-in-region")

    # -- the grammar ----------------------------------------------------------------------------
    def _rules_for(self, labels: frozenset[str]) -> tuple[CompiledGrammarRule, ...]:
        """The grammar rules a sentence with mentions of these labels can match (cached)."""
        rules = self._applicable.get(labels)
        if rules is None:
            present = {_SLOT_OF_LABEL[x] for x in labels if x in _SLOT_OF_LABEL}
            if "Ministry" in labels:
                present.add("titled_ministry")  # checked on the skeleton itself
            rules = tuple(
                cr for cr in self.g.rules if cr.needs <= present and (self.meta.senders or not cr.sender)
            )
            self._applicable[labels] = rules
        return rules

    def _required_words(self, i: int) -> set[str]:
        """The grammar rules' required words in sentence i (scanned when a rule first asks)."""
        words = self._words.get(i)
        if words is None:
            automaton = self.g.required_words
            lower = self.views[i].sentence.lower
            words = self._words[i] = {w for _, w in automaton.iter(lower)} if len(automaton) else set()
        return words

    def grammar(self, view: SentenceView, i: int, span) -> None:
        candidates = self._rules_for(frozenset(view.by_label))
        if not candidates:
            return
        words = self._required_words(i)
        rules = [cr for cr in candidates if not cr.requires or cr.requires & words]
        if not rules:
            return
        skeleton, tokens = view.skeleton()
        for cr in rules:
            if cr.rule.guard and self.t[cr.rule.guard].search(view.sentence.lower):
                continue
            for m in cr.regex.finditer(skeleton):
                self._apply(cr, m, view, i, span, tokens)

    def _group_keys(
        self, cr: CompiledGrammarRule, m: re.Match, slot: str, tokens: dict[str, Mention]
    ) -> list[str]:
        for name in cr.groups.get(slot, []):
            text = m.group(name)
            if text:
                return list(dict.fromkeys(tokens[c].key for c in text if c in tokens))
        return []

    def _ends(
        self, cr: CompiledGrammarRule, m: re.Match, which: str, view: SentenceView, i: int, tokens
    ) -> list[End]:
        value = getattr(cr.rule, which)
        if value == "sender":
            return [End(s.ministry, Basis.STRUCTURE) for s in self.meta.senders]
        if value == "programme":
            in_match = self._group_keys(cr, m, "programme", tokens)
            if in_match:
                return [End(k, Basis.STATED) for k in in_match]
            found = self.programme_end(view, i, m, cr.rule.side, cr.rule.fallback)
            return [found] if found else []
        return [End(k, Basis.STATED) for k in self._group_keys(cr, m, value, tokens)]

    def _apply(self, cr: CompiledGrammarRule, m: re.Match, view: SentenceView, i: int, span, tokens) -> None:
        subjects = self._ends(cr, m, "subject", view, i, tokens)
        if not subjects:
            return
        objects = self._ends(cr, m, "object", view, i, tokens)
        if cr.rule.type == "COVERS":  # the generic programme (the Regio Deals) is no area's by context
            subjects = [a for a in subjects if a.basis == Basis.STATED or a.key not in self.families]
        for a in subjects:
            for b in objects:
                self.add(cr.rule.type, a.key, b.key, span, cr.rule.id, weakest(a.basis, b.basis))

    def programme_end(
        self, view: SentenceView, i: int, m: re.Match | None, side: str, fallback: str
    ) -> End | None:
        """The programme a rule's open end stands for: named in the sentence (before or after the
        match, or the one named), an anaphor's antecedent, then the rule's fallback."""
        skeleton, _ = view.skeleton()
        a, b = m.span() if m else (len(skeleton), len(skeleton))
        positions = view.programmes_at
        if side == "before":
            before = [k for n, k in positions if n < a]
            if before:
                return End(before[-1], Basis.STATED)
        elif side == "after":
            after = [k for n, k in positions if n >= b]
            if after:
                return End(after[0], Basis.STATED)
        elif positions:
            named = list(dict.fromkeys(k for _, k in positions))
            if len(named) == 1:
                return End(named[0], Basis.STATED)
            after = list(dict.fromkeys(k for n, k in positions if n >= b))
            if len(after) == 1:
                return End(after[0], Basis.STATED)
            return None  # several programmes: the sentence does not say which
        assert self.tracker is not None
        for kind, regex in self.g.anaphors.items():
            if hit := regex.search(skeleton):
                head = hit.group(0).split()[-1] if kind == "nominal" else None
                found = self.tracker.antecedent(i, kind, head)
                if found:
                    return End(found, Basis.COREFERENCE)
        if fallback == "paragraph":
            found = self.tracker.paragraph_topic(i)
        elif fallback == "topic":
            found = self.tracker.topic(i)
        elif fallback == "letter":
            found = self.tracker.letter_subject()
        else:
            found = None
        return End(found, Basis.CONTEXT) if found else None

    # -- rules on trigger phrases ---------------------------------------------------------------
    def regions_beside(self, view: SentenceView, span) -> None:
        text = self.doc.text
        # "Nij Begun (Groningen en Noord-Drenthe)"
        for p in view.of("Programme"):
            if text.startswith(" (", p.end):
                close = text.find(")", p.end, view.sentence.end)
                for r in view.of("Region"):
                    if p.end < r.start < close:
                        self.add("COVERS", p.key, r.key, span, "programme-parenthesis")
        # "ERT Zuid-Oost Friesland": a programme abbreviation directly before a region
        for p in view.of("Programme"):
            for r in view.of("Region"):
                if (
                    r.start == p.end + 1
                    and p.text.isupper()
                    and not re.match(r" [A-Z]", text[r.end : r.end + 2])
                ):
                    self.add("COVERS", p.key, r.key, span, "programme-prefix")

    def overlaps(self, view: SentenceView, nxt: SentenceView | None, i: int, span) -> None:
        text = view.sentence.lower
        programmes = view.ids("Programme")
        star = self.t["overlaps_star"].search(text)
        if star:
            at = view.sentence.start + star.start()
            subject = [p.key for p in view.of("Programme") if p.end <= at]
            hub = (
                End(subject[-1], Basis.STATED)
                if subject
                else self.programme_end(view, i, None, "none", "paragraph")
            )
            listed = [p.key for p in view.of("Programme") if p.start > at]
            if hub and not subject and hub.key in listed:
                return
            if hub:
                for p in listed:
                    self.add("OVERLAPS", hub.key, p, span, "connects-to", hub.basis)
            return
        if not self.t["overlaps_pairwise"].search(text):
            return
        if len(programmes) >= 2:
            for a, b in combinations(programmes, 2):
                self.add("OVERLAPS", a, b, span, "programmes-together")
        elif nxt and self.t["overlaps_continued"].search(nxt.sentence.lower):
            following = nxt.ids("Programme")
            if len(following) >= 2:
                both = (view.sentence.start, nxt.sentence.end)
                for a, b in combinations(following, 2):
                    self.add("OVERLAPS", a, b, both, "programmes-together", Basis.COREFERENCE)

    def partners(self, view: SentenceView, i: int, span) -> None:
        states = [s for s in view.of("NeighbouringState") if s.kind != "land"]
        if not states or not self.t["partners"].search(view.sentence.lower):
            return
        first_state = min(s.start for s in states)
        owners = [p.key for p in view.of("Programme") if p.end <= first_state and not p.states]
        if not owners:  # "Met Nedersaksen werk ik aan de Grensagenda X": the one programme after
            after = list(dict.fromkeys(p.key for p in view.of("Programme") if not p.states))
            owners = after if len(after) == 1 else []
        owner = End(owners[-1], Basis.STATED) if owners else None
        if owner is None and not view.of("Programme"):
            owner = self.programme_end(view, i, None, "none", "paragraph")
            if owner and self._states_in_name.get(owner.key):
                return  # an agenda with one state named is no partner of the others
        if owner:
            for s in dict.fromkeys(s.key for s in states):
                self.add("PARTNERS_WITH", owner.key, s, span, "cross-border-cooperation", owner.basis)

    def succeeded_by(self, view: SentenceView, i: int, span) -> None:
        trig = self.t["succeeded_by"].search(view.sentence.lower)
        if not trig:
            return
        at = view.sentence.start + trig.start()
        before = [p.key for p in view.of("Programme") if p.end <= at]
        after = [p.key for p in view.of("Programme") if p.start >= at]
        if before and after:
            self.add("SUCCEEDED_BY", before[-1], after[0], span, "continues-in")
        elif after and i > 0:
            # "De aanpak wordt voortgezet in Y": the programme an anaphor stands for; "Y is de
            # opvolger": the one programme of the sentence before in the same paragraph
            head = view.sentence.lower[: trig.start()]
            assert self.tracker is not None
            found = None
            for kind, regex in self.g.anaphors.items():
                if regex.search(head):
                    found = self.tracker.antecedent(i, kind)
                    if found:
                        break
            prev = self.views[i - 1]
            if found is None and prev.paragraph == view.paragraph and len(prev.ids("Programme")) == 1:
                found = prev.ids("Programme")[0]
                span = (prev.sentence.start, view.sentence.end)
            if found and found != after[0]:
                self.add("SUCCEEDED_BY", found, after[0], span, "continues-in", Basis.COREFERENCE)

    def people(self, view: SentenceView, span) -> None:
        text = self.doc.text
        persons = view.of("Person")
        for p in persons:
            for party in view.of("Party"):
                if 0 < party.start - p.end <= 3 and text[p.end : party.start].strip() == "(":
                    self.add("MEMBER_OF", p.key, party.key, span, "member-in-brackets")
        for motion in view.of("Motion"):
            for submitter in motion.submitters:
                self.add("SUBMITTED", person_key(submitter), motion.key, span, "motion-of")
            if self.t["responds"].search(view.sentence.lower) or "toegezegd" in view.sentence.lower:
                self.add(
                    "RESPONDS_TO", self.letter_id, motion.key, span, "responds-to-motion", Basis.STRUCTURE
                )
        for c in view.of("Commitment"):
            kind = "MAKES" if c.new else "RESPONDS_TO"
            self.add(kind, self.letter_id, c.key, span, "commitment", Basis.STRUCTURE)

    def documents(self, view: SentenceView, span) -> None:
        responds = self.t["responds"].search(view.sentence.lower)
        for d in view.of("Document"):
            self.add("REFERS_TO", self.letter_id, d.key, span, "cites-kamerstuk", Basis.STRUCTURE)
            if d.dossier:
                self.add("PART_OF", d.key, "dossier:" + d.dossier, span, "kamerstuk-number")
            if responds:
                self.add("RESPONDS_TO", self.letter_id, d.key, span, "responds-to-document", Basis.STRUCTURE)

    # -- structure ------------------------------------------------------------------------------
    def table_rows(self, views: list[SentenceView]) -> None:
        """A table flattened to one cell per paragraph, rows "regions | project | amount": the
        project cell (a programme and nothing else) covers the regions of the cell before it."""
        number = _number_cell()
        for i in range(1, len(views) - 1):
            cell = views[i]
            progs = cell.of("Programme")
            if (
                len(cell.mentions) != 1
                or len(progs) != 1
                or cell.sentence.text.strip() != progs[0].text.strip()
            ):
                continue
            regions, amount = views[i - 1], views[i + 1]
            if not number.fullmatch(amount.sentence.text.strip()) or not regions.of("Region"):
                continue
            if any(m.label != "Region" for m in regions.mentions):
                continue
            inside = regions.of("Region")
            gaps = [self.doc.text[x.end : y.start] for x, y in zip(inside, inside[1:], strict=False)]
            if inside[0].start != regions.sentence.start or not all(map(_region_gap().match, gaps)):
                continue  # the cell before holds more than regions
            span = (regions.sentence.start, cell.sentence.end)
            for r in regions.of("Region"):
                self.add("COVERS", progs[0].key, r.key, span, "table-row", Basis.STRUCTURE)

    def pipe_rows(self, views: list[SentenceView]) -> None:
        """A table row on one line, cells split by "|" ("Regio Deal X | A, B en C | € 5 mln"): the
        cell that is one programme covers the regions of the cells that hold regions only."""
        text = self.doc.text
        gap = _region_gap()
        for view in views:
            s = view.sentence
            if "|" not in s.text or not view.of("Programme") or not view.of("Region"):
                continue
            at = s.start
            for line in text[s.start : s.end].split("\n"):
                if "|" in line:
                    self._pipe_row(view, at, line, gap)
                at += len(line) + 1

    def _pipe_row(self, view: SentenceView, start: int, line: str, gap: re.Pattern) -> None:
        text = self.doc.text
        cells: list[tuple[int, int]] = []
        at = start
        for part in line.split("|"):
            cells.append((at, at + len(part)))
            at += len(part) + 1
        programmes: list[str] = []
        regions: list[str] = []
        for a, b in cells:
            inside = [m for m in view.mentions if a <= m.start and m.end <= b]
            cell = text[a:b].strip()
            if not inside:
                continue
            if len(inside) == 1 and inside[0].label == "Programme" and inside[0].text.strip() == cell:
                programmes.append(inside[0].key)
            elif all(m.label == "Region" for m in inside):
                gaps = [text[x.end : y.start] for x, y in zip(inside, inside[1:], strict=False)]
                first = text[a : inside[0].start].strip()
                if first in ("", "de", "het") and all(map(gap.match, gaps)):
                    regions.extend(m.key for m in inside)
        if len(set(programmes)) == 1:
            for r in dict.fromkeys(regions):
                self.add("COVERS", programmes[0], r, (start, start + len(line)), "table-row", Basis.STRUCTURE)

    def declared_topics(self, views: list[SentenceView]) -> list[str]:
        """Programmes named in (or right after) a sentence saying what the letter is about."""
        found: list[str] = []
        for i, _ in self._letter_topic_sentences(views):
            named = views[i].ids("Programme") or (
                views[i + 1].ids("Programme")[:1] if i + 1 < len(views) else []
            )
            found.extend(named)
        return list(dict.fromkeys(found))

    def _letter_topic_sentences(self, views: list[SentenceView]) -> list[tuple[int, re.Match]]:
        """Sentences saying what the letter is about ("in deze brief ... over"), found once."""
        if self._topic_sentences is None:
            trigger = self.t["letter_topic"]
            self._topic_sentences = [
                (i, m) for i, v in enumerate(views) if (m := trigger.search(v.sentence.lower)) is not None
            ]
        return self._topic_sentences

    def letter_level(
        self, views: list[SentenceView], title_span: tuple[int, int] | None, title_programmes: list[str]
    ) -> None:
        """The sending ministries coordinate the one programme the letter's title names, and the
        programme a sentence says the letter is about."""
        senders = [s.ministry for s in self.meta.senders]
        if not senders:
            return
        if 1 <= len(title_programmes) <= MAX_TITLE_PROGRAMMES and title_span:
            for ministry in senders:
                for prog in title_programmes:
                    self.add("COORDINATES", ministry, prog, title_span, "letter-title", Basis.STRUCTURE)
        for i, m in self._letter_topic_sentences(views):
            view = views[i]
            at = view.sentence.start + m.end()
            after = [p for p in view.of("Programme") if p.start >= at]
            # the first programme named after "in deze brief ... over", and those listed with it
            about = [p.key for p in after[:1]]
            for prev, p in zip(after, after[1:], strict=False):
                if not _LIST_GAP.fullmatch(self.doc.text[prev.end : p.start]):
                    break
                about.append(p.key)
            span = (view.sentence.start, view.sentence.end)
            for ministry in senders:
                for prog in about:
                    self.add("COORDINATES", ministry, prog, span, "letter-about-programme", Basis.STRUCTURE)

    def metadata(self) -> None:
        """Signatures and the dossier header (basis structure)."""
        for sig in self.meta.signatories:
            span = (sig.start, sig.end)
            self.add(
                "SIGNED_BY", self.letter_id, sig.person, span, "signature", Basis.STRUCTURE, role=sig.role
            )
            if sig.ministry:
                self.add(
                    "HOLDS_OFFICE",
                    sig.person,
                    sig.ministry,
                    span,
                    "signature",
                    Basis.STRUCTURE,
                    role=sig.role,
                    office=sig.office,
                    date=self.meta.date,
                )
        for d in self.meta.dossiers:
            self.add(
                "PART_OF",
                self.letter_id,
                "dossier:" + d.number,
                (d.start, d.end),
                "letter-header",
                Basis.STRUCTURE,
            )

    def mentions(self, mentions: Iterable[Mention], sentences: list[Sentence]) -> None:
        """Letter MENTIONS entity, with a count and one evidence entry per place it is named: the
        sentence of each occurrence (two in one sentence share it), else the mention's own words."""
        starts = [s.start for s in sentences]
        counts: dict[str, int] = {}
        places: dict[str, dict[tuple[int, int], None]] = {}
        for m in mentions:
            counts[m.key] = counts.get(m.key, 0) + 1
            i = bisect_right(starts, m.start) - 1
            if i >= 0 and m.start < sentences[i].end:
                place = (sentences[i].start, sentences[i].end)
            else:
                place = (m.start, m.end)
            places.setdefault(m.key, {})[place] = None
        quoted: dict[tuple[int, int], Evidence] = {}  # a sentence naming several entities is quoted once
        for key, spans in places.items():
            if key == self.letter_id:
                continue
            evidence = []
            for span in spans:
                if span not in quoted:
                    quoted[span] = self.evidence(*span, "mention", Basis.STRUCTURE)
                evidence.append(quoted[span])
            self.rels[("MENTIONS", self.letter_id, key)] = Relationship(
                type="MENTIONS",
                start=self.letter_id,
                end=key,
                properties={"count": counts[key]},
                evidence=evidence,
            )


# a title naming more programmes than this is about a theme, not about each of them
MAX_TITLE_PROGRAMMES = 3
_LIST_GAP = re.compile(r"\s*(?:,|,?\s+en|,?\s+of)\s+(?:de\s+|het\s+)?")

_SLOT_OF_LABEL = {
    "Ministry": "ministry",
    "Programme": "programme",
    "Region": "region",
    "NeighbouringState": "state",
    "Person": "person",
    "Motion": "motion",
    "Organisation": "organisation",
    "Document": "document",
    "Party": "party",
}


@lru_cache(maxsize=1)
def _number_cell() -> re.Pattern:
    return re.compile(rf"(?:{patterns().fragments['number_cell']})")


@lru_cache(maxsize=1)
def _region_gap() -> re.Pattern:
    return re.compile(patterns().fragments["region_gap"])


def _vocabulary_programme(surface: str) -> str | None:
    """The programme the vocabulary knows by this exact name ("NOVEX" of "NOVEX-gebied X")."""
    for start, end, entry, _ in vocabulary().scan(surface):
        if entry.label == "Programme" and start == 0 and end == len(surface):
            return entry.id
    return None


def opening_programme(views: list[SentenceView], opening: re.Pattern, i: int) -> str | None:
    """The programme sentence i opens with ("Het X heeft ...", "Met het X ..."), if any."""
    view = views[i]
    first = next((m for m in view.mentions if m.label != "Commitment"), None)
    if first is None or first.label != "Programme":
        return None
    s = view.sentence
    return first.key if opening.fullmatch(s.lower, 0, first.start - s.start) else None


def title_programmes(
    doc: NormalisedText, meta: LetterMeta, mentions: list[Mention]
) -> tuple[tuple[int, int] | None, list[str]]:
    """The span of the letter's title in the text and the programmes named in it."""
    if not meta.title:
        return None, []
    at = doc.text.find(meta.title)
    if at < 0:
        return None, []
    end = at + len(meta.title)
    return (at, end), list(
        dict.fromkeys(m.key for m in mentions if m.label == "Programme" and at <= m.start < end)
    )


def relate(
    raw: RawLetter,
    doc: NormalisedText,
    letter_id: str,
    meta: LetterMeta,
    sentences: list[Sentence],
    mentions: list[Mention],
) -> list[Relationship]:
    """Stage 7: every relationship the letter states, with its evidence."""
    views = sentence_views(sentences, mentions)
    title_span, in_title = title_programmes(doc, meta, mentions)
    relator = Relator(raw, doc, letter_id, meta)
    relator.relate(views, title_span, in_title)
    relator.mentions(mentions, sentences)
    return list(relator.rels.values())
