"""The evidence and treatment data files of the spine_postop pack keep the interface contract.

These checks read the YAML directly (no engine code), so the data can be verified on its own.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

PACK = Path(__file__).resolve().parents[2] / "src" / "spineconsult" / "knowledge" / "packs" / "spine_postop"

EVIDENCE_KEYS = {
    "id", "citation", "pmid", "doi", "year", "design", "n", "population", "intervention",
    "comparator", "outcomes", "certainty", "certainty_reason", "seed_ref", "unsure",
}  # fmt: skip
OUTCOME_KEYS = {"measure", "timepoint", "value", "source"}
TREATMENT_KEYS = {
    "id", "name", "lay_name", "description", "lay_description", "kind", "for", "evidence",
    "certainty", "note",
}  # fmt: skip
CERTAINTIES = {"high", "moderate", "low", "very_low"}
KINDS = {"urgent_care", "conservative", "medication", "injection", "procedure", "surgery", "device"}
SOURCES = {"seed article", "publication"}

REQUIRED_TREATMENTS = {
    "emergency_evaluation", "watchful_waiting", "physical_therapy", "neuropathic_pain_medication",
    "nsaids", "interdisciplinary_pain_rehabilitation", "spinal_cord_stimulation",
    "epidural_adhesiolysis_balloon_decompression", "endoscopic_foraminotomy",
    "epidural_steroid_injection", "revision_surgery", "prolotherapy", "platelet_rich_plasma",
    "radiofrequency_ablation",
}  # fmt: skip
CONDITIONS = {
    "expected_postop_recovery", "nerve_root_injury", "recurrent_disc_herniation",
    "residual_or_recurrent_stenosis", "epidural_fibrosis", "segmental_instability", "facet_joint_pain",
    "adjacent_segment_disease", "pseudarthrosis_hardware_failure", "postlaminectomy_kyphosis",
    "sacroiliac_joint_pain", "hip_pathology", "peripheral_neuropathy", "myofascial_pain_deconditioning",
    "chronic_postsurgical_pain", "surgical_site_infection", "epidural_hematoma", "cauda_equina_syndrome",
    "csf_leak", "venous_thromboembolism", "neck_hematoma_airway", "dysphagia_after_anterior_cervical",
    "c5_palsy", "cervical_myelopathy", "scs_complication", "spinal_tumor_or_metastasis",
}  # fmt: skip


def _load(name: str) -> list[dict[str, Any]]:
    data = yaml.safe_load((PACK / name).read_text(encoding="utf-8"))
    assert isinstance(data, list), f"{name} must be a YAML list"
    assert all(isinstance(entry, dict) for entry in data), f"{name}: every entry must be a mapping"
    return data


@pytest.fixture(scope="module")
def evidence() -> list[dict[str, Any]]:
    return _load("evidence.yaml")


@pytest.fixture(scope="module")
def treatments() -> list[dict[str, Any]]:
    return _load("treatments.yaml")


def _duplicates(ids: list[str]) -> list[str]:
    return [key for key, count in Counter(ids).items() if count > 1]


def test_evidence_entries_have_exactly_the_contract_keys(evidence: list[dict[str, Any]]) -> None:
    for entry in evidence:
        assert set(entry) == EVIDENCE_KEYS, f"evidence {entry.get('id')}: {set(entry) ^ EVIDENCE_KEYS}"
        for outcome in entry["outcomes"]:
            assert set(outcome) == OUTCOME_KEYS, f"evidence {entry['id']}: outcome keys {set(outcome)}"


def test_treatment_entries_have_exactly_the_contract_keys(treatments: list[dict[str, Any]]) -> None:
    for entry in treatments:
        assert set(entry) == TREATMENT_KEYS, f"treatment {entry.get('id')}: {set(entry) ^ TREATMENT_KEYS}"


def test_ids_are_unique(evidence: list[dict[str, Any]], treatments: list[dict[str, Any]]) -> None:
    assert _duplicates([e["id"] for e in evidence]) == []
    assert _duplicates([t["id"] for t in treatments]) == []


def test_evidence_ids_are_lowercase_author_year(evidence: list[dict[str, Any]]) -> None:
    for entry in evidence:
        assert re.fullmatch(r"[a-z]+\d{4}[a-z]?", entry["id"]), entry["id"]
        assert entry["id"][-4:] == str(entry["year"]) or entry["id"][-5:-1] == str(entry["year"])


def test_evidence_field_types(evidence: list[dict[str, Any]]) -> None:
    for entry in evidence:
        where = f"evidence {entry['id']}"
        assert entry["pmid"] is None or re.fullmatch(r"\d{1,8}", entry["pmid"]), where
        assert entry["doi"] is None or str(entry["doi"]).startswith("10."), where
        assert entry["n"] is None or (isinstance(entry["n"], int) and entry["n"] > 0), where
        assert isinstance(entry["year"], int), where
        assert entry["certainty"] in CERTAINTIES, where
        assert entry["certainty_reason"].strip(), where
        assert set(entry["unsure"]) <= EVIDENCE_KEYS - {"id", "unsure"}, where


def test_outcomes_are_stated_with_timepoint_and_source(evidence: list[dict[str, Any]]) -> None:
    for entry in evidence:
        for outcome in entry["outcomes"]:
            assert all(isinstance(outcome[k], str) and outcome[k].strip() for k in OUTCOME_KEYS), entry["id"]
            assert outcome["source"] in SOURCES, entry["id"]
            if outcome["source"] == "seed article":
                assert entry["seed_ref"] is not None, f"{entry['id']}: seed figures need a seed_ref"


def test_every_seed_reference_appears_once(evidence: list[dict[str, Any]]) -> None:
    refs = [e["seed_ref"] for e in evidence if e["seed_ref"] is not None]
    assert sorted(refs) == list(range(1, 14))


def test_seed_balloon_adhesiolysis_figures(evidence: list[dict[str, Any]]) -> None:
    oh = next(e for e in evidence if e["seed_ref"] == 2)
    assert oh["n"] == 147
    quoted = [(o["timepoint"], o["value"]) for o in oh["outcomes"] if o["source"] == "seed article"]
    assert quoted == [("1 month", "32%"), ("3 months", "24.5%"), ("6 months", "22.4%")]
    assert oh["certainty"] in {"low", "very_low"}


def test_all_required_treatments_present(treatments: list[dict[str, Any]]) -> None:
    assert {t["id"] for t in treatments} >= REQUIRED_TREATMENTS


def test_treatments_cite_existing_evidence(
    treatments: list[dict[str, Any]], evidence: list[dict[str, Any]]
) -> None:
    known = {e["id"] for e in evidence}
    for entry in treatments:
        assert entry["evidence"], f"treatment {entry['id']} cites no evidence"
        assert set(entry["evidence"]) <= known, f"treatment {entry['id']}: {set(entry['evidence']) - known}"


def test_treatment_fields_use_known_values(treatments: list[dict[str, Any]]) -> None:
    for entry in treatments:
        where = f"treatment {entry['id']}"
        assert entry["for"] and set(entry["for"]) <= CONDITIONS, f"{where}: {set(entry['for']) - CONDITIONS}"
        assert entry["certainty"] in CERTAINTIES, where
        assert entry["kind"] in KINDS, where
        assert all(entry[k].strip() for k in ("name", "lay_name", "description", "lay_description")), where


def test_clinic_sold_treatments_carry_the_conflict_of_interest(treatments: list[dict[str, Any]]) -> None:
    for entry in treatments:
        if entry["id"] in {"prolotherapy", "platelet_rich_plasma"}:
            assert "conflict of interest" in (entry["note"] or "").lower()
            assert entry["certainty"] == "very_low"


def test_ids_match_product_contract(shared_dir: Path) -> None:
    product = (shared_dir / "design" / "PRODUCT.md").read_text(encoding="utf-8")
    for condition in CONDITIONS:
        assert f"| {condition} |" in product, condition
    for treatment in REQUIRED_TREATMENTS:
        assert f"`{treatment}`" in product, treatment
