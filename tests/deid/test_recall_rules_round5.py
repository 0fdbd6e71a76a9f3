"""Rules of the fifth tuning round (short years, hospital nicknames, employers, initials, texts in
capitals): a positive and a negative row per rule. All strings are made up."""

from __future__ import annotations

import pytest

from spineconsult.deid import deidentify_text

# (text, the identifier inside it, expected type)
POSITIVE = [
    # a year cut to two digits with an apostrophe (after "in" when the apostrophe trails)
    ("PMH: s/p MI '92, CABG '95, pacer.", "'92", "DATE"),
    ("'07 stent to LAD, doing well since.", "'07", "DATE"),
    ("HIP REPAIR IN 11' C/B DVT.", "11'", "DATE"),
    # the first day of a range before a month name
    ("nursing progress note 3->4 oct, night shift", "3", "DATE"),
    # a month/day glued to a word by a dot or a hyphen
    ("transferred to Kellerton.6/14. Readmitted later.", "6/14", "DATE"),
    ("#20 RIJ-11/4. Site clean.", "11/4", "DATE"),
    # "Good Sam" is what people call a Good Samaritan hospital
    ("72 yo transferred from Good Sam s/p MI.", "Good Sam", "ORGANIZATION"),
    # heart and cancer centers, campuses, and a name glued to its building
    ("f/u w/ Blue Ridge Heart Center, phone # given.", "Blue Ridge Heart Center", "ORGANIZATION"),
    ("bed on brandvik campus tomorrow.", "brandvik campus", "ORGANIZATION"),
    ('knows he is in the hospital ("KellertonBuilding").', "KellertonBuilding", "ORGANIZATION"),
    # a hospital acronym one is in or leaves
    ("ORIENTED, KNOWS HE IS IN GH.", "GH", "LOCATION"),
    ("WOULD NEED TO LEAVE GH FOR SURGERY.", "GH", "LOCATION"),
    # where someone works
    ("WIFE CEO OF ZYX. NONSMOKER.", "ZYX", "ORGANIZATION"),
    ("worried about his business Zentravia this week", "Zentravia", "ORGANIZATION"),
]

NEGATIVE = [
    # heights and distances in feet
    "5'10\" tall, ambulated 30' with walker, HOB 30'.",
    # a range of doses, no month after it
    "gave 2 to 3 mg morphine, 1->2 L NC.",
    # levels, fractions and pressure settings next to a hyphen
    "Stenosis C5-6/7. rales base-1/2 up. PEEP-5/5 tolerated.",
    # "good" and "heart center" as ordinary words
    "good samples of sputum sent. seen at the heart center today.",
    "walked around the campus with PT.",
    "Building strength in PT, Hospital course uneventful.",
    # a growth hormone level, a nursing home (and New Hampshire: states are kept)
    "INCREASE IN GH LEVEL. WENT HOME TO NH TONIGHT.",
    # no capitalised name after the work words
    "WORKS AT NIGHT. works for the city. her business is closed.",
]


@pytest.mark.parametrize(("text", "value", "kind"), POSITIVE)
def test_identifier_is_masked(text: str, value: str, kind: str) -> None:
    result = deidentify_text(text, model=None)
    start = text.index(value)
    covering = [s for s in result.spans if s.start <= start and s.end >= start + len(value)]
    assert covering, f"{value!r} not masked in {result.text!r}"
    assert covering[0].type == kind


@pytest.mark.parametrize("text", NEGATIVE)
def test_text_survives(text: str) -> None:
    result = deidentify_text(text, model=None)
    assert result.text == text, result.spans
