"""Faster regex scans that give exactly the matches of `re.finditer`.

Python's `re` engine jumps straight to candidate positions only when a pattern starts with a literal or a
character class; a pattern that starts with a look-behind, `\\b` or (case-insensitive) letters is tried at
every position of the text. A `JumpingPattern` is told which characters every match starts with: a first
scan jumps from one such character to the next and checks the pattern there (in a look-ahead, so in C),
and the pattern itself runs only where it matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
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


@dataclass(frozen=True)
class JumpingPattern:
    regex: re.Pattern[str]
    finder: re.Pattern[str] | None

    @classmethod
    def compile(cls, pattern: str, first: str = "", flags: int = 0) -> JumpingPattern:
        """`first`: `\\d` or a character class (`[\\d(+]`) holding the first character of every match (with
        re.IGNORECASE, in either case). Empty: a plain scan. The pattern must not match the empty string nor
        use back-references."""
        regex = re.compile(pattern, flags)
        if not first:
            return cls(regex, None)
        if not _CLASS.fullmatch(first) or (flags & re.IGNORECASE and not first.isascii()):
            raise ValueError(f"first: {first!r} is not \\d or a character class (ASCII if case-insensitive)")
        inner = pattern
        if flags & re.IGNORECASE:
            inner, first = f"(?i:{pattern})", case_closed(first)
        # consume one character of `first`, then step back over it and check that the pattern matches there
        finder = re.compile(f"{first}(?<=(?={inner})(?s:.))", flags & ~re.IGNORECASE)
        return cls(regex, finder)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The matches of `regex.finditer(text)`: leftmost, non-overlapping."""
        if self.finder is None:
            yield from self.regex.finditer(text)
            return
        end = 0
        for candidate in self.finder.finditer(text):
            start = candidate.start()
            if start < end:
                continue  # inside the previous match: finditer resumes after it
            m = self.regex.match(text, start)
            if m is not None:
                end = m.end()
                yield m
