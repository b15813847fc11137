"""Stage 6: relationships between resolved entities, each with the sentence that states it.

Rules work sentence by sentence on the mentions inside it, using trigger phrases kept in
data/triggers.yaml. Where a sentence names no programme ("het programma richt zich op: ..."),
the programme that is the topic of the surrounding text is used (see `TopicTracker`).
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from pathlib import Path

import yaml

from graph.model import Evidence, Relationship
from ingest.models import Mention, RawLetter, Sentence
from ingest.normalise import NormalisedText
from ingest.text import lower_same_length

DATA = Path(__file__).with_name("data")
_LIST_GAP = re.compile(r"^(?:\s*(?:,|;|/|-|en|of|\s)\s*)*(?:de |het )?$")


@dataclass(frozen=True)
class Trigger:
    """Phrases that signal a relationship, matched on lower-cased text (much faster than
    re.IGNORECASE). `requires` is a word every phrase contains: without it the regex is skipped."""

    pattern: re.Pattern
    requires: str | None = None

    def search(self, lowered: str) -> re.Match | None:
        if self.requires and self.requires not in lowered:
            return None
        return self.pattern.search(lowered)


@lru_cache(maxsize=1)
def triggers() -> dict[str, Trigger]:
    raw = yaml.safe_load((DATA / "triggers.yaml").read_text(encoding="utf-8"))
    out = {}
    for name, group in raw.items():
        patterns, requires = (
            (group, None) if isinstance(group, list) else (group["patterns"], group["requires"])
        )
        out[name] = Trigger(re.compile("|".join(f"(?:{p})" for p in patterns)), requires)
    return out


@dataclass
class SentenceView:
    sentence: Sentence
    mentions: list[Mention]
    by_label: dict[str, list[Mention]] = field(default_factory=dict)

    def index(self) -> None:
        self.by_label = {}
        for m in self.mentions:
            self.by_label.setdefault(m.label, []).append(m)

    def of(self, label: str) -> list[Mention]:
        return self.by_label.get(label, [])

    def ids(self, label: str) -> list[str]:
        return list(dict.fromkeys(m.key for m in self.of(label)))


@dataclass
class TopicTracker:
    """The programme the text is about: frequent in this paragraph, then in the last ~2000 chars."""

    window: int = 2000
    recent: deque = field(default_factory=deque)
    paragraph: int = -1
    in_paragraph: Counter = field(default_factory=Counter)
    in_letter: Counter = field(default_factory=Counter)
    declared: set = field(default_factory=set)  # programmes the letter says it is about
    cached: tuple[bool, str | None] = (False, None)  # (valid?, topic): most sentences change nothing

    def start_paragraph(self, paragraph: int) -> None:
        if paragraph != self.paragraph:
            self.paragraph = paragraph
            self.in_paragraph = Counter()
            self.cached = (False, None)

    def observe(self, view: SentenceView) -> None:
        s = view.sentence
        self.start_paragraph(s.paragraph)
        if s.kind == "footnote" and self.recent:
            self.recent.clear()  # footnotes do not continue the body's topic
            self.cached = (False, None)
        for m in view.of("Programme"):
            self.recent.append((m.start, m.key))
            self.in_paragraph[m.key] += 1
            if s.kind == "body":
                self.in_letter[m.key] += 1
            self.cached = (False, None)
        while self.recent and self.recent[0][0] < s.end - self.window:
            self.recent.popleft()
            self.cached = (False, None)

    def topic(self) -> str | None:
        if not self.cached[0]:
            self.cached = (True, self._compute())
        return self.cached[1]

    def _compute(self) -> str | None:
        scores: Counter = Counter()
        last_seen: dict[str, int] = {}
        for pos, key in self.recent:
            scores[key] += 1
            last_seen[key] = pos
        for key, n in self.in_paragraph.items():
            scores[key] += 3 * n
        for key, n in self.in_letter.items():
            scores[key] += 0.5 * n
        for key in self.declared:
            scores[key] += 2
        if not scores:
            return None
        return max(scores, key=lambda k: (scores[k], last_seen.get(k, -1)))


class Relator:
    def __init__(self, raw: RawLetter, doc: NormalisedText, letter_id: str):
        self.raw, self.doc, self.letter_id = raw, doc, letter_id
        self.rels: dict[tuple[str, str, str], Relationship] = {}
        self.t = triggers()
        self.lower = lower_same_length(doc.text)
        self.programme_by_surface: dict[str, str] = {}  # folded surface form -> programme id
        self.states_in_name: dict[str, list[str]] = {}  # programme id -> states its name contains

    # -- output -------------------------------------------------------------------------------
    def evidence(self, start: int, end: int, rule: str) -> Evidence:
        a, b = self.doc.original_span(start, end)
        return Evidence(
            letter=self.letter_id, source=self.raw.source, start=a, end=b, quote=self.raw.text[a:b], rule=rule
        )

    def add(
        self,
        rtype: str,
        start: str,
        end: str,
        span: tuple[int, int] | None,
        rule: str,
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
                rel.evidence.append(self.evidence(*span, rule))

    # -- rules ----------------------------------------------------------------------------------
    def relate(
        self,
        views: list[SentenceView],
        meta_signers: list[dict],
        title_span: tuple[int, int] | None,
        title_programmes: list[str],
    ) -> list[Relationship]:
        tracker = TopicTracker(declared=set(title_programmes) | self.declared_topics(views))
        for i, view in enumerate(views):
            tracker.start_paragraph(view.sentence.paragraph)
            labels = view.by_label
            needs_topic = (
                "Region" in labels
                or "Ministry" in labels
                or "NeighbouringState" in labels
                or "Programme" in labels
            )
            topic = tracker.topic() if needs_topic else None  # from the text before this sentence
            tracker.observe(view)
            if needs_topic:
                topic = topic or tracker.topic()
            span = (view.sentence.start, view.sentence.end)
            if "Region" in labels:
                self.covers(view, topic, span)
            if "Ministry" in labels:
                self.coordinates(view, topic, span)
                self.participates(view, topic, span)
            if "Programme" in labels or i + 1 < len(views) and "Programme" in views[i + 1].by_label:
                self.overlaps(view, views[i + 1] if i + 1 < len(views) else None, topic, span)
            if "NeighbouringState" in labels or "Programme" in labels:
                self.partners(view, topic, span)
            if "Programme" in labels:
                self.succeeded_by(view, span)
                self.letter_topic(view, meta_signers, span)
            if "Person" in labels or "Motion" in labels or "Commitment" in labels:
                self.people(view, span)
            if "Document" in labels:
                self.documents(view, span)
        for sig in meta_signers:
            for ministry in [sig["ministry"]] if sig["ministry"] else []:
                for prog in title_programmes:
                    self.add("COORDINATES", ministry, prog, title_span, "letter-title")
        return list(self.rels.values())

    def covers(self, view: SentenceView, topic: str | None, span) -> None:
        text = self.doc.text
        programmes = view.of("Programme")
        for m in view.of("Region"):
            if m.rule == "programme-area":
                owner = self._programme_by_surface(m)
                if owner:
                    self.add("COVERS", owner, m.key, span, "programme-area")
        # "Nij Begun (Groningen en Noord-Drenthe)"
        for p in programmes:
            if text.startswith(" (", p.end):
                close = text.find(")", p.end, view.sentence.end)
                for r in view.of("Region"):
                    if p.end < r.start < close:
                        self.add("COVERS", p.key, r.key, span, "programme-parenthesis")
        # "ERT Zuid-Oost Friesland": a programme abbreviation directly before a region
        for p in programmes:
            for r in view.of("Region"):
                if (
                    r.start == p.end + 1
                    and p.text.isupper()
                    and not re.match(r" [A-Z]", text[r.end : r.end + 2])
                ):
                    self.add("COVERS", p.key, r.key, span, "programme-prefix")
        # lists of regions after a trigger: "richt zich op: A, B en C"
        for run in self._region_runs(view):
            before = self.lower[view.sentence.start : run[0].start]
            if not (before.rstrip().endswith(":") or self.t["covers_list"].search(before)):
                continue
            owners = [p.key for p in programmes if p.end <= run[0].start]
            owner = owners[-1] if owners else topic
            if owner:
                for r in run:
                    self.add("COVERS", owner, r.key, span, "region-list")

    def _programme_by_surface(self, area: Mention) -> str | None:
        """The programme named by the prefix of "NOVEX-gebied X", wherever the letter names it."""
        return self.programme_by_surface.get(area.props.get("programme_surface", "").casefold())

    def _region_runs(self, view: SentenceView) -> list[list[Mention]]:
        regions = [r for r in view.of("Region") if r.rule != "programme-area"]
        runs: list[list[Mention]] = []
        for r in regions:
            if runs and _LIST_GAP.match(self.doc.text[runs[-1][-1].end : r.start]):
                runs[-1].append(r)
            else:
                runs.append([r])
        return [run for run in runs if len(run) >= 2]

    def coordinates(self, view: SentenceView, topic: str | None, span) -> None:
        text = self.doc.text
        ministries = view.of("Ministry")
        programmes = view.of("Programme")
        if not ministries:
            return
        # "het programma X van het Ministerie van Y"
        for p in programmes:
            for mi in ministries:
                between = text[p.end : mi.start]
                if re.fullmatch(r",? van het ", between) or re.fullmatch(
                    r" van het (?=[Mm]inisterie)", between
                ):
                    self.add("COORDINATES", mi.key, p.key, span, "programme-of-ministry")
        trig = self.t["coordinates"].search(view.sentence.lower)
        if trig:
            at = view.sentence.start + trig.start()
            ministry = min(ministries, key=lambda mi: abs(mi.start - at)).key
            targets = [p.key for p in programmes] or ([topic] if topic else [])
            for prog in targets:
                self.add("COORDINATES", ministry, prog, span, "coordination-phrase")
            return
        actors = [
            mi
            for mi in ministries
            if re.match(r"(?i)(?:minister(?:ie)?) van", mi.text)
            and not re.search(r"(?i)samen met (?:het |de )?$", text[max(0, mi.start - 20) : mi.start])
        ]
        if actors and programmes and self.t["coordinates_actor"].search(view.sentence.lower):
            for prog in dict.fromkeys(p.key for p in programmes):
                self.add("COORDINATES", actors[0].key, prog, span, "ministry-acts-on-programme")

    def participates(self, view: SentenceView, topic: str | None, span) -> None:
        ministries = view.ids("Ministry")
        if not ministries or not self.t["participates"].search(view.sentence.lower):
            return
        targets = view.ids("Programme") or ([topic] if topic else [])
        for prog in targets:
            for mi in ministries:
                self.add("PARTICIPATES_IN", mi, prog, span, "ministries-commit")

    def overlaps(self, view: SentenceView, nxt: SentenceView | None, topic: str | None, span) -> None:
        text = view.sentence.lower
        programmes = view.ids("Programme")
        star = self.t["overlaps_star"].search(text)
        if star:
            at = view.sentence.start + star.start()
            subject = [p.key for p in view.of("Programme") if p.end <= at]
            hub = subject[-1] if subject else topic
            listed = [p.key for p in view.of("Programme") if p.start > at]
            if hub:
                for p in listed:
                    self.add("OVERLAPS", hub, p, span, "connects-to")
            return
        if not self.t["overlaps_pairwise"].search(text):
            return
        if len(programmes) >= 2:
            for a, b in combinations(programmes, 2):
                self.add("OVERLAPS", a, b, span, "programmes-together")
        elif nxt and re.match(r"(?:Dit|Dat|Het gaat|Zo)\b", nxt.sentence.text):
            following = nxt.ids("Programme")
            if len(following) >= 2:
                both = (view.sentence.start, nxt.sentence.end)
                for a, b in combinations(following, 2):
                    self.add("OVERLAPS", a, b, both, "programmes-together")

    def partners(self, view: SentenceView, topic: str | None, span) -> None:
        states = [s for s in view.of("NeighbouringState") if s.props.get("kind") != "land"]
        for p in view.of("Programme"):
            for state_key in self.states_in_name.get(p.key, []):
                self.add("PARTNERS_WITH", p.key, state_key, span, "state-in-name")
        if not states or not self.t["partners"].search(view.sentence.lower):
            return
        first_state = min(s.start for s in states)
        owners = [
            p.key for p in view.of("Programme") if p.end <= first_state and not self.states_in_name.get(p.key)
        ]
        targets = owners[-1:] or ([topic] if topic else [])
        for prog in targets:
            for s in dict.fromkeys(s.key for s in states):
                self.add("PARTNERS_WITH", prog, s, span, "cross-border-cooperation")

    def succeeded_by(self, view: SentenceView, span) -> None:
        trig = self.t["succeeded_by"].search(view.sentence.lower)
        if not trig:
            return
        at = view.sentence.start + trig.start()
        before = [p.key for p in view.of("Programme") if p.end <= at]
        after = [p.key for p in view.of("Programme") if p.start >= at]
        if before and after:
            self.add("SUCCEEDED_BY", before[-1], after[0], span, "continues-in")

    def people(self, view: SentenceView, span) -> None:
        text = self.doc.text
        persons = view.of("Person")
        for p in persons:
            for party in view.of("Party"):
                if 0 < party.start - p.end <= 3 and text[p.end : party.start].strip() == "(":
                    self.add("MEMBER_OF", p.key, party.key, span, "member-in-brackets")
        for motion in view.of("Motion"):
            submitter = motion.props.get("submitter")
            person = next((p.key for p in persons if p.name == submitter), None)
            if person is None and submitter:
                person = "person:" + motion.key.split(":", 1)[1]
            if person:
                self.add("SUBMITTED", person, motion.key, span, "motion-of")
            if self.t["responds"].search(view.sentence.lower) or "toegezegd" in view.sentence.lower:
                self.add("RESPONDS_TO", self.letter_id, motion.key, span, "responds-to-motion")
        for c in view.of("Commitment"):
            kind = "MAKES" if c.props.get("new") else "RESPONDS_TO"
            self.add(kind, self.letter_id, c.key, span, "commitment")

    def documents(self, view: SentenceView, span) -> None:
        responds = self.t["responds"].search(view.sentence.lower)
        for d in view.of("Document"):
            self.add("REFERS_TO", self.letter_id, d.key, span, "cites-kamerstuk")
            self.add("PART_OF", d.key, "dossier:" + d.props["dossier"], span, "kamerstuk-number")
            if responds:
                self.add("RESPONDS_TO", self.letter_id, d.key, span, "responds-to-document")

    def declared_topics(self, views: list[SentenceView]) -> set[str]:
        """Programmes named in (or right after) a sentence saying what the letter is about."""
        found: set[str] = set()
        for i, view in enumerate(views):
            if self.t["letter_topic"].search(view.sentence.lower):
                named = view.ids("Programme") or (
                    views[i + 1].ids("Programme")[:1] if i + 1 < len(views) else []
                )
                found.update(named)
        return found

    def letter_topic(self, view: SentenceView, signers: list[dict], span) -> None:
        m = self.t["letter_topic"].search(view.sentence.lower)
        if not m:
            return
        at = view.sentence.start + m.end()
        about = [p.key for p in view.of("Programme") if p.start >= at][:1]
        for sig in signers:
            if sig["ministry"]:
                for prog in about:
                    self.add("COORDINATES", sig["ministry"], prog, span, "letter-about-programme")
