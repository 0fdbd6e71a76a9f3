"""A table of phrasings per finding: present, negated, historical and hypothetical."""

from __future__ import annotations

import pytest
from engine_helpers import statuses

from spineconsult.knowledge import default_pack

# One lay (or clinical) phrasing per finding, read as present.
PRESENT = {
    "numbness": "Since the operation my big toe is numb.",
    "tingling": "I get pins and needles in my foot.",
    "leg_pain": "The sciatica down my left leg is bad.",
    "arm_pain": "I have shooting pain down my right arm.",
    "leg_weakness": "My left leg gives way when I walk.",
    "foot_drop": "I can't lift my foot up and it drags.",
    "progressive_weakness": "The weakness in my legs is getting worse.",
    "bilateral_symptoms": "Both legs ache.",
    "shoulder_weakness": "I can't lift my arm above my shoulder.",
    "hand_clumsiness": "My hands are clumsy and I keep dropping things.",
    "gait_imbalance": "I am unsteady on my feet.",
    "lhermitte": "I get electric shocks down my back when I bend my head forward.",
    "urinary_retention": "I can't pee since this morning.",
    "urinary_incontinence": "I wet myself today.",
    "bowel_incontinence": "I have lost control of my bowels.",
    "saddle_anaesthesia": "My bottom feels numb when I sit on the toilet.",
    "fever": "I have a fever.",
    "wound_discharge": "There is pus coming out of the wound.",
    "wound_redness": "The wound is red and hot.",
    "wound_opening": "My incision has opened up.",
    "clear_wound_fluid": "Clear watery fluid is leaking from the wound.",
    "wound_bulge": "There is a soft squishy lump under my scar.",
    "positional_headache": "I get a headache every time I stand up.",
    "headache": "I have a headache.",
    "neck_stiffness": "I have a stiff neck.",
    "severe_back_pain": "I have excruciating back pain.",
    "night_pain": "The pain wakes me up at night.",
    "calf_swelling": "My calf is swollen.",
    "calf_pain": "My calf is tender.",
    "foot_swelling": "My foot is swollen.",
    "chest_pain": "I have chest pain.",
    "breathlessness": "I am short of breath.",
    "haemoptysis": "I am coughing up blood.",
    "stroke_signs": "Her face is drooping.",
    "confusion": "He is confused.",
    "collapse": "I fainted this morning.",
    "suicidal_thoughts": "I want to end my life.",
    "neck_swelling": "My neck is swelling.",
    "dysphagia": "I have trouble swallowing.",
    "hoarseness": "My voice is hoarse.",
    "stridor": "He has noisy breathing.",
    "neck_pain": "I have neck pain.",
    "head_drop": "My head keeps drooping forward.",
    "stooped_posture": "I am hunched over.",
    "axial_back_pain": "I have lower back pain.",
    "claudication": "I can only walk a few minutes and it eases when I sit down.",
    "extension_pain": "It hurts when I lean back.",
    "different_pain": "It is a different pain now.",
    "mechanical_instability": "My back feels unstable.",
    "hardware_problem": "One of the screws is loose.",
    "smoker": "I am a smoker.",
    "pain_above_fusion": "The pain is at the level above my fusion.",
    "new_pain_after_interval": "The pain came back.",
    "sudden_trigger": "I sneezed and the pain came straight back.",
    "same_pain_as_before": "I still have the same pain.",
    "worse_after_surgery": "The pain is worse than before the surgery.",
    "widespread_pain": "I have pain everywhere.",
    "persistent_pain": "I have chronic pain.",
    "failed_treatments": "Acupuncture was tried.",
    "low_mood": "I am depressed.",
    "more_surgery_proposed": "The surgeon says I need another operation.",
    "improving": "I am getting better.",
    "incision_soreness": "The incision is a bit sore.",
    "mild": "It is mild.",
    "walking_well": "I walk every day.",
    "asks_if_normal": "Is this normal?",
    "buttock_pain": "I have pain in my buttock.",
    "si_joint": "My SI joint hurts.",
    "groin_pain": "I have groin pain.",
    "hip_pain": "I have hip pain.",
    "hip_diagnosis": "They found hip arthritis.",
    "burning_feet": "My feet are burning.",
    "neuropathy_named": "I was told I have peripheral neuropathy.",
    "diabetes": "I have diabetes.",
    "muscle_pain": "My back muscles ache.",
    "deconditioning": "I have been sitting all day.",
    "cancer_history": "I have cancer.",
    "weight_loss": "I am losing weight.",
    "night_sweats": "I have night sweats.",
    "trauma": "I had a car accident.",
    "stimulator_coverage_loss": "My stimulator stopped covering my legs.",
    "stimulator_site_problem": "The battery site is red and swollen.",
    "stimulator_shock": "I get jolts from the stimulator.",
    "scar_tissue_named": "The MRI shows scar tissue around the nerve.",
    "no_current_symptoms": "Everything is going fine.",
    "sexual_dysfunction": "Since the operation I can't get an erection.",
    "bladder_change": "Something is not right with my bladder.",
    "disc_reherniation_named": "The MRI shows a recurrent disc herniation.",
    "palpitations": "My heart is racing.",
    "abnormal_result": "The biopsy came back showing something abnormal.",
    "neurotoxic_history": "I am having chemotherapy at the moment.",
    "thunderclap_headache": "Suddenly I have the worst headache of my life.",
    "unable_to_bear_weight": "Since the fall I cant put any weight on my leg.",
    "cannot_swallow_liquids": "He cannot swallow anything, not even water.",
    "gradual_return": "The leg pain gradually came back.",
    "still_present": "My toe is still numb.",
    "activity_question": "When can I return to work?",
}

# (finding, negated, historical, hypothetical): none of these may read as present.
CONTEXT_TABLE = [
    (
        "urinary_retention",
        "I have no trouble peeing.",
        "Before surgery I couldn't pee properly.",
        "What if I can't pee?",
    ),
    (
        "saddle_anaesthesia",
        "No numbness around my bottom.",
        "Before the operation my bottom felt numb.",
        "Should I look out for numbness between my legs?",
    ),
    (
        "urinary_incontinence",
        "I haven't wet myself.",
        "I used to wet myself before my surgery.",
        "If I lose control of my bladder what should I do?",
    ),
    (
        "bowel_incontinence",
        "No loss of control of my bowels.",
        "Prior to surgery I lost control of my bowels once.",
        "In case I lose control of my bowels, do I go to hospital?",
    ),
    ("fever", "No fever.", "Before my surgery I had a fever.", "If I get a fever should I call?"),
    (
        "wound_discharge",
        "There is no pus from the wound.",
        "Pre-op I had pus from a boil.",
        "What if there is pus coming from the wound?",
    ),
    (
        "numbness",
        "There is no numbness.",
        "Before my operation my foot was numb.",
        "Will I get numbness later on?",
    ),
    (
        "tingling",
        "I don't have any tingling.",
        "I used to have tingling years ago.",
        "What if I get tingling?",
    ),
    (
        "leg_pain",
        "The leg pain is gone.",
        "I had the surgery for sciatica.",
        "If the sciatica returns, what then?",
    ),
    ("leg_weakness", "My leg is not weak.", "Before surgery my leg gave way.", "What if my leg gives way?"),
    ("foot_drop", "I have no foot drop.", "Before the surgery I had foot drop.", "Could I get foot drop?"),
    (
        "progressive_weakness",
        "The weakness is not getting worse.",
        "Before surgery my weakness was getting worse.",
        "What if the weakness is getting worse?",
    ),
    (
        "calf_pain",
        "No pain in my calf.",
        "Before my operation I had calf pain.",
        "What are the signs of a clot, like pain in the calf?",
    ),
    (
        "calf_swelling",
        "My calf is not swollen.",
        "Before the operation my calf was swollen.",
        "If my calf is swollen is it a clot?",
    ),
    ("chest_pain", "No chest pain.", "I had chest pain years ago.", "What if I get chest pain?"),
    (
        "breathlessness",
        "I am not short of breath.",
        "Before surgery I was short of breath.",
        "If I become short of breath, what then?",
    ),
    (
        "positional_headache",
        "I don't get a headache when I stand up.",
        "Before my surgery I got a headache when I stood up.",
        "What if I get a headache when I sit up?",
    ),
    (
        "clear_wound_fluid",
        "No clear fluid from the wound.",
        "Before surgery clear fluid leaked from my nose.",
        "What if clear fluid comes out of the wound?",
    ),
    (
        "neck_swelling",
        "My neck is not swollen.",
        "Before surgery my neck was swollen.",
        "What if my neck swells?",
    ),
    (
        "dysphagia",
        "No trouble swallowing.",
        "Before the surgery I had trouble swallowing.",
        "Could I get trouble swallowing later?",
    ),
    (
        "shoulder_weakness",
        "I can lift my arm fine and there is no shoulder weakness.",
        "Before surgery I couldn't lift my arm.",
        "What if I can't lift my arm after surgery?",
    ),
    (
        "head_drop",
        "My head doesn't droop forward.",
        "Before surgery my head kept drooping forward.",
        "Could my head start drooping forward?",
    ),
    ("hand_clumsiness", "My hands are not clumsy.", "Before surgery I was clumsy.", "Will I become clumsy?"),
    (
        "axial_back_pain",
        "No back pain.",
        "Before the operation I had lower back pain.",
        "What if I get back pain again?",
    ),
    (
        "thunderclap_headache",
        "No sudden severe headache.",
        "Years ago I had the worst headache of my life.",
        "What if I get a thunderclap headache?",
    ),
    (
        "cannot_swallow_liquids",
        "I can swallow water fine, not unable to swallow liquids.",
        "Before surgery I couldn't swallow liquids for a day.",
        "What if I can't swallow liquids?",
    ),
    ("stroke_signs", "No slurred speech.", "He had a stroke years ago.", "What are the signs of stroke?"),
    (
        "suicidal_thoughts",
        "I am not suicidal.",
        "I used to feel suicidal years ago.",
        "If I feel suicidal, who do I call?",
    ),
    (
        "stimulator_coverage_loss",
        "My stimulator is working, coverage is not lost.",
        "Before surgery I had a lead migration.",
        "What if the stimulator stops covering my legs?",
    ),
]


def test_every_finding_has_a_present_phrasing() -> None:
    assert set(PRESENT) == set(default_pack().findings)


@pytest.mark.parametrize(("finding", "sentence"), sorted(PRESENT.items()))
def test_present(finding: str, sentence: str) -> None:
    assert statuses(sentence).get(finding) == "present", sentence


@pytest.mark.parametrize(("finding", "negated", "historical", "hypothetical"), CONTEXT_TABLE)
def test_context(finding: str, negated: str, historical: str, hypothetical: str) -> None:
    assert statuses(negated).get(finding) in (None, "absent"), negated
    assert statuses(historical).get(finding) is None, historical
    assert statuses(hypothetical).get(finding) in (None, "possible/hypothetical"), hypothetical


@pytest.mark.parametrize(
    ("sentence", "finding", "expected"),
    [
        ("I think I might have lost some bladder control.", "urinary_incontinence", "possible/uncertain"),
        ("Maybe a bit numb around my bottom, not sure.", "saddle_anaesthesia", "possible/uncertain"),
        ("My friend has numbness in his left foot.", "numbness", "present"),
        ("My husband can't pee since this morning.", "urinary_retention", "present"),
        ("No fever, but the wound is leaking pus.", "wound_discharge", "present"),
        ("No fever and the wound is leaking pus.", "wound_discharge", "present"),
        ("No leg pain but an ache across my lower back.", "axial_back_pain", "present"),
        ("I have no doubt the numbness is real.", "numbness", "present"),
        ("The pain is no better.", "same_pain_as_before", "present"),
        ("I had cancer ten years ago.", "cancer_history", "present"),
        ("Family history of stroke.", "stroke_signs", None),
        ("My mother has numbness in her foot after her surgery.", "numbness", "present"),
        ("Should I be worried that I can't pee?", "urinary_retention", "present"),
        ("I am worried that my calf is swollen.", "calf_swelling", "present"),
        ("How long will I have this numbness?", "numbness", "present"),
        (
            "I don't think I have numbness around my bottom, not sure.",
            "saddle_anaesthesia",
            "possible/uncertain",
        ),
        ("Will the tingling in my foot go away?", "tingling", "present"),
    ],
)
def test_context_details(sentence: str, finding: str, expected: str | None) -> None:
    assert statuses(sentence).get(finding) == expected


@pytest.mark.parametrize(
    ("sentence", "finding", "expected"),
    [
        ("After a laminectomy without fusion, my neck is curving forward.", "head_drop", "present"),
        ("My stimulator's buzzing is in my belly now.", "stimulator_coverage_loss", "present"),
        ("No fever, chills or sweats.", "fever", "absent"),
        ("If I walk more than 5 minutes my legs go numb.", "numbness", "present"),
        ("If I sit up I get a terrible headache.", "positional_headache", "present"),
        ("If I get a fever should I call?", "fever", "possible/hypothetical"),
        (
            "I had no problems until yesterday when I lost control of my bladder.",
            "urinary_incontinence",
            "present",
        ),
        ("I never had sciatica until last week.", "leg_pain", "present"),
        ("Nothing is numb.", "numbness", "absent"),
        ("In case it matters, I have a fever.", "fever", "present"),
        ("I never had any bladder issues until today when I couldn't pee.", "urinary_retention", "present"),
        ("The pain shot down my leg again like before surgery.", "leg_pain", "present"),
        ("I don't know why I can't pee.", "urinary_retention", "present"),
        ("No idea why my calf is swollen.", "calf_swelling", "present"),
        ("Without warning I lost control of my bowels.", "bowel_incontinence", "present"),
        ("I couldn't feel my feet when I woke up.", "numbness", "present"),
    ],
)
def test_clause_and_possessive_details(sentence: str, finding: str, expected: str) -> None:
    assert statuses(sentence).get(finding) == expected


@pytest.mark.parametrize(
    ("sentence", "finding", "expected"),
    [
        ("Fusion 6 years ago, new pain above the fusion.", "pain_above_fusion", "present"),
        ("I had a discectomy 3 years ago, sciatica came back last month.", "leg_pain", "present"),
        ("Years ago I had sciatica.", "leg_pain", None),
        ("I had sciatica years ago.", "leg_pain", None),
    ],
)
def test_years_ago_looks_back_unless_it_opens_the_sentence(
    sentence: str, finding: str, expected: str | None
) -> None:
    assert statuses(sentence).get(finding) == expected


@pytest.mark.parametrize(
    ("sentence", "finding"),
    [
        ("Since last week I can't sleep well.", "urinary_retention"),
        ("I can't keep my head upright.", "positional_headache"),
        ("A week after surgery I feel fine.", "urinary_retention"),
    ],
)
def test_no_false_match_across_words(sentence: str, finding: str) -> None:
    assert finding not in statuses(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "I have a number of questions about my bottom line.",
        "The wound pain has reduced.",
        "Walking to the site.",
    ],
)
def test_stems_do_not_match_other_words(sentence: str) -> None:
    assert not {"numbness", "saddle_anaesthesia", "wound_redness", "claudication"} & set(statuses(sentence))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Something odd with my waterworks since surgery.", "present"),
        ("My bladder and bowels are normal.", "absent"),
        ("My bladder is working fine but my leg is weak.", "absent"),
        ("I cannot empty my bladder.", None),  # superseded by urinary_retention
    ],
)
def test_bladder_mentions_are_a_safety_net(sentence: str, expected: str | None) -> None:
    assert statuses(sentence).get("bladder_change") == expected


def test_cant_lift_head_is_not_leg_weakness() -> None:
    assert "leg_weakness" not in statuses("I can't lift my head up properly.")
