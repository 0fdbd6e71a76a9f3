"""Related questions: by meaning, explained by what they share."""

from __future__ import annotations

from spineconsult.library import index_entry, related


def test_spine_questions_are_related_to_spine_questions_not_reflux(corpus):
    hits = related(corpus, "tingling-after-hemilaminectomy", k=3)
    slugs = [h.slug for h in hits]
    assert "acid-reflux" not in slugs and "pregnancy-test" not in slugs
    assert "tingling-after-hemilaminectomy" not in slugs
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_related_hits_say_what_they_share(corpus, published):
    index_entry(
        corpus,
        slug="numb-toes",
        title="Pins and needles in my toes after hemilaminectomy",
        question="I have pins and needles in my toes since my hemilaminectomy.",
        published_at=published,
    )
    corpus.commit()
    hit = related(corpus, "numb-toes", k=1)[0]
    assert hit.slug == "tingling-after-hemilaminectomy"
    assert "pins and needles (paresthesia)" in hit.shared and "hemilaminectomy" in hit.shared


def test_unknown_slug_or_no_k_gives_nothing(corpus):
    assert related(corpus, "no-such-entry") == []
    assert related(corpus, "acid-reflux", k=0) == []


def test_k_larger_than_the_library(corpus):
    assert len(related(corpus, "acid-reflux", k=50)) == 7


def test_vague_shared_words_are_not_given_as_the_reason(corpus, published):
    index_entry(
        corpus,
        slug="normal-long-tingling",
        title="Is it normal and how long will the tingling in my foot last?",
        question="Still tingling in my foot after hemilaminectomy. Is it normal, how long will it last?",
        published_at=published,
    )
    corpus.commit()
    hit = related(corpus, "normal-long-tingling", k=1)[0]
    assert hit.slug == "tingling-after-hemilaminectomy"
    assert not {"normal", "long", "still"} & set(hit.shared) and "hemilaminectomy" in hit.shared
