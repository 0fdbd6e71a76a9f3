"""A small stand-in for the assessment engine in page tests: the pages are under test, not the engine.

It returns the PRODUCT.md `assess --json` shape: an emergency when the message says the bladder or
saddle area is affected, otherwise a routine case with a ranked differential, investigations and one
treatment option with its study figures.
"""

from __future__ import annotations

from typing import Any

EMERGENCY_WORDS = ("cannot pass urine", "can't pass urine", "bladder", "numb between my legs")


class Assessment:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def model_dump(self, mode: str = "json") -> dict[str, Any]:
        return self.data


def assess(payload: dict[str, Any]) -> Assessment:
    message = str(payload["message"]).lower()
    emergency = any(word in message for word in EMERGENCY_WORDS)
    return Assessment(_emergency() if emergency else _routine())


def _base(level: str, advice: str) -> dict[str, Any]:
    return {
        "pack": {"name": "spine_postop", "version": "test"},
        "triage": {"level": level, "advice": advice, "red_flags": []},
        "findings": [],
        "context": {"procedures": [], "weeks_since_surgery": None},
        "differential": [],
        "investigations": [],
        "treatment_options": [],
        "follow_up": [],
        "evidence": [],
    }


def _emergency() -> dict[str, Any]:
    data = _base("emergency", "Call your local emergency number now. This is not a diagnosis.")
    data["triage"]["red_flags"] = [
        {"id": "cauda_equina", "name": "Possible cauda equina syndrome", "findings": ["urinary_retention"]}
    ]
    data["differential"] = [_condition("cauda_equina_syndrome", "Cauda equina syndrome", "G83.4", 0.9)]
    return data


def _routine() -> dict[str, Any]:
    data = _base("routine", "A specialist will answer you here. This is not a diagnosis.")
    data["differential"] = [
        _condition("nerve_root_injury", "Nerve root irritation or injury", "M54.16", 0.7),
        _condition("recurrent_disc_herniation", "Recurrent disc herniation", "M51.26", 0.2),
    ]
    data["investigations"] = [
        {
            "id": "mri_contrast",
            "name": "MRI with contrast",
            "when": "if not better at 3 months",
            "why": "scar",
        }
    ]
    data["treatment_options"] = [
        {
            "id": "neuropathic_pain_medication",
            "name": "Neuropathic pain medication",
            "for": ["nerve_root_injury"],
            "evidence": ["study2020"],
            "certainty": "low",
        }
    ]
    data["evidence"] = [
        {
            "id": "study2020",
            "citation": "Test A, et al. A test study. J Test. 2020;1:1.",
            "pmid": None,
            "design": "retrospective cohort",
            "n": 147,
            "outcomes": [{"measure": "responders", "timepoint": "1 month", "value": "32.0%"}],
        }
    ]
    return data


def _condition(cid: str, name: str, icd10: str, score: float) -> dict[str, Any]:
    return {
        "condition": cid,
        "name": name,
        "icd10": icd10,
        "score": score,
        "supporting": ["tingling"],
        "opposing": ["fever"],
        "explanation": f"{name}: explained for the test.",
    }
