"""Place rules of the third tuning round: strings that must be masked and strings that must survive."""

from __future__ import annotations

import pytest

from spineconsult.deid import deidentify_text

from .rule_checks import assert_masked, assert_survives

# (text, the identifier inside it, expected type)
POSITIVE = [
    # a state university names a hospital: "U Maryland", "U of MD", "University of Maryland"
    ("start IV insulin per U Maryland scale.", "U Maryland", "ORGANIZATION"),
    ("PATIENT PRESENTED TO U OF MD MED CENTER", "U OF MD", "ORGANIZATION"),
    ("recieved from university of maryland hospital", "university of maryland", "ORGANIZATION"),
    # "general" right before a facility word is part of its name
    ("s/o: i'm at the general hospital. it's the 11th.", "general hospital", "ORGANIZATION"),
    ("Knows she is in General Hospital Medical Center.", "General Hospital", "ORGANIZATION"),
    # a facility word right after a known hospital name joins it
    ("plan to go to rehab(sacred heart Memorial) today", "sacred heart Memorial", "ORGANIZATION"),
    ("Transferred from Holy Cross Hospital.", "Holy Cross Hospital", "ORGANIZATION"),
    # a hospital shortened to Saint and an initial, after a place word
    ("Social: Had a bed @ St A. but will need rescreening", "St A", "ORGANIZATION"),
    ("Accepted to St J. for rehab.", "St J", "ORGANIZATION"),
    # "followed at" still names a place; only "followed by" is a sequence
    ("She is followed at Kernan for her back.", "Kernan", "LOCATION"),
    # a hospital acronym followed by a space or a ward is still a hospital
    ("72 YR OLD MALE ADM FROM GH CATH LAB.", "GH", "LOCATION"),
    ("plan to get oob. transfer to quillbury2.", "quillbury", "LOCATION"),
    # verbs and prepositions before a facility word are not part of its name, but names still are
    ("TRANSFERRED FROM LAUREL REGIONAL HOSPITAL TODAY.", "LAUREL REGIONAL HOSPITAL", "ORGANIZATION"),
]

NEGATIVE = [
    # a dose in units before MD, and a state on its own, stay
    "Insulin 10 U MD aware, will recheck.",
    "Gave 4 U Humalog per sliding scale.",
    "She studied at the university for 4 years.",
    "Under general anesthesia in hospital; in general, hospital stay was short.",
    "May need transfer to a general hospital for dialysis.",
    "Heart sounds regular, memorial service planned by the family.",
    "HR 110-135 ST C PERIODIC EPISODES OF SVT.",
    "Rate control with diltiazem followed by amiod bolus and gtt.",
    "SHE GETS METROGEL FOLLOWED BY XEROFOAM AND DSD BID.",
    "PEEP WAS DECREASED TO 7.5 CMH2O THIS AM; NO OTHER VENT CHANGES.",
    "HE WANTED TO LEAVE HOSPITAL AND SIGN AMA. WILL LEAVE FOLEY IN FOR NOW.",
    "Dementia, lung CA w/ nodules, On hospice care but full code.",
    "Lead II shows St A. changes, no place word before it.",
]


@pytest.mark.parametrize(("text", "value", "kind"), POSITIVE)
def test_place_is_masked(text: str, value: str, kind: str) -> None:
    assert_masked(text, value, kind)


@pytest.mark.parametrize("text", NEGATIVE)
def test_text_survives(text: str) -> None:
    assert_survives(text)


def test_joining_words_of_a_place_are_not_spread() -> None:
    # "OF" inside "UNIVERSITY OF MD" must not mask every "OF" of the note
    result = deidentify_text("ADMITTED FROM UNIVERSITY OF MD. HX OF CHF, OUT OF BED.")
    assert "HX OF CHF, OUT OF BED." in result.text
