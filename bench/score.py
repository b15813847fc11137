"""Extraction quality: extract every annotated letter whose text is here and score it against its
reference annotation with the official scorer (../shared/tools/score_extraction.py).

Three sets are scored: the reference letters (corpus letters with a gold file of the same stem), the
excerpts (texts pulled locally into var/excerpts, gold in gold/excerpts) and the held-out letters (texts
and gold side by side in bench/heldout, written without looking at the extraction rules). Prints, per set,
precision, recall and F1 per entity type and per relation type, pooled over the set's letters, one line per
letter, and how many dates and signatory lists are right. Texts that are missing are named.

    .venv/bin/python bench/score.py [--excerpts var/excerpts] [--heldout bench/heldout] [--shared ../shared]
        [--verbose]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ingest.errors import LetterError  # noqa: E402
from ingest.pipeline import extract_file  # noqa: E402


def load_scorer(path: Path):
    """The official scorer as a module (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("score_extraction", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def count(ratio: float | None, total: int) -> int:
    """Back from the scorer's ratio (rounded to 3 places) to a count; exact below 1,000 items."""
    return round(ratio * total) if ratio is not None and total else 0


def prf(tp: int, predicted: int, found: int, core: int) -> str:
    p = tp / predicted if predicted else None
    r = found / core if core else None
    f = 2 * p * r / (p + r) if p is not None and r is not None and p + r else None

    def fmt(x):
        return f"{x:5.3f}" if x is not None else "    -"

    return f"P {fmt(p)}  R {fmt(r)}  F1 {fmt(f)}"


@dataclass
class Tally:
    """Counts for one entity or relation type: true-positive predictions, predictions, core found, core."""

    tp: int = 0
    predicted: int = 0
    found: int = 0
    core: int = 0

    def add(self, other: Tally) -> None:
        self.tp += other.tp
        self.predicted += other.predicted
        self.found += other.found
        self.core += other.core

    def __str__(self) -> str:
        return (
            f"{prf(self.tp, self.predicted, self.found, self.core)}  "
            f"({self.found}/{self.core} core, {self.tp}/{self.predicted} predicted right)"
        )


@dataclass
class LetterScore:
    key: str
    entities: dict[str, Tally] = field(default_factory=dict)
    relations: dict[str, Tally] = field(default_factory=dict)
    date_ok: bool = False
    signatories_ok: bool = False
    report: dict = field(default_factory=dict)

    @staticmethod
    def total(tallies: dict[str, Tally]) -> Tally:
        out = Tally()
        for t in tallies.values():
            out.add(t)
        return out


def score_letter(scorer, key: str, text: Path, gold: Path) -> LetterScore:
    graph = extract_file(text).model_dump(mode="json")
    report = scorer.score(graph, str(gold))
    result = LetterScore(key, report=report)
    result.date_ok = report["metadata"]["date_ok"]
    result.signatories_ok = report["metadata"]["signatories_ok"]
    for etype, r in report["entities"].items():
        result.entities[etype] = Tally(count(r["precision"], r["nodes"]), r["nodes"], r["found"], r["core"])
    # the scorer reports relation precision only over all types: score each type's relations alone
    scored = scorer.SCORED_RELATIONS
    types = {r["type"] for r in graph["relationships"] if r["type"] in scored} | set(report["relations"])
    for rtype in sorted(types):
        only = dict(graph, relationships=[r for r in graph["relationships"] if r["type"] == rtype])
        predicted = len(only["relationships"])
        precision = scorer.score(only, str(gold))["relations_total"]["precision"] if predicted else None
        core = report["relations"].get(rtype, {"core": 0, "found": 0})
        result.relations[rtype] = Tally(count(precision, predicted), predicted, core["found"], core["core"])
    return result


def print_misses(report: dict) -> None:
    for etype, r in report["entities"].items():
        if r["missed"]:
            print(f"      missed {etype}: " + "; ".join(r["missed"]))
        if r["unexpected"]:
            print(f"      unexpected {etype}: " + "; ".join(r["unexpected"]))
    t = report["relations_total"]
    for line in t["missed"]:
        print(f"      missed relation: {line}")
    for line in t["unexpected"]:
        print(f"      unexpected relation: {line}")
    m = report["metadata"]
    if not (m["date_ok"] and m["signatories_ok"]):
        print(f"      metadata: letter nodes {m['letter_nodes']}, date {m.get('date')!r} ok {m['date_ok']}, "
              f"signatories ok {m['signatories_ok']}")


def score_set(scorer, title: str, pairs: list[tuple[str, Path, Path]], verbose: bool) -> None:
    print(f"\n== {title}")
    present = [(k, t, g) for k, t, g in pairs if t.is_file()]
    missing = [str(t) for _, t, _ in pairs if not t.is_file()]
    print(f"   {len(present)} of {len(pairs)} annotated texts present")
    for path in missing:
        print(f"   missing text: {path}")
    if not present:
        return
    letters: list[LetterScore] = []
    for key, text, gold in present:
        try:
            letters.append(score_letter(scorer, key, text, gold))
        except LetterError as exc:
            print(f"   extraction failed: {exc}")
    print("   per letter")
    for s in letters:
        ent, rel = LetterScore.total(s.entities), LetterScore.total(s.relations)
        print(f"   {s.key:24} entities {prf(ent.tp, ent.predicted, ent.found, ent.core)}   "
              f"relations {prf(rel.tp, rel.predicted, rel.found, rel.core)}   "
              f"date {'ok' if s.date_ok else 'WRONG'}  signatories {'ok' if s.signatories_ok else 'WRONG'}")
        if verbose:
            print_misses(s.report)
    for kind in ("entities", "relations"):
        pooled: dict[str, Tally] = {}
        for s in letters:
            for name, tally in getattr(s, kind).items():
                pooled.setdefault(name, Tally()).add(tally)
        print(f"   {kind} (pooled over {len(letters)} letters)")
        for name in sorted(pooled):
            print(f"     {name:18} {pooled[name]}")
        print(f"     {'ALL':18} {LetterScore.total(pooled)}")
    dates = sum(s.date_ok for s in letters)
    signers = sum(s.signatories_ok for s in letters)
    print(f"   metadata: date right {dates}/{len(letters)}, signatories right {signers}/{len(letters)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared",
                        help="the shared folder (default: ../shared next to the repo)")
    parser.add_argument("--letters", type=Path, help="corpus letters (default: SHARED/corpus/letters)")
    parser.add_argument("--gold", type=Path, help="reference annotations (default: SHARED/gold)")
    parser.add_argument("--excerpts", type=Path, default=REPO / "var" / "excerpts",
                        help="the locally pulled excerpt texts (default: var/excerpts)")
    parser.add_argument("--heldout", type=Path, default=REPO / "bench" / "heldout",
                        help="held-out letters, each <key>.txt with its <key>.yaml (default: bench/heldout)")
    parser.add_argument("--scorer", type=Path, help="default: SHARED/tools/score_extraction.py")
    parser.add_argument("--verbose", "-v", action="store_true", help="print each letter's misses")
    args = parser.parse_args()
    letters = args.letters or args.shared / "corpus" / "letters"
    gold = args.gold or args.shared / "gold"
    scorer = load_scorer(args.scorer or args.shared / "tools" / "score_extraction.py")

    reference = [(g.stem, letters / f"{g.stem}.txt", g) for g in sorted(gold.glob("*.yaml"))]
    excerpts = [
        (g.stem, args.excerpts / f"{g.stem}.txt", g) for g in sorted((gold / "excerpts").glob("*.yaml"))
    ]
    heldout = [(g.stem, args.heldout / f"{g.stem}.txt", g) for g in sorted(args.heldout.glob("*.yaml"))]
    if not reference and not excerpts and not heldout:
        print(f"no reference annotations under {gold}", file=sys.stderr)
        return 1
    score_set(scorer, "reference letters", reference, args.verbose)
    score_set(scorer, "excerpts", excerpts, args.verbose)
    score_set(scorer, "held-out", heldout, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
