"""Search ranking on a small fixed corpus, synonyms, filters, snippets, and odd queries."""

from __future__ import annotations

import pytest

from spineconsult.library import index_entry, search


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("pins and needles", "tingling-after-hemilaminectomy"),
        ("slipped disc", "herniated-disc-again"),
        ("sciatica came back after surgery", "herniated-disc-again"),
        ("can't pee after my operation", "urination-after-fusion"),
        ("foot drop", "foot-slapping"),
        ("SCS battery life", "stimulator-battery"),
        ("infected wound and temperature", "wound-infection"),
        ("heartburn", "acid-reflux"),
    ],
)
def test_the_lay_or_clinical_query_finds_the_question_first(corpus, query, expected):
    hits = search(corpus, query)
    assert hits and hits[0].slug == expected


def test_a_spine_query_does_not_bring_reflux_or_pregnancy_near_the_top(corpus):
    slugs = [h.slug for h in search(corpus, "numbness in my foot after back surgery", limit=4)]
    assert "acid-reflux" not in slugs and "pregnancy-test" not in slugs


def test_snippets_mark_the_matched_words_including_synonyms(corpus):
    hit = search(corpus, "pins and needles")[0]
    assert "<mark>tingling</mark>" in hit.snippet
    assert hit.title and hit.published_at.year == 2026 and hit.score > 0
    assert hit.published_at.utcoffset() is not None


def test_snippets_escape_html(session, published):
    index_entry(
        session,
        slug="x",
        title="Scripts",
        question="Is <script>alert(1)</script> sciatica?",
        published_at=published,
    )
    session.commit()
    snippet = search(session, "sciatica")[0].snippet
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet and "<mark>sciatica</mark>" in snippet


def test_filters_by_procedure_and_topic(corpus):
    assert {h.slug for h in search(corpus, "pain after surgery", procedure="fusion")} <= {
        "urination-after-fusion",
        "wound-infection",
    }
    assert search(corpus, "fever", procedure="fusion")[0].slug == "wound-infection"
    assert {h.slug for h in search(corpus, "foot", topic="nerves")} <= {
        "tingling-after-hemilaminectomy",
        "herniated-disc-again",
        "foot-slapping",
    }
    assert search(corpus, "foot", topic="no-such-topic") == []


def test_limit_is_respected(corpus):
    assert len(search(corpus, "surgery", limit=2)) <= 2
    assert search(corpus, "surgery", limit=0) == []


ODD_QUERIES = [
    "",
    "   ",
    "!!!",
    "?",
    "*",
    '"',
    '""',
    "'",
    "''",
    "(",
    ")",
    "-",
    "--",
    "^",
    ":",
    "NEAR(a b)",
    "AND",
    "OR NOT",
    "a AND (b OR",
    'title:"foot',
    "foot*",
    "NOT foot",
    "pins and needles\x00",
    "'; DROP TABLE library_entries; --",
    "1=1; SELECT * FROM library_fts",
    "\\",
    "%",
    "_",
    "%_%",
    "日本語の質問",
    "☃ ❤ 🦴",
    "résumé naïve",
    "\u200b\u200b",
    "x" * 10_000,
    "foot " * 2_000,
    "<script>alert(1)</script>",
    '{"a": 1}',
    "\t\n\r",
    "∑∫√",
    "l4-l5",
    "L5/S1",
    "c'est",
    "don't",
]


@pytest.mark.parametrize("query", ODD_QUERIES, ids=lambda q: repr(q[:20]))
def test_odd_queries_give_a_list_never_an_error(corpus, query):
    hits = search(corpus, query)
    assert isinstance(hits, list)
    assert all(h.slug for h in hits)


def test_an_empty_library_gives_an_empty_list(session):
    assert search(session, "pins and needles") == []
