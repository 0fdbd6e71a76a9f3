"""Red flags set the floor; the general safety net runs on every message; advice in plain language."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spineconsult.engine.models import FindingOut, RedFlagHit
from spineconsult.knowledge.loader import Pack
from spineconsult.knowledge.schema import LEVELS, RedFlag

HEADLINE = {
    "emergency": "Call emergency services or go to the nearest emergency department now.",
    "urgent": "Contact your surgeon or a doctor today; if you cannot reach them, go to urgent care or an "
    "emergency department.",
    "soon": "Book an appointment with your surgeon or doctor within the next one to two weeks.",
    "routine": "Nothing in your message needs urgent care. A spine specialist will answer your question; "
    "meanwhile keep to your planned follow-up and self-care.",
}
SAFETY_NET = (
    "Get help at once if you have trouble passing urine, lose bladder or bowel control, feel numb around "
    "your bottom or genitals, get new or worsening leg or arm weakness, a fever, a red or leaking wound, "
    "chest pain or difficulty breathing."
)
OUT_OF_SCOPE = (
    "Your message does not seem to be about a problem after spine surgery, which is outside what this "
    "service covers; please ask your own doctor about it. If you have chest pain, difficulty breathing, "
    "signs of a stroke (face drooping, slurred speech, sudden weakness of one side) or confusion with a "
    "fever, call emergency services now."
)


@dataclass(frozen=True)
class TriageResult:
    level: str
    red_flags: list[RedFlagHit]
    watch_for: list[RedFlag]


def max_level(levels: Iterable[str]) -> str:
    return max(levels, key=LEVELS.index, default="routine")


def _applies(flag: RedFlag, families: list[str], weeks: float | None, in_scope: bool) -> bool:
    if not flag.general and not in_scope:
        return False
    if flag.families and not set(flag.families) & set(families):
        return False
    if weeks is None:
        return not flag.needs_known_time
    return flag.max_weeks is None or weeks <= flag.max_weeks


def _match(flag: RedFlag, status: dict[str, FindingOut]) -> tuple[list[str], str] | None:
    """Findings of every satisfied alternative (present, or uncertain), and whether all were certain."""
    matched: list[str] = []
    certain = True
    for alternative in flag.when_any:
        hits = [status.get(fid) for fid in alternative]
        if all(h is not None and (h.status == "present" or h.qualifier == "uncertain") for h in hits):
            matched.extend(fid for fid in alternative if fid not in matched)
            certain = certain and all(h is not None and h.status == "present" for h in hits)
    if not matched:
        return None
    return matched, "present" if certain else "uncertain"


def _asked_about(flag: RedFlag, status: dict[str, FindingOut]) -> bool:
    return any(all(fid in status and status[fid].status != "absent" for fid in alt) for alt in flag.when_any)


def triage(
    pack: Pack, findings: list[FindingOut], families: list[str], weeks: float | None, in_scope: bool
) -> TriageResult:
    """Fire every applicable red flag. An uncertain finding ("I think I might...") counts in full;
    a hypothetical one ("what if...") only adds its safety-net advice."""
    status = {f.id: f for f in findings}
    hits: list[RedFlagHit] = []
    watch: list[RedFlag] = []
    for flag in pack.red_flags.values():
        if not _applies(flag, families, weeks, in_scope):
            continue
        matched = _match(flag, status)
        if matched:
            hits.append(
                RedFlagHit(
                    id=flag.id,
                    name=flag.name,
                    findings=matched[0],
                    level=flag.level,
                    certainty=matched[1],
                )
            )
        elif _asked_about(flag, status):
            watch.append(flag)
    level = max_level(h.level for h in hits)
    return TriageResult(level, sorted(hits, key=lambda h: -LEVELS.index(h.level)), watch)


def advice(pack: Pack, level: str, hits: list[RedFlagHit], watch: list[RedFlag], in_scope: bool) -> str:
    """Plain-language advice for the patient: what to do, why, what to watch for, and the disclaimer."""
    parts = [HEADLINE[level]] if in_scope or level != "routine" else []
    parts.extend(pack.red_flags[h.id].advice for h in hits)
    parts.extend(flag.if_it_happens for flag in watch)
    if not in_scope:
        parts.append(OUT_OF_SCOPE)
    elif level in ("routine", "soon"):
        parts.append(SAFETY_NET)
    parts.append(pack.info.disclaimer)
    return " ".join(" ".join(p.split()) for p in parts)
