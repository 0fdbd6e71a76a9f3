"""Snippets: a short window of the text around the first match, HTML-escaped, matches in <mark>."""

from __future__ import annotations

import html
import re

from spineconsult.library.text import fold, stem

SNIPPET_CHARS = 220
MAX_SCAN = 20_000  # look for matches in the first 20,000 characters of a long answer


def _fold_word(word: str) -> str:
    return word.lower() if word.isascii() else fold(word)


_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def _matches(text: str, stems: frozenset[str], phrases: list[tuple[str, ...]]) -> list[tuple[int, int]]:
    """Character spans of words whose stem is wanted, and of whole multi-word phrases."""
    tokens = [(m.start(), m.end(), stem(_fold_word(m.group()))) for m in _TOKEN.finditer(text[:MAX_SCAN])]
    spans = [(s, e) for s, e, st in tokens if st in stems]
    sequence = [st for _, _, st in tokens]
    for phrase, starts in _phrase_starts(sequence, phrases).items():
        size = len(phrase)
        spans += [
            (tokens[i][0], tokens[i + size - 1][1]) for i in starts if tuple(sequence[i : i + size]) == phrase
        ]
    return _merge(sorted(spans))


def _phrase_starts(sequence: list[str], phrases: list[tuple[str, ...]]) -> dict[tuple[str, ...], list[int]]:
    """Each non-empty phrase -> positions of its first word: only there can it match (a long answer
    times the dozens of synonym phrases of a query would otherwise be compared word by word)."""
    wanted = {p for p in phrases if p}
    firsts: dict[str, list[int]] = {p[0]: [] for p in wanted}
    for position, word in enumerate(sequence):
        if word in firsts:
            firsts[word].append(position)
    return {p: firsts[p[0]] for p in wanted}


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _window(text: str, spans: list[tuple[int, int]]) -> tuple[int, int]:
    if not spans or len(text) <= SNIPPET_CHARS:
        return 0, min(len(text), SNIPPET_CHARS)
    start = max(0, spans[0][0] - SNIPPET_CHARS // 4)
    space = text.rfind(" ", 0, start)
    start = space + 1 if start > 0 and space >= 0 else start
    return start, min(len(text), start + SNIPPET_CHARS)


def snippet(text: str, stems: frozenset[str], phrases: list[tuple[str, ...]]) -> str:
    """An escaped excerpt with <mark>...</mark> around matches; '…' where text was cut."""
    spans = _matches(text, stems, phrases)
    start, end = _window(text, spans)
    out, cursor = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        out += [html.escape(text[cursor:s]), "<mark>", html.escape(text[s:e]), "</mark>"]
        cursor = e
    out.append(html.escape(text[cursor:end]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + "".join(out).strip() + suffix
