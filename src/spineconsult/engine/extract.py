"""Message + facts -> findings (with ConText status and side), procedures, levels, timing, age."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from spineconsult.engine import context as ctx
from spineconsult.engine.models import CaseIn, Context, FindingOut, ProcedureOut
from spineconsult.engine.spelling import repair
from spineconsult.engine.timing import weeks_since_surgery
from spineconsult.knowledge.loader import Pack
from spineconsult.knowledge.schema import GAP_WORDS

LEVEL = re.compile(
    r"(?<![a-z0-9])(?P<r1>[ctls])\s?(?P<n1>\d{1,2})\s*(?:-|/|–|to|and)\s*(?P<r2>[ctls])?\s?(?P<n2>\d{1,2})(?![0-9])"
)
AGE = re.compile(
    r"(?<![a-z0-9])(?:(?:i am|i'm|im|he is|he's|she is|she's|aged?|age:?)\s+(?P<a>\d{1,3})"
    r"(?!\s*(?:day|week|wk|month|year|yr|%|kg|lb|pound|stone|cm|mg|hour|min|time|x))"
    r"|(?P<b>\d{1,3})[- ]?(?:years?|yrs?)[- ]old|(?P<c>\d{1,3}) ?(?:yo|y/o|y\.o\.)(?![a-z]))"
)
SIDES = {"left": "left", "right": "right", "both": "both", "bilateral": "both", "bilaterally": "both"}
SPINE_WORDS = re.compile(
    r"(?<![a-z])(?:spine|spinal|back|lower back|neck|dis[ck]s?|vertebrae?|lumbar|cervical|sciatica|sciatic|"
    r"nerves?|[lcs][1-7](?:-[lcs]?[1-7])?)(?![a-z0-9])"
)
# "my surgery", "the operation", "post-op": in this service that is the spine operation, unless another
# operation is named.
OWN_SURGERY = re.compile(
    r"(?<![a-z])(?:my|the|his|her|failed|since|after|post)[- ](?:surgery|operation|op)(?![a-z])"
)
OTHER_SURGERY = re.compile(
    r"(?<![a-z])(?:knee|hip|shoulder|heart|eye|cataract|gallbladder|hernia|c-section|caesarean|cesarean|dental|"
    r"breast|bowel|hand|wrist|ankle|foot|bariatric|cardiac)\s+(?:surgery|operation|op|replacement)(?![a-z])"
)
DROP_FOR_PROCEDURES = {"NEGATED_EXISTENCE", "HYPOTHETICAL", "FAMILY"}
# A co-occurrence pair is at most this many characters apart (8 words of up to ~20 letters).
NEAR_REACH = 200
STATUS_ORDER = {"present": 3, "possible": 2, "absent": 1}


@dataclass(frozen=True)
class NearMatcher:
    """A co-occurrence rule: a word of `a` and a word of `b` with at most `window` words between them,
    none of which starts a new clause."""

    finding: str
    a: re.Pattern[str]
    b: re.Pattern[str]
    gap: re.Pattern[str]

    reach: int  # characters a gap of `window` words can span at most (pairs further apart are skipped)

    def spans(self, text: str) -> list[tuple[str, int, int]]:
        firsts = [(m.start(), m.end()) for m in self.a.finditer(text)]
        if not firsts:
            return []
        seconds = [(m.start(), m.end()) for m in self.b.finditer(text)]
        starts = [two[0] for two in seconds]
        out = []
        for one in firsts:
            lo = bisect.bisect_left(starts, one[0] - self.reach - 80)
            hi = bisect.bisect_right(starts, one[1] + self.reach)
            for two in seconds[lo:hi]:
                left, right = (one, two) if one[0] < two[0] else (two, one)
                if left[1] <= right[0] and self.gap.fullmatch(text, left[1], right[0]):
                    out.append((self.finding, left[0], right[1]))
        return out


@lru_cache(maxsize=16)
def _gap(window: int) -> re.Pattern[str]:
    return re.compile(GAP_WORDS.format(n=window) + r"\s+")


@dataclass(frozen=True)
class Matchers:
    findings: list[tuple[str, re.Pattern[str]]]
    near: list[NearMatcher]
    procedures: list[tuple[str, str, str, re.Pattern[str]]]  # id, name, family, regex (str: any Family)
    rules: ctx.CompiledRules


@lru_cache(maxsize=8)
def matchers(pack: Pack) -> Matchers:
    """Compile the pack's phrases once per pack (the pack object is immutable and cached)."""
    findings = [(f.id, re.compile(src)) for f in pack.findings.values() for src in f.regex_sources()]
    procedures: list[tuple[str, str, str, re.Pattern[str]]] = [
        (p.id, p.name, str(p.family), ctx.whole_words("|".join(p.patterns))) for p in pack.procedures.values()
    ]
    near = [
        NearMatcher(
            f.id, re.compile(rule.sources()[0]), re.compile(rule.sources()[1]), _gap(rule.window), NEAR_REACH
        )
        for f in pack.findings.values()
        for rule in f.near
    ]
    return Matchers(findings, near, procedures, ctx.CompiledRules(pack.context))


@dataclass(frozen=True)
class Mention:
    finding: str
    start: int
    end: int
    categories: frozenset[str]


def _status(categories: frozenset[str], counts_when_historical: bool) -> tuple[str, str | None]:
    """ConText categories -> (status, qualifier); status "history"/"other" are not current findings."""
    if "FAMILY" in categories:
        return "other", None
    if "HISTORICAL" in categories and not counts_when_historical:
        return "history", None
    if "HYPOTHETICAL" in categories:
        return "possible", "hypothetical"
    if "NEGATED_EXISTENCE" in categories and "POSSIBLE_EXISTENCE" in categories:
        return "possible", "uncertain"  # "I don't think I have...": unsure, so red flags still count
    if "NEGATED_EXISTENCE" in categories:
        return "absent", None
    if "POSSIBLE_EXISTENCE" in categories:
        return "possible", "uncertain"
    return "present", None


def _spans(text: str, m: Matchers) -> list[tuple[str, int, int]]:
    found = {
        (fid, mt.start(), mt.end())
        for fid, rx in m.findings
        for mt in rx.finditer(text)
        if mt.end() > mt.start()
    }
    found.update(span for near in m.near for span in near.spans(text))
    return sorted(found, key=lambda f: (f[1], -(f[2] - f[1]), f[0]))


def _side(doc: ctx.Doc, tok_start: int, tok_end: int) -> str | None:
    """The side word nearest to the finding within six words of the same sentence."""
    sent = doc.sentence_bounds[doc.sentence_of[tok_start]]
    best: tuple[int, str] | None = None
    for i in range(max(sent[0], tok_start - 6), min(sent[1], tok_end + 6)):
        word = doc.text[doc.starts[i] : doc.ends[i]]
        if word in SIDES:
            distance = 0 if tok_start <= i < tok_end else min(abs(i - tok_start), abs(i - (tok_end - 1)))
            if best is None or distance < best[0]:
                best = (distance, SIDES[word])
    return best[1] if best else None


def _finding_outputs(
    pack: Pack, doc: ctx.Doc, mods: list[ctx.Modifier], original: str, offsets: list[int], m: Matchers
) -> tuple[list[FindingOut], list[str]]:
    spans = _spans(doc.text, m)
    token_spans = [doc.token_span(s, e) for _, s, e in spans]
    categories = ctx.modifier_categories(doc, mods, token_spans)
    best: dict[str, FindingOut] = {}
    history: list[str] = []
    for (fid, fixed_start, fixed_end), toks, cats in zip(spans, token_spans, categories, strict=True):
        start, end = offsets[fixed_start], offsets[fixed_end]
        finding = pack.findings[fid]
        status, qualifier = _status(frozenset(cats), finding.counts_when_historical)
        if status in ("history", "other"):
            history.append(fid)
            continue
        out = FindingOut(
            id=fid,
            name=finding.name,
            status=status,
            text=original[start:end],
            start=start,
            end=end,
            side=_side(doc, *toks),
            qualifier=qualifier,
        )
        if fid not in best or STATUS_ORDER[status] > STATUS_ORDER[best[fid].status]:
            best[fid] = out
    present = {fid for fid, f in best.items() if f.status != "absent"}
    kept = [
        f
        for f in best.values()
        if f.status == "absent" or not present & set(pack.findings[f.id].superseded_by)
    ]
    return sorted(kept, key=lambda f: f.start), sorted(set(history) - set(best))


def _levels(text: str) -> list[str]:
    levels: list[str] = []
    for m in LEVEL.finditer(text):
        r1, n1, n2 = m.group("r1").upper(), int(m.group("n1")), int(m.group("n2"))
        r2 = (m.group("r2") or ("S" if r1 == "L" and n1 == 5 and n2 == 1 else r1)).upper()
        label = f"{r1}{n1}-{r2}{n2}"
        if label not in levels and 0 < n1 <= 12 and 0 < n2 <= 12:
            levels.append(label)
    return levels


def _message_procedures(
    doc: ctx.Doc, mods: list[ctx.Modifier], m: Matchers, levels: list[str]
) -> list[ProcedureOut]:
    """Procedures named in the message, in pack order; a span already claimed by an earlier (more
    specific) entry is not read again ("neck laminectomy" is not also a lumbar laminectomy); negated or
    hypothetical mentions ("without fusion", "fusion is my best option") do not count."""
    spans: list[tuple[str, int, int]] = []
    for pid, _, _, rx in m.procedures:
        for mt in rx.finditer(doc.text):
            if not any(mt.start() < e and s < mt.end() for _, s, e in spans):
                spans.append((pid, mt.start(), mt.end()))
    categories = ctx.modifier_categories(doc, mods, [doc.token_span(s, e) for _, s, e in spans])
    by_id = {pid: (name, family) for pid, name, family, _ in m.procedures}
    kept = {
        pid for (pid, _, _), cats in zip(spans, categories, strict=True) if not cats & DROP_FOR_PROCEDURES
    }
    specific = [pid for pid in by_id if pid in kept]
    if any(by_id[p][1] != "unknown" for p in specific):
        specific = [p for p in specific if by_id[p][1] != "unknown"]
    return [
        ProcedureOut(name=by_id[p][0], family=_family(by_id[p][1], levels), levels=levels, source="message")
        for p in specific
    ]


def _family(family: str, levels: list[str]) -> str:
    """Levels disambiguate: a "fusion" at C5-C6 is cervical; a neck operation at L4-L5 is lumbar."""
    cervical = any(lv.startswith("C") for lv in levels)
    lumbar = any(lv[0] in "LS" for lv in levels)
    if cervical and not lumbar and family in ("lumbar_fusion", "discectomy"):
        return "anterior_cervical"
    if cervical and not lumbar and family == "lumbar_decompression":
        return "posterior_cervical"
    return family


def _input_procedures(case: CaseIn, m: Matchers) -> list[ProcedureOut]:
    out = []
    for proc in case.procedures:
        name = (proc.name or "").lower()
        family = next((fam for _, _, fam, rx in m.procedures if rx.search(name)), "unknown")
        levels = [lv.upper().replace(" ", "") for lv in proc.levels]
        out.append(
            ProcedureOut(
                name=proc.name or "spine surgery",
                family=_family(family, levels),
                levels=levels,
                side=proc.side,
                source="input",
            )
        )
    return out


def _input_weeks(case: CaseIn, asked_on: dt.date) -> float | None:
    for proc in case.procedures:
        if proc.weeks_ago is not None:
            return float(proc.weeks_ago)
        if proc.date is not None and proc.date <= asked_on:
            return round((asked_on - proc.date).days / 7, 2)
    return None


def _age(text: str) -> int | None:
    for m in AGE.finditer(text):
        value = int(m.group("a") or m.group("b") or m.group("c"))
        if 12 <= value <= 110:
            return value
    return None


@dataclass(frozen=True)
class Extraction:
    findings: list[FindingOut]
    context: Context
    in_scope: bool


def extract(case: CaseIn, pack: Pack, asked_on: dt.date) -> Extraction:
    """Structured fields win over what is read from the message."""
    m = matchers(pack)
    text, offsets = repair(ctx.normalise(case.message), pack)
    doc = ctx.make_doc(text)
    mods = ctx.scoped_modifiers(doc, m.rules)
    findings, history = _finding_outputs(pack, doc, mods, case.message, offsets, m)
    levels = _levels(text)
    procedures = _input_procedures(case, m) or _message_procedures(doc, mods, m, levels)
    for proc in procedures:
        levels.extend(lv for lv in proc.levels if lv not in levels)
    weeks = _input_weeks(case, asked_on)
    if weeks is None:
        weeks = weeks_since_surgery(text, asked_on)
    families = sorted({p.family for p in procedures}) or ["unknown"]
    context = Context(
        procedures=procedures,
        weeks_since_surgery=weeks,
        families=families,
        levels=levels,
        age=case.age if case.age is not None else _age(text),
        sex=case.sex,
        history=history,
    )
    own_surgery = bool(OWN_SURGERY.search(text)) and not OTHER_SURGERY.search(text)
    in_scope = (
        bool(procedures)
        or own_surgery
        or bool(SPINE_WORDS.search(text))
        or any(not pack.findings[f.id].general for f in findings if f.status != "absent")
    )
    return Extraction(findings, context, in_scope)
