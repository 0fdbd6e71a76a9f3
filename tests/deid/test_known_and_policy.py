"""Known identities (also misspelt or in another case) and the two policies."""

from __future__ import annotations

import pytest

from spineconsult.deid import deidentify_text

KNOWN = ["Jane Roe", "jane.roe@example.org", "+1 555 010 0199", "Bartholomew Quist"]

# (text, the string that must disappear)
KNOWN_CASES = [
    ("Message from Jane Roe about her back.", "Jane Roe"),
    ("JANE ROE wrote again.", "JANE ROE"),
    ("signed: jane roe", "jane roe"),
    ("Write to JANE.ROE@EXAMPLE.ORG today.", "JANE.ROE@EXAMPLE.ORG"),
    ("Call (555) 010-0199 after six.", "(555) 010-0199"),
    ("Call 5550100199.", "5550100199"),
    ("Her husband Bartolomew came too.", "Bartolomew"),  # one letter missing
    ("Mr Quisst phoned.", "Quisst"),  # one letter doubled
    ("Bartholomeu quist", "Bartholomeu"),  # misspelt, lower case
]


@pytest.mark.parametrize(("text", "value"), KNOWN_CASES)
def test_known_identity_is_removed(text: str, value: str) -> None:
    result = deidentify_text(text, known_identities=KNOWN)
    assert value not in result.text
    assert value.lower() not in result.text.lower()


def test_fuzzy_match_spares_ordinary_words() -> None:
    # "pills" is one edit from the surname "Mills" but is an ordinary word in lower case
    result = deidentify_text("She takes her pills at night.", known_identities=["Anna Mills"])
    assert result.text == "She takes her pills at night."


def test_short_tokens_are_not_fuzzy_matched() -> None:
    result = deidentify_text("Roe and Rob and row", known_identities=["Jane Roe"])
    assert result.text.startswith("[NAME] and")
    assert "row" in result.text


def test_publication_uses_type_tags() -> None:
    result = deidentify_text("Dr. Healey, 3/4/2024, 410-555-1234, a@b.org", policy="publication")
    assert result.text == "Dr. [NAME], [DATE], [PHONE], [EMAIL]"


def test_research_surrogates_are_consistent_within_a_case() -> None:
    text = "Dr. Healey saw her on 3/4/2024. Healey reviewed on 3/11/2024."
    first = deidentify_text(text, policy="research", case_key="case-7")
    again = deidentify_text(text, policy="research", case_key="case-7")
    other = deidentify_text(text, policy="research", case_key="case-8")
    assert first.text == again.text
    assert first.text != other.text
    assert "Healey" not in first.text and "3/4/2024" not in first.text
    names = [first.text[s.start : s.end] for s in first.spans if s.type == "NAME"]
    assert len(names) == 2


def test_research_date_shift_keeps_intervals() -> None:
    from datetime import date

    from spineconsult.deid.dates import parse_date

    result = deidentify_text("Operated 3/4/2024, reviewed 3/11/2024.", policy="research", case_key="k1")
    shifted = [d for d in (parse_date(w.strip(".,")) for w in result.text.split()) if d is not None]
    assert len(shifted) == 2
    assert shifted[1].value - shifted[0].value == date(2024, 3, 11) - date(2024, 3, 4)
    assert shifted[0].value != date(2024, 3, 4)


def test_research_needs_a_case_key() -> None:
    with pytest.raises(ValueError, match="case_key"):
        deidentify_text("Dr. Healey", policy="research")


def test_unknown_policy_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown policy"):
        deidentify_text("x", policy="bogus")  # type: ignore[arg-type]


def test_spans_never_hold_removed_values() -> None:
    text = "Jane Roe, 410-555-1234, jane.roe@example.org"
    dumped = deidentify_text(text, known_identities=KNOWN).model_dump_json()
    for value in ("Jane", "Roe", "555", "example.org"):
        assert value not in dumped


def test_research_names_map_word_by_word_wherever_they_stand() -> None:
    text = "My name is Jane Roe.\nThanks, Jane"
    result = deidentify_text(text, policy="research", case_key="case-42", known_identities=["Jane Roe"])
    first_line, last_line = result.text.splitlines()
    given = first_line.removeprefix("My name is ").split()[0]
    assert last_line == f"Thanks, {given}"
    assert "Jane" not in result.text
