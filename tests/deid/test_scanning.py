"""The jumping scan finds exactly what re.finditer finds."""

from __future__ import annotations

import random
import re
import sys

import pytest

from spineconsult.deid.recognizers.patterns import compiled_rules
from spineconsult.deid.scanning import NON_ASCII_CASE_PARTNERS, JumpingPattern, matches_at

SAMPLES = [
    "Pt seen 3/14/2021 and 12-01-99; call 410-555-0199 or (301) 555 0100 x4521, pager 12345.",
    "MRN: AB12345, acct 778899, SSN 123-45-6789, age 94 yo, in her late 90's, 1999-03-04.",
    "Lives at 12 Oak Tree Lane, Towson, MD 21204; fax 410.555.0100; +44 20 7946 0958.",
    "On the 3rd, PEEP 5/5 and pain 3/10; 6/30-7/2 stay, 10/03/10/04, 11/21.93, 2/19, 3/45",
    "ip 10.0.0.1, since Jan, March 3, 2021, 3 march 99, 1->2 nov, the 22nd of June, '92 MI",
    "Rue de la Paix 12, Hauptstraße 5, ul. Długa 4, apt 4B, P.O. Box 77, zip 12345, www.x.com",
    "ſSN K İd ıD \u0663\u0664\u0665-\u0661\u0662-\u0663\u0664\u0665\u0666 AGE 101 CASE# Z1234567",
    "",
    "9",
]


def test_rules_find_what_finditer_finds() -> None:
    for compiled in compiled_rules():
        if compiled.group is None:
            continue
        for text in [*SAMPLES, " ".join(SAMPLES), "".join(SAMPLES).upper(), "".join(SAMPLES).lower()]:
            expected = [(m.span(), m.groups()) for m in compiled.regex.finditer(text)]
            jumped = matches_at(compiled.regex, text, compiled.group.starts(text))
            assert [(m.span(), m.groups()) for m in jumped] == expected, (compiled.rule.name, text)


def test_case_insensitive_first_takes_every_case_partner() -> None:
    scan = JumpingPattern.compile(r"\bssn\s*\d+", "[s]", re.IGNORECASE)
    text = "SSN 12, ssn 3, \u017fsn 4, Ssn 5"
    assert [m.group() for m in scan.finditer(text)] == [m.group() for m in scan.regex.finditer(text)]
    assert len(list(scan.finditer(text))) == 4


def test_non_ascii_case_partners_are_complete() -> None:
    folded = re.compile("[a-z]", re.IGNORECASE)
    partners = [c for c in map(chr, range(128, sys.maxunicode + 1)) if folded.fullmatch(c)]
    assert "".join(partners) == NON_ASCII_CASE_PARTNERS


def test_overlapping_candidates_resume_after_a_match() -> None:
    scan = JumpingPattern.compile(r"\d{2}", r"\d")
    assert [m.group() for m in scan.finditer("12345")] == ["12", "34"]


@pytest.mark.parametrize("first", ["x+", "[^a]", "ab"])
def test_bad_first_class_is_refused(first: str) -> None:
    with pytest.raises(ValueError, match="first"):
        JumpingPattern.compile("abc", first)


def _shuffled_texts(count: int = 300) -> list[str]:
    """The samples' words in random order, glued by odd separators: starts no one wrote down."""
    rng = random.Random(7)
    pieces = [p for text in SAMPLES for p in text.split()] + ["in", "Dr.", "per", "mr", "Apt", "x", "'92"]
    glue = [" ", " ", " ", "", ",", "-", "/", "'", "(", ".", ":", "#", "\u00a0", "\n", "->", "–"]
    return [
        "".join(rng.choice(pieces) + rng.choice(glue) for _ in range(rng.randint(5, 40)))
        for _ in range(count)
    ]


def test_rules_find_what_finditer_finds_in_shuffled_text() -> None:
    """A `first:` class that left out a real starting character would lose matches silently."""
    texts = _shuffled_texts()
    found = 0
    for compiled in compiled_rules():
        if compiled.group is None:
            continue
        for text in texts:
            expected = [(m.span(), m.groups()) for m in compiled.regex.finditer(text)]
            jumped = matches_at(compiled.regex, text, compiled.group.starts(text))
            assert [(m.span(), m.groups()) for m in jumped] == expected, (compiled.rule.name, text)
            found += len(expected)
    assert found > 1000  # the shuffled texts do hold things to find
