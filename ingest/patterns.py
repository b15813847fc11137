"""Pattern and trigger files (ingest/data/patterns.yaml, triggers.yaml) as validated, typed models.

patterns.yaml has three sections:

- `lists`: named word lists (name connectors, stop words, person titles, ...);
- `fragments`: named regular-expression fragments;
- `rules`: one recognition rule per entry, as spaCy's SpanRuler has them: `{label, id, pattern}`
  plus options (see `Rule`).

In a fragment or a rule's pattern, `{name}` stands for the fragment or list of that name (a list
becomes an alternation of its words, longest first, escaped). Every file is checked when loaded: an
unknown option, an unknown `{name}`, a pattern that does not compile or lacks a group its handler
needs is a `PatternFileError` naming the file and the entry.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

import ahocorasick
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

DATA = Path(__file__).with_name("data")
PATTERNS_FILE = DATA / "patterns.yaml"
TRIGGERS_FILE = DATA / "triggers.yaml"
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")

LABELS = ("Programme", "Region", "Person", "Motion", "Document", "Organisation", "NeighbouringState")

# groups each handler reads from a match (ingest/recognise.py implements the handlers)
HANDLER_GROUPS: dict[str, tuple[str, ...]] = {
    "span": (),
    "region": (),
    "area": ("programme", "name"),
    "agenda": ("compound",),
    "deal": ("head",),
    "coordinated": ("first", "second", "head"),
    "person": ("name",),
    "motion": (),
    "kamerstuk": ("nr",),
}


class PatternFileError(ValueError):
    """A pattern or trigger file that cannot be used; the message names the file and the entry."""

    def __init__(self, path: Path, entry: str, problem: str):
        self.path, self.entry, self.problem = path, entry, problem
        super().__init__(f"{path}: {entry}: {problem}")


class Rule(BaseModel):
    """One recognition rule. The match (or its `span` group) becomes a mention of `label`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: Literal[LABELS]  # type: ignore[valid-type]
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    pattern: str
    handler: str = "span"
    # the literal the pattern cannot match without: a text without it skips the rule
    requires: str | None = None
    # literals one of which every match contains (a list name or words): one multi-pattern scan
    # finds them all, and the pattern is tried only from `before` characters before a hit to
    # `after` characters after it (so that names read back from their head stay fast)
    anchor: str | list[str]
    before: int = 40
    after: int = 160
    span: str | None = None  # group that is the mention (default: the whole match)
    name: str | None = None  # template for the canonical name from groups, e.g. "{head} Deals"
    key: str | None = None  # template for the key's tail (slugged), default the name
    trim: bool = True  # drop a trailing connector word (`name_connectors`) from the span
    stoplist: str | None = None  # list whose entries, as the whole name, reject a match
    min_length: int = 3
    kind: str | None = None  # node property `kind`
    family: str | None = None  # Programme: id of the generic programme this one is one of
    # Programme: the region its name (or its `name` group) gives, for COVERS: "inside" a region
    # named inside it; "inside_or_name" that, else a short name that is all capitalised words is
    # itself a region; "whole" only a name that is a region (or a region and a compass word)
    region_from_name: Literal["inside", "inside_or_name", "whole"] | None = None
    # a match right after (`not_after`) or right before (`not_before`) this regex is skipped
    not_after: str | None = None
    not_before: str | None = None
    in_titles: bool = True  # False: not inside a dossier title line ("30 995 Aanpak Wijken")
    adjective_before: bool = False  # a capitalised adjective just before belongs to the name
    # a tentative mention (a lower-case "compensatiepakket") becomes a node only where the letter
    # relates it to a region or a ministry
    tentative: bool = False

    @field_validator("handler")
    @classmethod
    def _known_handler(cls, value: str) -> str:
        if value not in HANDLER_GROUPS:
            raise ValueError(f"unknown handler {value!r}; one of {', '.join(HANDLER_GROUPS)}")
        return value


class PatternFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lists: dict[str, list[str]]
    fragments: dict[str, str]
    rules: list[Rule]
    gazetteer_exclusions: list[GazetteerExclusion] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> PatternFile:
        clash = set(self.lists) & set(self.fragments)
        if clash:
            raise ValueError(f"names used for both a list and a fragment: {sorted(clash)}")
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"rule id {rule.id!r} is used twice")
            seen.add(rule.id)
        return self


class GazetteerExclusion(BaseModel):
    """A vocabulary entry that does not count where `before` matches the text just before it
    ("de Vlaamse Minister-President" is not the Dutch one)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    entry: str
    before: str


PatternFile.model_rebuild()


def alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


class CompiledRule:
    """A rule with its pattern expanded and compiled (and its context checks)."""

    __slots__ = ("rule", "regex", "anchors", "not_after", "not_before", "stop")

    def __init__(self, rule: Rule, regex: re.Pattern, stop: frozenset[str], anchors: tuple[str, ...]):
        self.rule = rule
        self.regex = regex
        self.anchors = anchors
        self.not_after = re.compile(rf"(?:{rule.not_after})$") if rule.not_after else None
        self.not_before = re.compile(rule.not_before) if rule.not_before else None
        self.stop = stop


class Patterns:
    """The loaded pattern file: lists, expanded fragments and compiled rules."""

    def __init__(self, data: PatternFile, path: Path):
        self.path = path
        self.lists = {k: list(v) for k, v in data.lists.items()}
        self.sets = {k: frozenset(v) for k, v in data.lists.items()}
        self._fragments = data.fragments
        self._expanded: dict[str, str] = {}
        self.fragments = {
            name: self.expand(f"fragments.{name}", text) for name, text in data.fragments.items()
        }
        self.rules: list[CompiledRule] = []
        for i, rule in enumerate(data.rules):
            where = f"rules[{i}] ({rule.id})"
            regex = self.compile(where, rule.pattern)
            missing = [
                g
                for g in (*HANDLER_GROUPS[rule.handler], *([rule.span] if rule.span else []))
                if g not in regex.groupindex
            ]
            if missing:
                raise PatternFileError(
                    path, where, f"pattern has no group(s) {missing} (handler {rule.handler})"
                )
            for template in (rule.name, rule.key):
                for group in _PLACEHOLDER.findall(template or ""):
                    if group not in regex.groupindex:
                        raise PatternFileError(
                            path, where, f"template names group {group!r} the pattern lacks"
                        )
            if rule.stoplist and rule.stoplist not in self.lists:
                raise PatternFileError(path, where, f"stoplist {rule.stoplist!r} is not a list")
            for option in ("not_after", "not_before"):
                value = getattr(rule, option)
                if value:
                    self.compile(f"{where}.{option}", value)
            if rule.requires and rule.requires not in rule.pattern:
                raise PatternFileError(
                    path, where, f"requires {rule.requires!r}, which the pattern does not contain"
                )
            stop = self.sets.get(rule.stoplist, frozenset()) if rule.stoplist else frozenset()
            if isinstance(rule.anchor, str):
                anchors = tuple(self.lists[rule.anchor]) if rule.anchor in self.lists else (rule.anchor,)
            else:
                anchors = tuple(rule.anchor)
            if not all(anchors):
                raise PatternFileError(path, where, "an anchor is empty")
            self.rules.append(CompiledRule(rule, regex, stop, anchors))
        self.automaton = ahocorasick.Automaton()
        owners: dict[str, list[int]] = {}
        for n, cr in enumerate(self.rules):
            for word in cr.anchors:
                owners.setdefault(word, []).append(n)
        for word, rules in owners.items():
            self.automaton.add_word(word, (len(word), tuple(rules)))
        if owners:
            self.automaton.make_automaton()
        self.exclusions = {}
        for i, ex in enumerate(data.gazetteer_exclusions):
            self.exclusions[ex.entry] = self.compile(f"gazetteer_exclusions[{i}]", rf"(?:{ex.before})$")

    def anchor_hits(self, text: str) -> list[list[tuple[int, int]]]:
        """For each rule, the spans of its anchors in `text`, in text order (one scan for all)."""
        hits: list[list[tuple[int, int]]] = [[] for _ in self.rules]
        if not self.rules:
            return hits
        for end, (length, rules) in self.automaton.iter(text):
            for n in rules:
                hits[n].append((end + 1 - length, end + 1))
        return hits

    def expand(self, where: str, text: str, stack: tuple[str, ...] = ()) -> str:
        def sub(m: re.Match) -> str:
            name = m.group(1)
            if name in self.lists:
                return f"(?:{alternation(self.lists[name])})"
            if name in self._fragments:
                if name in stack:
                    raise PatternFileError(self.path, where, f"fragment {name!r} refers to itself")
                if name not in self._expanded:
                    self._expanded[name] = self.expand(
                        f"fragments.{name}", self._fragments[name], (*stack, name)
                    )
                return f"(?:{self._expanded[name]})"
            raise PatternFileError(self.path, where, f"unknown fragment or list {{{name}}}")

        return _PLACEHOLDER.sub(sub, text)

    def compile(self, where: str, text: str) -> re.Pattern:
        expanded = self.expand(where, text)
        try:
            return re.compile(expanded)
        except re.error as exc:
            raise PatternFileError(self.path, where, f"does not compile: {exc}") from None

    def rule(self, rule_id: str) -> CompiledRule:
        for r in self.rules:
            if r.rule.id == rule_id:
                return r
        raise KeyError(rule_id)


def _read(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PatternFileError(path, "(file)", f"is not valid YAML: {exc}") from None


def _entry_name(data, loc: tuple) -> str:
    """`rules[3] (national-programme).pattern` from a pydantic error location."""
    parts: list[str] = []
    node = data
    for item in loc:
        if isinstance(item, int):
            parts[-1:] = [f"{parts[-1] if parts else ''}[{item}]"]
            try:
                node = node[item]
                if isinstance(node, dict) and "id" in node:
                    parts[-1] += f" ({node['id']})"
            except (IndexError, KeyError, TypeError):
                pass
        else:
            parts.append(str(item))
            node = node.get(item) if isinstance(node, dict) else None
    return ".".join(parts) or "(file)"


def load_patterns(path: Path = PATTERNS_FILE) -> Patterns:
    data = _read(path)
    try:
        model = PatternFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise PatternFileError(path, _entry_name(data, err["loc"]), err["msg"]) from None
    return Patterns(model, path)


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    return load_patterns()


# -- triggers ----------------------------------------------------------------------------------


class TriggerGroup(BaseModel):
    """Phrases that signal a relationship, matched on lower-cased text. `requires` is a word every
    phrase contains: a sentence without it skips the regex."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    patterns: list[str] = Field(min_length=1)
    requires: str | None = None

    @model_validator(mode="after")
    def _check(self) -> TriggerGroup:
        for p in self.patterns:
            if re.search(r"(?<!\\)[A-Z]", p):
                raise ValueError(f"phrase {p!r} has an upper-case letter (phrases match lower-cased text)")
            if self.requires and self.requires not in p:
                raise ValueError(f"phrase {p!r} lacks the required word {self.requires!r}")
        return self


class Trigger:
    __slots__ = ("pattern", "requires")

    def __init__(self, pattern: re.Pattern, requires: str | None = None):
        self.pattern = pattern
        self.requires = requires

    def search(self, lowered: str, pos: int = 0, endpos: int | None = None) -> re.Match | None:
        if self.requires and self.requires not in lowered:
            return None
        return self.pattern.search(lowered, pos, len(lowered) if endpos is None else endpos)

    def finditer(self, lowered: str):
        if self.requires and self.requires not in lowered:
            return iter(())
        return self.pattern.finditer(lowered)


def load_triggers(path: Path = TRIGGERS_FILE) -> dict[str, Trigger]:
    raw = _read(path)
    if not isinstance(raw, dict):
        raise PatternFileError(path, "(file)", "expected a mapping of trigger groups")
    out: dict[str, Trigger] = {}
    for name, group in raw.items():
        try:
            model = TriggerGroup.model_validate({"patterns": group} if isinstance(group, list) else group)
        except ValidationError as exc:
            err = exc.errors()[0]
            raise PatternFileError(path, f"{name}", err["msg"]) from None
        for i, p in enumerate(model.patterns):
            try:
                re.compile(p)
            except re.error as exc:
                raise PatternFileError(path, f"{name}[{i}]", f"does not compile: {exc}") from None
        out[name] = Trigger(re.compile("|".join(f"(?:{p})" for p in model.patterns)), model.requires)
    return out


@lru_cache(maxsize=1)
def triggers() -> dict[str, Trigger]:
    return load_triggers()


# -- relation grammar --------------------------------------------------------------------------

RELATIONS_FILE = DATA / "relations.yaml"

# a mention in a sentence skeleton is one character of its label's block (index within the
# sentence as the offset); a ministry written "minister(ie) van X" has a block of its own
SKELETON_BLOCKS: dict[str, int] = {
    "Ministry": 0xE100,
    "TitledMinistry": 0xE200,
    "Programme": 0xE300,
    "Region": 0xE400,
    "NeighbouringState": 0xE500,
    "Person": 0xE600,
    "Motion": 0xE700,
    "Organisation": 0xE800,
    "Document": 0xE900,
    "Party": 0xEA00,
}
BLOCK_SIZE = 0x100


def _block(*labels: str) -> str:
    return (
        "["
        + "".join(f"\\u{SKELETON_BLOCKS[x]:04x}-\\u{SKELETON_BLOCKS[x] + BLOCK_SIZE - 1:04x}" for x in labels)
        + "]"
    )


SLOTS = {
    "ministry": _block("Ministry", "TitledMinistry"),
    "titled_ministry": _block("TitledMinistry"),
    "programme": _block("Programme"),
    "region": _block("Region"),
    "state": _block("NeighbouringState"),
    "person": _block("Person"),
    "motion": _block("Motion"),
    "organisation": _block("Organisation"),
    "document": _block("Document"),
}
OPEN_ENDS = ("programme", "sender")


class GrammarRule(BaseModel):
    """One relation rule over sentence skeletons (see data/relations.yaml)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    type: Literal[
        "COVERS", "COORDINATES", "PARTICIPATES_IN", "OVERLAPS", "PARTNERS_WITH", "SUCCEEDED_BY", "SUBMITTED"
    ]
    pattern: str
    subject: str
    object: str
    # a word (or words, any of which) the sentence must contain for the pattern to be tried
    requires: str | list[str] | None = None
    side: Literal["before", "after", "any"] = "any"
    fallback: Literal["paragraph", "topic", "letter", "none"] = "none"
    # a group of data/triggers.yaml: a sentence it matches is not read by this rule
    guard: str | None = None


class RelationFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lists: dict[str, list[str]] = Field(default_factory=dict)
    fragments: dict[str, str] = Field(default_factory=dict)
    titled_ministry: str
    anaphors: dict[Literal["nominal", "elaboration", "adverbial"], str]
    # the words a programme may follow and still open its sentence (fallback `topic`); by default none
    topic_opening: str = "(?!)"
    rules: list[GrammarRule]


class CompiledGrammarRule:
    __slots__ = ("rule", "regex", "groups", "needs", "requires", "sender")

    def __init__(
        self, rule: GrammarRule, regex: re.Pattern, groups: dict[str, list[str]], needs: frozenset[str]
    ):
        self.rule = rule
        self.regex = regex
        self.groups = groups  # slot -> the pattern's groups for it ("ministries", "ministries2")
        self.needs = needs  # skeleton slots the pattern cannot match without
        words = rule.requires if isinstance(rule.requires, list) else [rule.requires] if rule.requires else []
        self.requires = frozenset(words)  # any of them
        self.sender = "sender" in (rule.subject, rule.object)


class Grammar:
    def __init__(self, data: RelationFile, path: Path):
        self.path = path
        lists = {k: list(v) for k, v in data.lists.items()}
        clash = set(lists) & set(data.fragments) | (set(lists) | set(data.fragments)) & set(SLOTS)
        if clash:
            raise PatternFileError(
                path, "(file)", f"names used twice (lists, fragments, slots): {sorted(clash)}"
            )
        fragments = {**data.fragments, **SLOTS}
        self._helper = Patterns(PatternFile(lists=lists, fragments=fragments, rules=[]), path)
        self.anaphors = {k: self._helper.compile(f"anaphors.{k}", v) for k, v in data.anaphors.items()}
        self.titled = self._helper.compile("titled_ministry", data.titled_ministry)
        self.topic_opening = self._helper.compile("topic_opening", data.topic_opening)
        self.rules: list[CompiledGrammarRule] = []
        seen: set[str] = set()
        for i, rule in enumerate(data.rules):
            where = f"rules[{i}] ({rule.id})"
            if rule.id in seen:
                raise PatternFileError(path, where, "rule id is used twice")
            seen.add(rule.id)
            regex = self._helper.compile(where, rule.pattern)
            groups: dict[str, list[str]] = {}
            for name in regex.groupindex:
                groups.setdefault(name.rstrip("0123456789"), []).append(name)
            for end in ("subject", "object"):
                value = getattr(rule, end)
                if value not in OPEN_ENDS and value not in groups:
                    raise PatternFileError(
                        path,
                        where,
                        f"{end} {value!r} is neither a group of the pattern nor one of {OPEN_ENDS}",
                    )
            needs = frozenset.intersection(
                *(self._slots(alt, data.fragments) for alt in _alternatives(rule.pattern))
            )
            self.rules.append(CompiledGrammarRule(rule, regex, groups, needs))
        words = sorted({w for cr in self.rules for w in cr.requires}, key=len, reverse=True)
        self.required_words = ahocorasick.Automaton()
        for w in words:
            self.required_words.add_word(w, w)
        if words:
            self.required_words.make_automaton()

    @staticmethod
    def _slots(text: str, fragments: dict[str, str], seen: frozenset[str] = frozenset()) -> frozenset[str]:
        """Slots a pattern names, directly or through its fragments: a sentence without them
        cannot match (slot-bearing fragments are never optional in data/relations.yaml)."""
        found: set[str] = set()
        for name in _PLACEHOLDER.findall(text):
            if name in SLOTS:
                found.add(name)
            elif name in fragments and name not in seen:
                found |= Grammar._slots(fragments[name], fragments, seen | {name})
        return frozenset(found)


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression (split at `|` outside groups/classes)."""
    out, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


def load_grammar(path: Path = RELATIONS_FILE) -> Grammar:
    data = _read(path)
    try:
        model = RelationFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise PatternFileError(path, _entry_name(data, err["loc"]), err["msg"]) from None
    return Grammar(model, path)


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    return load_grammar()
