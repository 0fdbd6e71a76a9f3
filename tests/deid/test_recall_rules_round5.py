"""Rules of the fifth tuning round (short years, hospital nicknames, employers, initials, texts in
capitals): a positive and a negative row per rule. All strings are made up."""

from __future__ import annotations

import pytest

from spineconsult.deid import deidentify_text

from .rule_checks import assert_masked, assert_survives

# (text, the identifier inside it, expected type)
POSITIVE = [
    # a year cut to two digits with an apostrophe (after "in" when the apostrophe trails)
    ("History: MI '92 and CABG '95.", "'92", "DATE"),
    ("stent '07 to the LAD, no angina since.", "'07", "DATE"),
    ("APPENDECTOMY IN 11', NO SEQUELAE.", "11'", "DATE"),
    # the first day of a range before a month name
    ("night shift 3->4 oct: slept well", "3", "DATE"),
    # a month/day glued to a word by a dot or a hyphen
    ("moved to Kellerton.6/14, back in ICU now.", "6/14", "DATE"),
    ("RIJ-11/4 line site clean.", "11/4", "DATE"),
    # "Good Sam" is what people call a Good Samaritan hospital
    ("came from Good Sam ER last night.", "Good Sam", "ORGANIZATION"),
    # heart and cancer centers, campuses, and a name glued to its building
    ("appointment at Blue Ridge Heart Center next week.", "Blue Ridge Heart Center", "ORGANIZATION"),
    ("clinic visit at brandvik campus next week.", "brandvik campus", "ORGANIZATION"),
    ('room in "KellertonBuilding" 4th floor.', "KellertonBuilding", "ORGANIZATION"),
    # a hospital acronym one is in or leaves
    ("SAYS SHE IS IN GH TODAY.", "GH", "LOCATION"),
    ("FAMILY WANTS HIM TO LEAVE GH BY FRIDAY.", "GH", "LOCATION"),
    # where someone works
    ("WIFE IS PRESIDENT OF ZYX LTD.", "ZYX", "ORGANIZATION"),
    ("runs his business Zentravia from home.", "Zentravia", "ORGANIZATION"),
    # in a text written mostly in capitals, lower-case names are names
    ("BP 80/40. RESIDENT maria kowalski AWARE. FLUIDS GIVEN.", "kowalski", "NAME"),
    # a lower-case name signing before a credential, even in a normally cased text
    ("Plan: continue to monitor. Family updated.\n\nmaria kowalski rn", "maria", "NAME"),
    # a capital initial and a word, with a person word before the initial or after the word
    ("LUNGS CLEAR PER T. KOVRAS-PT TODAY.", "KOVRAS", "NAME"),
    ("Febrile to 38.9. R. Brandvoll NP aware.", "Brandvoll", "NAME"),
    ("DRESSING DRY. K. MILLER IN TO CHECK LINES.", "MILLER", "NAME"),
    # an initial keeps its dot
    ("DISCUSSED WITH MS T. TODAY.", "T.", "NAME"),
    # a letter without a dot before a name, with a person word around
    ("J KOVALSKI ORDERED A BOLUS AT 2AM.", "J", "NAME"),
    ("goal map > 65 per j ross, will recheck.", "j", "NAME"),
    # a capital letter after an honorific, before a lower-case word
    ("overnight mr K slept most of the night.", "K", "NAME"),
    # an ambiguous first name after a relation: what the relative does (lives), or a phone number
    ("widowed; his daughter sue lives nearby.", "sue", "NAME"),
    ("CONTACT: SON TOM 410-555-0134.", "TOM", "NAME"),
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
    # a normally cased text with a few words in capitals still counts as cased
    "He still has pins and needles in his feet. MRI SHOWED L4-L5 STENOSIS.",
    # a sentence end, not an initial; bacteria
    "PT C/O PAIN IN L. KNEE. CULTURE GREW E. COLI.",
    # letters without a dot and no person word around
    "L foot warm, R foot cool, pulses present.",
    # mental status and the pronoun
    "Neuro: MS I think is improved.",
    # an ambiguous first name as a verb after a relation
    "wife rose from her chair when we came.",
]

# (text, a letter or word that must stay although a name next to it is masked)
KEPT_NEXT_TO_NAME = [
    ("placed in t berg position, Kovalski aware", "placed in t "),
    ("son will call 410-555-0134 tonight.", "son will call"),
]


@pytest.mark.parametrize(("text", "value", "kind"), POSITIVE)
def test_identifier_is_masked(text: str, value: str, kind: str) -> None:
    assert_masked(text, value, kind)


@pytest.mark.parametrize("text", NEGATIVE)
def test_text_survives(text: str) -> None:
    assert_survives(text)


@pytest.mark.parametrize(("text", "kept"), KEPT_NEXT_TO_NAME)
def test_neighbour_survives(text: str, kept: str) -> None:
    assert kept in deidentify_text(text, model=None).text
