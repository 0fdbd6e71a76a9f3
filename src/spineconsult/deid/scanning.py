"""Faster regex scans that give exactly the matches of `re.finditer`.

Python's `re` engine jumps straight to candidate positions only when a pattern starts with a literal or a
character class; a pattern that starts with a look-behind, `\\b` or (case-insensitive) letters is tried at
every position of the text. A `JumpingPattern` is told which characters every match starts with: a first
scan jumps from one such character to the next and checks the pattern there (in a look-ahead, so in C),
and the pattern itself runs only where it matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# The only characters outside ASCII that re.IGNORECASE matches to ASCII letters (İ ı ſ and the Kelvin sign;
# a test checks the list against the whole of Unicode).
NON_ASCII_CASE_PARTNERS = "\u0130\u0131\u017f\u212a"


_CLASS = re.compile(r"\\d|\[[^^].*\]")  # \d or a character class that is not negated


def case_closed(first: str) -> str:
    """The class `first` plus the characters re.IGNORECASE matches to it: a case-sensitive class."""
    plain, folded = re.compile(first), re.compile(first, re.IGNORECASE)
    candidates = [*map(chr, range(128)), *NON_ASCII_CASE_PARTNERS]
    extra = [c for c in candidates if folded.fullmatch(c) and not plain.fullmatch(c)]
    body = first[1:-1] if first.startswith("[") else first
    return "[" + body + "".join(f"\\u{ord(c):04x}" for c in extra) + "]"


def _finder(first: str, patterns: list[tuple[str, int]]) -> re.Pattern[str]:
    """A scan for the positions where any of `patterns` (pattern, flags) matches: it consumes one character
    of `first`, then steps back over it and checks the patterns there, in look-aheads (so in C)."""
    if not _CLASS.fullmatch(first):
        raise ValueError(f"first: {first!r} is not \\d or a character class")
    if any(flags & ~re.IGNORECASE for _, flags in patterns):
        raise ValueError("only the IGNORECASE flag is supported")
    if any(flags for _, flags in patterns):
        if not first.isascii():
            raise ValueError(f"first: {first!r}: only ASCII is supported with IGNORECASE")
        first = case_closed(first)
    checks = "|".join(f"(?=(?i:{p}))" if flags else f"(?={p})" for p, flags in patterns)
    return re.compile(f"{first}(?<=(?:{checks})(?s:.))")


def matches_at(regex: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """The matches of `regex.finditer(text)` (leftmost, non-overlapping), given ascending `starts` that
    hold every position where a match starts."""
    end = 0
    for start in starts:
        if start < end:
            continue  # inside the previous match: finditer resumes after it
        m = regex.match(text, start)
        if m is not None:
            end = m.end()
            yield m


@dataclass(frozen=True, eq=False)  # compared and hashed by identity (a key per scan)
class JumpingGroup:
    """Patterns whose matches all start with a character of `first`, scanned together: one pass finds where
    any of them matches (`starts`), then `matches_at` runs each one only there."""

    finder: re.Pattern[str]

    @classmethod
    def compile(cls, first: str, patterns: list[tuple[str, int]]) -> JumpingGroup:
        """`first`: `\\d` or a character class (`[\\d(+]`) holding the first character of every match (with
        re.IGNORECASE, in either case). The patterns must not match the empty string nor use
        back-references."""
        return cls(_finder(first, patterns))

    def starts(self, text: str) -> list[int]:
        return [m.start() for m in self.finder.finditer(text)]


@dataclass(frozen=True)
class JumpingPattern:
    """One pattern; without `first`, a plain scan."""

    regex: re.Pattern[str]
    group: JumpingGroup | None

    @classmethod
    def compile(cls, pattern: str, first: str = "", flags: int = 0) -> JumpingPattern:
        group = JumpingGroup.compile(first, [(pattern, flags)]) if first else None
        return cls(re.compile(pattern, flags), group)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The matches of `regex.finditer(text)`: leftmost, non-overlapping."""
        if self.group is None:
            return self.regex.finditer(text)
        return matches_at(self.regex, text, self.group.starts(text))
