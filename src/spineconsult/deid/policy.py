"""Policies turn detected spans into output text.

- publication: every span becomes a type tag such as [NAME] or [DATE];
- research: consistent surrogates for one case key (see surrogates.py); a value that cannot be given a
  faithful surrogate (an unparsable date, an age over 89) falls back to its tag.
"""

from __future__ import annotations

from collections.abc import Callable

from spineconsult.deid.models import PolicyName, Span
from spineconsult.deid.surrogates import Surrogates

POLICIES: tuple[PolicyName, ...] = ("publication", "research")


def tag(span: Span) -> str:
    return f"[{span.type}]"


def _research(surrogates: Surrogates) -> Callable[[Span, str], str]:
    def replace(span: Span, original: str) -> str:
        kind = span.type
        if kind == "NAME":
            return surrogates.name(original)
        if kind == "DATE":
            return surrogates.date_text(original) or tag(span)
        if kind in ("PHONE", "ID"):
            return surrogates.digits(original)
        if kind == "EMAIL":
            return surrogates.email(original)
        if kind in ("LOCATION", "ORGANIZATION", "ADDRESS"):
            return surrogates.place(original, kind)
        if kind == "AGE":
            return "90+"
        return tag(span)

    return replace


def replacer(policy: PolicyName, case_key: str | None) -> Callable[[Span, str], str]:
    if policy == "publication":
        return lambda span, _original: tag(span)
    if policy == "research":
        if not case_key:
            raise ValueError("policy 'research' needs a case_key so surrogates stay consistent within a case")
        return _research(Surrogates(case_key))
    raise ValueError(f"unknown policy {policy!r}; expected one of {', '.join(POLICIES)}")


def apply(text: str, spans: list[Span], replace: Callable[[Span, str], str]) -> str:
    parts, pos = [], 0
    for span in spans:
        parts.append(text[pos : span.start])
        parts.append(replace(span, text[span.start : span.end]))
        pos = span.end
    parts.append(text[pos:])
    return "".join(parts)
