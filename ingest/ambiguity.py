"""Context rules for area names that are also something else (the words are in data/ambiguity.yaml).

`choose` gets the gazetteer entries one match could be and keeps those its context allows:
- a kind word heading the list the name stands in picks that kind ("de gemeenten Best en Son",
  "de provincie Groningen"); "arbeidsmarktregio" anywhere earlier in the sentence picks the
  labour-market region (decisions D2: Twente is the COROP area unless the sentence says so);
- ordinary words ("Best", "Putten") are places only with such context or a place word ("in Best");
  some only need it as a sentence's first word ("Leiden");
- metonyms ("Den Haag" for the government) only after a kind word ("gemeente Den Haag");
- a municipality or woonplaats right after a surname particle or a person's title ("Van Beek",
  "het lid Nuis") is a surname;
- otherwise the kind first in `precedence` wins; two areas of that kind with one name (Bergen NH,
  Bergen L) are told apart by the province or municipality the sentence names, else dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from ingest.vocabulary import Entry

DATA = Path(__file__).with_name("data")
_BOUNDARY = re.compile(r"[.!?;:]\s|\n\s*\n|[\u2022\u25aa\u25cf\u25e6]")
_TOKEN = re.compile(r"[^\s,/()]+|[,/()]")
_NOT_A_WORD = re.compile(r"[\W\d]+")
_LIST_CONNECTORS = frozenset({",", "/", "(", ")", "en", "of", "de", "het", "van", "aan", "den", "der", "'s"})
_WINDOW = 300
PLACE_KINDS = ("municipality", "woonplaats")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Rules:
    kind_words: dict[str, str]  # lower-case word heading a list of names -> area kind
    sentence_kind_words: dict[str, str]  # word anywhere earlier in the sentence -> area kind
    sentence_kind_word: re.Pattern | None
    precedence: dict[str, int]
    place_words: frozenset[str]
    particles: frozenset[str]  # one or two words
    person_titles: frozenset[str]
    metonyms: dict[str, frozenset[str]]  # name -> kinds whose kind word makes it a place
    never: frozenset[str]
    strict: frozenset[str]
    sentence_initial: frozenset[str]
    list_gap: re.Pattern  # between two items of an enumeration of places
    heads: frozenset[str]  # place words and kind words: what heads a list of names


@lru_cache(maxsize=1)
def rules() -> Rules:
    raw = yaml.load((DATA / "ambiguity.yaml").read_text(encoding="utf-8"), Loader=_LOADER)
    words = raw["ordinary_words"]
    sentence_words = {k.lower(): v for k, v in (raw.get("sentence_kind_words") or {}).items()}
    pattern = None
    if sentence_words:
        alternatives = "|".join(re.escape(w) for w in sorted(sentence_words, key=len, reverse=True))
        pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")
    return Rules(
        kind_words={k.lower(): v for k, v in raw["kind_words"].items()},
        sentence_kind_words=sentence_words,
        sentence_kind_word=pattern,
        precedence={kind: i for i, kind in enumerate(raw["precedence"])},
        place_words=frozenset(raw["place_words"]),
        particles=frozenset(raw["surname_particles"]),
        person_titles=frozenset(raw.get("person_titles", [])),
        metonyms={m["name"]: frozenset(m["kinds"]) for m in raw.get("metonyms", [])},
        never=frozenset(raw.get("never", [])),
        strict=frozenset(words.get("strict", [])) | frozenset(words.get("strict_woonplaatsen", [])),
        sentence_initial=frozenset(words.get("sentence_initial", [])),
        list_gap=re.compile(raw.get("list_gap", r"\s*,\s*")),
        heads=frozenset(raw["place_words"]) | {k.lower() for k in raw["kind_words"]},
    )


_LAST_BOUNDARY = re.compile(r"(?s:.*)(?:[.!?;:]\s|\n\s*\n|[\u2022\u25aa\u25cf\u25e6])")


def _sentence_before(text: str, start: int) -> str:
    window = text[max(0, start - _WINDOW) : start]
    m = _LAST_BOUNDARY.match(window)  # greedy: up to the last boundary in the window
    return window[m.end() :] if m else window


def _sentence_after(text: str, end: int) -> str:
    window = text[end : end + _WINDOW]
    m = _BOUNDARY.search(window)
    return window[: m.start()] if m else window


def _is_list_token(token: str) -> bool:
    return token.lower() in _LIST_CONNECTORS or token[:1].isupper() or token[:1] in "'\u2019"


class Context:
    """What the text before a match says about it. Each fact is read when first asked: most names
    are settled by the cheap ones (the surname check), so the list head is seldom looked for."""

    def __init__(self, text: str, start: int, end: int):
        self.text, self.end = text, end
        self.before = _sentence_before(text, start).replace("\u2019", "'")
        self.tokens: list[str] = _TOKEN.findall(self.before)
        self.upto = self.before + text[start:end]  # the sentence up to the end of the match

    @cached_property
    def _words(self) -> int:
        return sum(1 for t in self.tokens if not _NOT_A_WORD.fullmatch(t))

    @property
    def initial(self) -> bool:
        """The name starts its sentence."""
        return self._words == 0

    @cached_property
    def _head(self) -> str | None:
        """The place or kind word heading the list the name stands in."""
        tokens, heads = self.tokens, rules().heads
        i = len(tokens) - 1
        while i >= 0 and tokens[i].lower() not in heads and _is_list_token(tokens[i]):
            i -= 1
        return tokens[i].lower() if i >= 0 else None

    @property
    def place(self) -> bool:
        """A place word heads the list."""
        return self._head in rules().place_words

    @cached_property
    def kind(self) -> str | None:
        """The kind a kind word gives."""
        r = rules()
        kind = r.kind_words.get(self._head) if self._head else None
        if kind is None and r.sentence_kind_word is not None:
            found = list(r.sentence_kind_word.finditer(self.before.lower()))
            if found:
                kind = r.sentence_kind_words[found[-1].group(0)]
        return kind

    @cached_property
    def surname(self) -> bool:
        """Right after a surname particle or a person's title."""
        tokens, r = self.tokens, rules()
        if not tokens:
            return False
        two = len(tokens) > 1 and " ".join(tokens[-2:]) in r.particles
        surname = two or tokens[-1] in r.particles
        if surname and self._words == (2 if two else 1):
            surname = False  # "De Noordoostpolder ..." starting a sentence: an article
        return surname or tokens[-1] in r.person_titles

    @property
    def sentence(self) -> str:
        """The sentence around the match (for telling equal names apart), read when needed."""
        return self.upto + _sentence_after(self.text, self.end)


def context(text: str, start: int, end: int) -> Context:
    return Context(text, start, end)


@lru_cache(maxsize=1)
def _kind_prefixes() -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """Each kind word with the space after it, and its kind, in the order `_explicit_kind` tries them."""
    r = rules()
    pairs = tuple(
        (word + " ", kind) for word, kind in (*r.kind_words.items(), *r.sentence_kind_words.items())
    )
    return pairs, tuple(p for p, _ in pairs)


def _explicit_kind(surface: str) -> str | None:
    """The kind a form names itself: "gemeente Best", "Provincie Zeeland"."""
    lowered = surface.lower()
    pairs, prefixes = _kind_prefixes()
    if lowered.startswith(prefixes):
        for prefix, kind in pairs:
            if lowered.startswith(prefix):
                return kind
    if lowered.startswith("openbaar lichaam "):
        return "caribbean_public_body"
    return None


def _tell_apart(areas: list[Entry], sentence: str) -> list[Entry]:
    named = [a for a in areas if any(n and n in sentence for n in a.context_names)]
    return named if len(named) == 1 else []


def list_gap() -> re.Pattern:
    """What stands between two items of an enumeration of places (data/ambiguity.yaml)."""
    return rules().list_gap


def choose(text: str, start: int, end: int, candidates: list[Entry], in_list: bool = False) -> list[Entry]:
    """The candidates for text[start:end] its context allows (non-area entries pass unchanged);
    `in_list`: the name is an item of an enumeration whose neighbouring item is a place."""
    areas = [c for c in candidates if c.kind]
    if not areas:
        return candidates
    others = [c for c in candidates if not c.kind]
    r = rules()
    surface = text[start:end]
    kind = _explicit_kind(surface)
    if kind is not None:
        areas = [a for a in areas if a.kind == kind] or areas
        ctx = None
    else:
        ctx = context(text, start, end)
        drop: set[str] = set()
        if surface in r.never:
            drop.add("woonplaats")
        if ctx.surname:
            drop.update(PLACE_KINDS)
        if surface in r.strict or surface in r.sentence_initial:
            has_context = ctx.kind is not None or ctx.place or in_list
            if surface in r.strict and not has_context:
                drop.update(PLACE_KINDS)
            if surface in r.sentence_initial and ctx.initial and not has_context:
                drop.update(PLACE_KINDS)
        if surface in r.metonyms and ctx.kind not in r.metonyms[surface]:
            drop.update(a.kind for a in areas if a.kind)
        areas = [a for a in areas if a.kind not in drop]
        if len({a.kind for a in areas}) > 1 and ctx.kind is not None:  # one kind: the word changes nothing
            areas = [a for a in areas if a.kind == ctx.kind] or areas
    if not areas:
        return others
    rank = min(r.precedence.get(a.kind or "", 99) for a in areas)
    top = [a for a in areas if r.precedence.get(a.kind or "", 99) == rank]
    if len(top) > 1:
        sentence = ctx.sentence if ctx else text[max(0, start - _WINDOW) : end + _WINDOW]
        top = _tell_apart(top, sentence)
    return others + top
