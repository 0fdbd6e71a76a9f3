"""Extraction of context: procedures and levels, time since surgery, age, side, structured facts."""

from __future__ import annotations

import datetime as dt

import pytest
from engine_helpers import run

from spineconsult.engine.timing import weeks_since_surgery

ASKED = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("I had my discectomy eleven days ago.", 11 / 7),
        ("I am 3 weeks post op from a laminectomy.", 3.0),
        ("Spinal op 36 hours ago and my leg is numb.", 36 / 168),
        ("Six weeks post-op now.", 6.0),
        ("I had the fusion in 2019.", (ASKED - dt.date(2019, 7, 1)).days / 7),
        ("My back surgery was last month.", 52 / 12),
        ("Laminectomy several years ago.", 4 * 52),
        ("Two days after anterior neck surgery my neck swelled.", 2 / 7),
        ("It has been 4 months since my operation.", 4 * 52 / 12),
        ("Surgery on 2026-10-01 went well.", (ASKED - dt.date(2026, 10, 1)).days / 7),
        ("I had a microdiscectomy a year and a half ago.", 1.5 * 52),
        ("POD 4 after L3-4 laminectomy.", 4 / 7),
        ("Post-op day 2, fusion went well.", 2 / 7),
        ("Post op week 3 after ACDF.", 3.0),
        ("Day 3 after my laminoplasty.", 3 / 7),
        (
            "Microdiscectomy in March, pain free until I sneezed two days ago.",
            (ASKED - dt.date(2026, 3, 15)).days / 7,
        ),
        ("I had my fusion in December 2025.", (ASKED - dt.date(2025, 12, 15)).days / 7),
        (
            "My discectomy was in the spring, but I slipped two days ago.",
            (ASKED - dt.date(2026, 4, 15)).days / 7,
        ),
    ],
)
def test_time_since_surgery(text: str, weeks: float) -> None:
    assert weeks_since_surgery(text.lower(), ASKED) == pytest.approx(weeks, abs=0.02)


@pytest.mark.parametrize(
    "text",
    ["My leg has hurt for 3 days.", "I am 58 and my back hurts.", "Three weeks before surgery I fell."],
)
def test_no_time_since_surgery(text: str) -> None:
    assert weeks_since_surgery(text.lower(), ASKED) is None


@pytest.mark.parametrize(
    ("message", "family", "levels"),
    [
        ("I had an L4 - L5 hemilaminectomy.", "lumbar_decompression", ["L4-L5"]),
        ("Decompression at L4/5 and L5/S1.", "lumbar_decompression", ["L4-L5", "L5-S1"]),
        ("Microdiscectomy L5-S1 in May.", "discectomy", ["L5-S1"]),
        ("I had neck surgery from the front at C5-6.", "anterior_cervical", ["C5-C6"]),
        ("ACDF C6/7 last year.", "anterior_cervical", ["C6-C7"]),
        ("Fusion at C4-5.", "anterior_cervical", ["C4-C5"]),
        ("Cervical laminectomy without fusion at C3-C6.", "posterior_cervical", ["C3-C6"]),
        ("TLIF at L4-5 with rods and screws.", "lumbar_fusion", ["L4-L5"]),
        ("I have a spinal cord stimulator.", "stimulator", []),
        ("I had back surgery.", "unknown", []),
    ],
)
def test_procedure_family_and_levels(message: str, family: str, levels: list[str]) -> None:
    ctx = run(message).context
    assert ctx.families == [family]
    assert ctx.levels == levels


def test_recommended_procedure_is_not_a_past_procedure() -> None:
    ctx = run("I had a laminectomy. I am being told now that spinal fusion is my best option.").context
    assert ctx.families == ["lumbar_decompression"]


@pytest.mark.parametrize(
    ("message", "age"),
    [
        ("I am 58 and had a fusion.", 58),
        ("My 72-year-old father had a laminectomy.", 72),
        ("Female, 45 years old.", 45),
        ("I am 6 weeks post op.", None),
    ],
)
def test_age(message: str, age: int | None) -> None:
    assert run(message).context.age == age


def test_side_is_read_near_the_finding() -> None:
    findings = {f.id: f for f in run("Numbness in my left foot and pain in both legs.").findings}
    assert findings["numbness"].side == "left"
    assert findings["bilateral_symptoms"].side == "both"


def test_structured_fields_win_over_the_message() -> None:
    a = run(
        "My fusion was three years ago.",
        age=40,
        procedures=[{"name": "ACDF", "levels": ["C5-C6"], "weeks_ago": 2}],
    )
    assert a.context.families == ["anterior_cervical"]
    assert a.context.weeks_since_surgery == 2
    assert a.context.age == 40
    assert a.context.procedures[0].source == "input"


def test_date_of_surgery_gives_weeks() -> None:
    a = run("Headache when I sit up.", procedures=[{"name": "laminectomy", "date": "2026-11-08"}])
    assert a.context.weeks_since_surgery == 2.0


def test_finding_offsets_point_into_the_message() -> None:
    message = "Since my discectomy I wet myself twice."
    for f in run(message).findings:
        assert message[f.start : f.end] == f.text


def test_age_is_not_time_since_surgery() -> None:
    assert run(
        "My 80 year old mother had back surgery 10 days ago."
    ).context.weeks_since_surgery == pytest.approx(10 / 7, abs=0.01)


def test_no_symptoms_favours_expected_recovery() -> None:
    a = run("What should I eat to help my bones fuse after surgery? Everything is going fine.")
    assert a.differential[0].condition == "expected_postop_recovery"


def test_a_span_is_one_procedure() -> None:
    assert run("I had a neck laminectomy without fusion.").context.families == ["posterior_cervical"]


@pytest.mark.parametrize(
    ("message", "finding", "quoted"),
    [
        ("My calf is swolen and hurting.", "calf_swelling", "calf is swolen"),
        ("I get a bad hedache when I stand.", "headache", "hedache"),
        ("My foot keeps slapping the floor.", "foot_drop", "foot keeps slapping"),
    ],
)
def test_typos_of_pack_words_are_repaired_and_quoted_as_written(
    message: str, finding: str, quoted: str
) -> None:
    found = {f.id: f for f in run(message).findings}
    assert found[finding].text == quoted


def test_a_correct_word_is_not_turned_into_a_pack_word() -> None:
    assert "bladder_change" not in {f.id for f in run("I fell off a ladder.").findings}


def test_longest_allowed_message_is_assessed_quickly() -> None:
    import time

    base = "My legs are numb and weak, my back hurts, I cannot pee, the wound is red, the calf is swollen. "
    started = time.perf_counter()
    a = run((base * 250)[:20000])
    assert a.triage.level == "emergency"
    assert time.perf_counter() - started < 3.0  # was 3 s before scopes were grouped by sentence


@pytest.mark.parametrize(
    "message",
    [
        "After the op for a big disc at L4/5 I've got burning pain in the shin.",
        "The surgery was for a slipped disc and now I'm getting pain down my leg.",
    ],
)
def test_the_reason_for_surgery_does_not_make_a_new_symptom_historical(message: str) -> None:
    statuses = {f.id: f.status for f in run(message).findings}
    assert statuses.get("leg_pain") == "present", statuses


def test_the_reason_for_surgery_stays_historical() -> None:
    statuses = {f.id: f.status for f in run("I had a discectomy for sciatica last year.").findings}
    assert statuses.get("leg_pain") != "present", statuses
