from __future__ import annotations

import pytest

from spineconsult.library.synonyms import build_lexicon, lexicon

CASES = [
    ("I have pins and needles in my toes", "paresthesia"),
    ("constant tingling since surgery", "paresthesia"),
    ("my sciatica is worse", "sciatica"),
    ("they said I have a slipped disc", "disc_herniation"),
    ("herniated disk at L5-S1", "disc_herniation"),
    ("I can't pee properly", "bladder"),
    ("problems with my bladder", "bladder"),
    ("my foot drop is not improving", "foot_drop"),
    ("after the microdiscectomy", "discectomy"),
    ("they put in a spinal cord stimulator", "spinal_cord_stimulation"),
    ("had an ACDF last year", "cervical_surgery"),
]


@pytest.mark.parametrize(("text", "concept"), CASES)
def test_finds_the_concept_in_lay_and_clinical_words(text, concept):
    assert concept in lexicon().find(text)


def test_does_not_find_what_is_not_there():
    assert lexicon().find("what is the best diet for a marathon") == ["weight"]
    assert "paresthesia" not in lexicon().find("pins for my hair and a needle for sewing")


def test_expansion_links_lay_words_to_clinical_ones():
    assert "paresthesia" in lexicon().expansions(lexicon().find("pins and needles"))


def test_a_broken_lexicon_names_the_concept():
    with pytest.raises(ValueError, match="concept 'x'"):
        build_lexicon({"x": {"label": "X", "terms": [], "extra": 1}})
