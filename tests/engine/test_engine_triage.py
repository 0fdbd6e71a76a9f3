"""A table per red flag (fires, negated, hypothetical, uncertain) and the general safety net."""

from __future__ import annotations

import pytest
from engine_helpers import run

from spineconsult.knowledge import default_pack
from spineconsult.knowledge.schema import LEVELS

# red flag -> (message that fires it, facts, negated message, hypothetical message)
RED_FLAGS = {
    "cauda_equina_signs": (
        "Ten days after my laminectomy I can't empty my bladder.",
        {},
        "No problems peeing and no numbness around my bottom after my laminectomy.",
        "After my laminectomy, what if I can't empty my bladder?",
    ),
    "progressive_neurological_deficit": (
        "Since my discectomy the numbness in my leg is getting worse.",
        {},
        "After my discectomy the numbness is not getting worse.",
        "If the numbness after my discectomy gets worse, what then?",
    ),
    "rapidly_progressive_deficit": (
        "After my back surgery both legs are getting weaker.",
        {},
        "After my back surgery neither leg is getting weaker.",
        "What if both legs are getting weaker after back surgery?",
    ),
    "early_hematoma_signs": (
        "Two days after my laminectomy I have excruciating back pain and my leg is weak.",
        {},
        "Two days after my laminectomy, no severe back pain and no leg weakness.",
        "Two days after my laminectomy: what if I get excruciating back pain and a weak leg?",
    ),
    "possible_sphincter_change": (
        "Since my discectomy my bladder feels different.",
        {},
        "Since my discectomy no problems with my bladder.",
        "After my discectomy, what if my bladder feels different?",
    ),
    "bilateral_numbness_early": (
        "Three days after my laminectomy both legs went numb.",
        {},
        "Three days after my laminectomy, no numbness in either leg.",
        "Three days after my laminectomy, what if both legs go numb?",
    ),
    "new_leg_weakness_early": (
        "A week after my laminectomy my left leg is weak.",
        {},
        "A week after my laminectomy my leg is not weak.",
        "A week after my laminectomy, what if my leg goes weak?",
    ),
    "myelopathy_signs": (
        "After my ACDF my hands are clumsy and I am unsteady.",
        {},
        "After my ACDF my hands are not clumsy and I am not unsteady.",
        "After my ACDF, what if my hands are clumsy and I am unsteady?",
    ),
    "infection_signs": (
        "A week after my fusion I have a fever.",
        {},
        "A week after my fusion, no fever.",
        "A week after my fusion: if I get a fever should I call?",
    ),
    "wound_redness": (
        "My wound is red after my discectomy.",
        {},
        "My wound is not red after my discectomy.",
        "What if my wound goes red after my discectomy?",
    ),
    "csf_leak_signs": (
        "After my laminectomy I get a headache every time I sit up.",
        {},
        "After my laminectomy I do not get a headache when I sit up.",
        "After my laminectomy, what if I get a headache when I sit up?",
    ),
    "meningitis_signs": (
        "I have a fever and a stiff neck.",
        {},
        "No fever and no stiff neck.",
        "What if I get a fever and a stiff neck?",
    ),
    "dvt_signs": (
        "My calf is swollen after my fusion.",
        {},
        "My calf is not swollen after my fusion.",
        "If my calf is swollen after my fusion, is it a clot?",
    ),
    "chest_pain": ("I have chest pain.", {}, "I have no chest pain.", "What if I get chest pain?"),
    "breathing_difficulty": (
        "I am struggling to breathe.",
        {},
        "I am not short of breath.",
        "What if I become short of breath?",
    ),
    "neck_swelling_after_anterior_surgery": (
        "Two days after ACDF my neck is swelling.",
        {},
        "Two days after ACDF my neck is not swollen.",
        "Two days after ACDF: what if my neck swells?",
    ),
    "swallowing_difficulty": (
        "After my ACDF I have trouble swallowing.",
        {},
        "After my ACDF no trouble swallowing.",
        "After my ACDF, could I get trouble swallowing?",
    ),
    "arm_weakness_after_neck_surgery": (
        "After my cervical laminoplasty I can't lift my arm.",
        {},
        "After my cervical laminoplasty my arm is not weak.",
        "After my cervical laminoplasty, what if I can't lift my arm?",
    ),
    "stroke_signs": (
        "His face is drooping and his speech is slurred.",
        {},
        "No slurred speech.",
        "What are the signs of a stroke?",
    ),
    "confusion_with_fever": (
        "She is confused and has a fever.",
        {},
        "She is not confused and has no fever.",
        "What if she gets confused with a fever?",
    ),
    "acute_confusion": ("He collapsed this morning.", {}, "He has not collapsed.", "What if he collapses?"),
    "suicidal_thoughts": ("I want to end my life.", {}, "I am not suicidal.", "What if I feel suicidal?"),
    "cancer_red_flags": (
        "I had breast cancer and now back pain wakes me up at night.",
        {},
        "No cancer history; my back pain does not wake me at night.",
        "What if I get cancer and night pain?",
    ),
    "unexplained_weight_loss": (
        "My back pain is worse at night and I am losing weight.",
        {},
        "No weight loss and no night pain.",
        "What if I start losing weight and get pain at night?",
    ),
    "stimulator_wound_problem": (
        "The battery site of my stimulator is red.",
        {},
        "The battery site of my stimulator is not red.",
        "What if the battery site of my stimulator goes red?",
    ),
    "stimulator_infection": (
        "The battery site of my stimulator is red and I have a fever.",
        {},
        "The battery site of my stimulator is not red and I have no fever.",
        "What if the battery site of my stimulator goes red and I get a fever?",
    ),
    "sudden_severe_headache": (
        "Out of nowhere I got the worst headache of my life an hour ago.",
        {},
        "No sudden severe headache, just a mild ache.",
        "What if I get a thunderclap headache?",
    ),
    "sepsis_signs": (
        "A week after my fusion I have a fever and my heart is racing.",
        {},
        "A week after my fusion: no fever and my heart is not racing.",
        "After my fusion, what if I get a fever and my heart is racing?",
    ),
    "new_weakness_first_days": (
        "Two days after my discectomy my left leg is weak.",
        {},
        "Two days after my discectomy, no leg weakness.",
        "Two days after my discectomy: what if my leg goes weak?",
    ),
    "fall_cannot_bear_weight": (
        "I had a fall this morning and now I cant put any weight on my right leg.",
        {},
        "I had a fall this morning but no problem putting weight on my leg, not unable to bear weight.",
        "What if I fall and can't put weight on my leg?",
    ),
    "cannot_swallow_liquids": (
        "Five days after my ACDF I can't swallow anything, not even water.",
        {},
        "Five days after my ACDF, I am not unable to swallow liquids.",
        "After my ACDF, what if I can't swallow liquids?",
    ),
    "new_weakness_with_recurrence": (
        "Four months after my microdiscectomy the leg pain is back and my big toe is weak.",
        {},
        "Four months after my microdiscectomy the leg pain is back but no weakness anywhere.",
        "After my microdiscectomy, what if the leg pain comes back and my foot goes weak?",
    ),
    "abnormal_result_follow_up": (
        "The pathology from my operation came back abnormal and they want to see me.",
        {},
        "The pathology from my operation was normal, nothing abnormal.",
        "What if the pathology comes back abnormal?",
    ),
    "sudden_return_of_leg_pain": (
        "Three months after my discectomy I sneezed, felt a pop, and now the sciatica is bad.",
        {},
        "Three months after my discectomy, no sciatica, even when I sneeze.",
        "After my discectomy, what if I sneeze, feel a pop and get sciatica?",
    ),
}


def test_every_red_flag_has_a_row() -> None:
    assert set(RED_FLAGS) == set(default_pack().red_flags)


@pytest.mark.parametrize("flag_id", sorted(RED_FLAGS))
def test_red_flag_fires_and_sets_the_floor(flag_id: str) -> None:
    message, facts, _, _ = RED_FLAGS[flag_id]
    a = run(message, **facts)
    flag = default_pack().red_flags[flag_id]
    assert flag_id in {f.id for f in a.triage.red_flags}, message
    assert LEVELS.index(a.triage.level) >= LEVELS.index(flag.level)


@pytest.mark.parametrize("flag_id", sorted(RED_FLAGS))
def test_negated_red_flag_does_not_fire(flag_id: str) -> None:
    a = run(RED_FLAGS[flag_id][2])
    assert flag_id not in {f.id for f in a.triage.red_flags}, RED_FLAGS[flag_id][2]


@pytest.mark.parametrize("flag_id", sorted(RED_FLAGS))
def test_hypothetical_red_flag_gives_safety_advice_only(flag_id: str) -> None:
    a = run(RED_FLAGS[flag_id][3])
    assert flag_id not in {f.id for f in a.triage.red_flags}
    assert flag_id in a.triage.watch_for, RED_FLAGS[flag_id][3]
    assert " ".join(default_pack().red_flags[flag_id].if_it_happens.split()) in a.triage.advice


def test_uncertain_red_flag_counts_in_full() -> None:
    a = run("I think I might have lost some bladder control since my discectomy last week.")
    assert a.triage.level == "emergency"
    assert a.triage.red_flags[0].certainty == "uncertain"


def test_red_flag_floor_is_not_lowered_by_reassuring_findings() -> None:
    a = run(
        "Recovering well, walking every day, mild soreness, but since this morning I can't pee. "
        "Ten days after my discectomy."
    )
    assert a.triage.level == "emergency"
    assert all(t.id != "watchful_waiting" for t in a.treatment_options)


def test_red_flag_limited_to_procedure_family() -> None:
    a = run("Three years after my lumbar fusion my neck is a bit swollen.")
    assert "neck_swelling_after_anterior_surgery" not in {f.id for f in a.triage.red_flags}


def test_out_of_scope_message_is_told_so_and_still_gets_the_safety_net() -> None:
    a = run("What is a good recipe for banana bread?")
    assert a.triage.level == "routine" and not a.triage.in_scope
    assert "outside what this service covers" in a.triage.advice
    assert "call emergency services" in a.triage.advice
    assert a.differential == []


def test_out_of_scope_emergency_is_caught() -> None:
    a = run("My husband has crushing chest pain and is sweating.")
    assert a.triage.level == "emergency"
    assert a.triage.red_flags[0].id == "chest_pain"


def test_out_of_scope_fever_does_not_get_wound_advice() -> None:
    a = run("I have a sore throat and a fever since yesterday.")
    assert "infection_signs" not in {f.id for f in a.triage.red_flags}
    assert not a.triage.in_scope


@pytest.mark.parametrize("level", ["emergency", "urgent", "soon", "routine"])
def test_advice_is_plain_and_carries_the_disclaimer(level: str) -> None:
    messages = {
        "emergency": "I can't pee after my laminectomy.",
        "urgent": "A week after my fusion I have a fever.",
        "soon": "My wound is red after my discectomy.",
        "routine": "Two weeks after my discectomy I am doing well.",
    }
    a = run(messages[level])
    assert a.triage.level == level
    assert "not a diagnosis" in a.triage.advice
    assert "G83.4" not in a.triage.advice and "ICD" not in a.triage.advice


@pytest.mark.parametrize(
    "wording",
    [
        "I have been unable to pee since last night.",
        "I can't seem to pee.",
        "peeing is really difficult.",
        "I am having trouble passing water.",
        "I am struggling to wee.",
        "I have to push to pee.",
        "my bladder feels full but nothing comes.",
        "my bottom is numb.",
        "I have no sensation in my saddle area.",
        "it feels numb down below.",
        "I wet the bed last night.",
        "I soiled myself.",
        "I am breathless.",
        "I get chest pains.",
    ],
)
def test_emergency_wordings_early_after_lumbar_surgery(wording: str) -> None:
    assert run("Five days after my laminectomy, " + wording).triage.level == "emergency"


@pytest.mark.parametrize(
    ("message", "level"),
    [
        ("Ten days after my fusion, the wound is discharging.", "urgent"),
        ("Ten days after my fusion, the scar is oozing a little.", "urgent"),
        ("Ten days after my fusion, my temperature is 38.5.", "urgent"),
        ("Ten days after my fusion, a clear fluid is leaking from the scar.", "urgent"),
        ("Ten days after my fusion, my leg is swollen and red below the knee.", "urgent"),
        ("Ten days after my fusion, my foot has dropped.", "urgent"),
        ("The day after my ACDF, my neck feels very tight and puffy.", "emergency"),
        ("The day after my ACDF, I am making a whistling noise when I breathe.", "emergency"),
        ("The day after my ACDF, there is a big swelling on the side of my neck.", "emergency"),
    ],
)
def test_red_flag_wordings_reach_their_level(message: str, level: str) -> None:
    assert LEVELS.index(run(message).triage.level) >= LEVELS.index(level)


@pytest.mark.parametrize(
    "message",
    [
        "Is it normal to feel tired two weeks after my discectomy?",
        "When can I drive after my ACDF?",
        "My bladder is fine and I am walking well after my laminectomy.",
        "I had a catheter for a day in hospital after my fusion, now all fine.",
        "I am worried about getting a blood clot on the plane after my fusion.",
        "My wound looks clean and there is no redness.",
    ],
)
def test_everyday_questions_stay_routine(message: str) -> None:
    assert run(message).triage.level == "routine"
