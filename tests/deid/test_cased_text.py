"""In normally capitalised text (patients' messages) lower-case surname-like words are ordinary words."""

from __future__ import annotations

import pytest

from spineconsult.deid import deidentify_text
from spineconsult.deid.recognizers.names import written_with_capitals

KEPT = [
    "He still has numbness, pins and needles and swelling in his foot.",
    "His doctor just asked him to wait for complete recovery.",
    "The nurse said the rose bush by the window was a gift. It smells lovely.",
]
MASKED = [
    ("My friend John Carter had the operation.", "John"),
    ("She saw Dr patel on Monday. He was kind.", "patel"),
    ("His wife Rose visited him. She stayed all day.", "Rose"),
]


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_lower_case_words_survive(text):
    assert deidentify_text(text, policy="publication").text == text


@pytest.mark.parametrize("text,name", MASKED)
def test_capitalised_or_titled_names_are_still_masked(text, name):
    assert name not in deidentify_text(text, policy="publication").text


@pytest.mark.parametrize(
    "text,cased",
    [
        ("He is fine. She is too.", True),
        ("pt alert. wife rose in to visit.", False),
        ("PT ALERT. WIFE IN.", False),
    ],
)
def test_which_texts_count_as_normally_cased(text, cased):
    assert written_with_capitals(text) is cased
