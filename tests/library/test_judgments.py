"""Staff judgments of related questions: applied at once, symmetric, latest word wins, learnable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from spineconsult.library import related
from spineconsult.library.judgments import all_verdicts, judge, judged_pairs, pair_key, verdicts
from spineconsult.library.related import related_slugs

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
SOURCE = "tingling-after-hemilaminectomy"


def _slugs(session, slug, k=3):
    return [h.slug for h in related(session, slug, k=k)]


def test_a_pair_is_stored_once_in_slug_order():
    assert pair_key("b", "a") == pair_key("a", "b") == ("a", "b")


def test_not_related_is_never_shown_either_way_round(corpus):
    first = _slugs(corpus, SOURCE)[0]
    judge(corpus, first, SOURCE, related=False, judge_id=7, now=NOW)
    assert first not in _slugs(corpus, SOURCE, k=10)
    assert SOURCE not in _slugs(corpus, first, k=10)
    assert len(_slugs(corpus, SOURCE, k=3)) == 3  # the next best fills the place


def test_related_is_shown_first_and_marked_confirmed(corpus):
    judge(corpus, SOURCE, "stimulator-battery", related=True, judge_id=7, now=NOW)
    hits = related(corpus, SOURCE, k=3)
    assert hits[0].slug == "stimulator-battery" and hits[0].confirmed
    assert not any(h.confirmed for h in hits[1:])


def test_the_latest_word_counts_per_judge_and_across_judges(corpus):
    judge(corpus, SOURCE, "acid-reflux", related=True, judge_id=7, now=NOW)
    judge(corpus, SOURCE, "acid-reflux", related=False, judge_id=8, now=NOW + timedelta(hours=1))
    assert verdicts(corpus, SOURCE) == {"acid-reflux": False}
    judge(corpus, "acid-reflux", SOURCE, related=True, judge_id=8, now=NOW + timedelta(hours=2))
    assert verdicts(corpus, SOURCE) == {"acid-reflux": True}
    assert all_verdicts(corpus)["acid-reflux"] == {SOURCE: True}


def test_judged_pairs_give_the_question_texts_for_learning(corpus):
    judge(corpus, SOURCE, "foot-slapping", related=True, judge_id=7, now=NOW)
    judge(corpus, SOURCE, "acid-reflux", related=False, judge_id=7, now=NOW)
    judge(corpus, SOURCE, "withdrawn-page", related=True, judge_id=7, now=NOW)  # no longer in the library
    pairs = judged_pairs(corpus)
    assert len(pairs) == 2
    labels = {(a[:12], b[:12]): label for a, b, label in pairs}
    assert sorted(labels.values()) == [0, 1]
    assert all("Tingling in my foot" in a or "Tingling in my foot" in b for a, b, _ in pairs)


def test_the_whole_library_listing_applies_judgments(corpus):
    judge(corpus, SOURCE, "acid-reflux", related=True, judge_id=7, now=NOW)
    listing = dict(related_slugs(corpus, k=2))
    assert listing[SOURCE][0] == "acid-reflux"
    assert listing["acid-reflux"][0] == SOURCE


def test_a_judgment_racing_its_own_double_click_updates_instead_of_failing(corpus, monkeypatch):
    judge(corpus, SOURCE, "acid-reflux", related=True, judge_id=7, now=NOW)
    # the other click's row is already there but this one's look-up did not see it
    monkeypatch.setattr(corpus, "scalar", lambda *args, **kwargs: None)
    judge(corpus, SOURCE, "acid-reflux", related=False, judge_id=7, now=NOW + timedelta(minutes=1))
    monkeypatch.undo()
    assert verdicts(corpus, SOURCE) == {"acid-reflux": False}
