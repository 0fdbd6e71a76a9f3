"""Rules of the fourth tuning round (phones, date ranges, ages over 89, relatives, city short forms):
a positive and a negative row per rule."""

from __future__ import annotations

import pytest

from .rule_checks import assert_masked, assert_survives

# (text, the identifier inside it, expected type)
POSITIVE = [
    # an extension right after a phone number belongs to it
    ("left phone number for MD: 410 392 0780 x45.", "410 392 0780 x45", "PHONE"),
    ("Office 301-555-0100 ext. 12 anytime.", "301-555-0100 ext. 12", "PHONE"),
    # two month/day dates joined by a hyphen
    ("IN HOSPITAL 6/30-7/2 FOR CHF.", "6/30-7/2", "DATE"),
    ("Febrile from 10/15 - 10/16, cultures sent.", "10/15 - 10/16", "DATE"),
    # the decade of an age over 89
    ("A woman in her 90s with stenosis.", "90s", "AGE"),
    ("Pt is a man in his late 90's, lives alone.", "90's", "AGE"),
    ("90s y/o female, fell at home.", "90s", "AGE"),
    # an ambiguous first name after a relation: set off by a comma, or followed by what the relative does
    ("social - wife, rose, left phone number.", "rose", "NAME"),
    ("SON ROB IN TO VISIT THIS AM.", "ROB", "NAME"),
    ("daughter pat called for update.", "pat", "NAME"),
    # short forms of cities after a place cue
    ("came by ems from the VA in Balt this am.", "Balt", "LOCATION"),
    ("Her son who lives in DC will come.", "DC", "LOCATION"),
    ("Moved from NYC last year.", "NYC", "LOCATION"),
]

NEGATIVE = [
    "Lasix x4 doses; restraints x2 overnight.",
    "Pain 3/10-5/10 with movement.",
    "CPAP 5/5-10/5 tolerated.",
    "BP 120/80-130/90, HR 90s.",
    "Sats in the 90s on 2L. Temp 98.6.",
    "A woman in her 80s with stenosis.",
    "wife rose from her chair when we came.",
    "son will visit tomorrow; daughters hope to take him home.",
    "husband, may call later.",
    "plan to DC home tomorrow; will DC foley in AM.",
    "small thrombus in LA, no mural thrombus.",
    "Lines from pharmacy in balt bags.",
]


@pytest.mark.parametrize(("text", "value", "kind"), POSITIVE)
def test_identifier_is_masked(text: str, value: str, kind: str) -> None:
    assert_masked(text, value, kind)


@pytest.mark.parametrize("text", NEGATIVE)
def test_text_survives(text: str) -> None:
    assert_survives(text)
