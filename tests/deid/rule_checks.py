"""The two checks every table of rule rows makes: the identifier is masked as its type; the text survives."""

from __future__ import annotations

from spineconsult.deid import deidentify_text


def assert_masked(text: str, value: str, kind: str) -> None:
    result = deidentify_text(text, model=None)
    start = text.index(value)
    covering = [s for s in result.spans if s.start <= start and s.end >= start + len(value)]
    assert covering, f"{value!r} not masked in {result.text!r}"
    assert covering[0].type == kind


def assert_survives(text: str) -> None:
    result = deidentify_text(text, model=None)
    assert result.text == text, result.spans
