"""Pack content checks and broken packs: each refuses to load naming the file, the entry and the key."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from spineconsult.knowledge import PackError, default_pack, load_pack
from spineconsult.knowledge.loader import PACKS_DIR

PRODUCT_CONDITIONS = {
    "expected_postop_recovery",
    "nerve_root_injury",
    "recurrent_disc_herniation",
    "residual_or_recurrent_stenosis",
    "epidural_fibrosis",
    "segmental_instability",
    "facet_joint_pain",
    "adjacent_segment_disease",
    "pseudarthrosis_hardware_failure",
    "postlaminectomy_kyphosis",
    "sacroiliac_joint_pain",
    "hip_pathology",
    "peripheral_neuropathy",
    "myofascial_pain_deconditioning",
    "chronic_postsurgical_pain",
    "surgical_site_infection",
    "epidural_hematoma",
    "cauda_equina_syndrome",
    "csf_leak",
    "venous_thromboembolism",
    "neck_hematoma_airway",
    "dysphagia_after_anterior_cervical",
    "c5_palsy",
    "cervical_myelopathy",
    "scs_complication",
    "spinal_tumor_or_metastasis",
}
PRODUCT_TREATMENTS = {
    "emergency_evaluation",
    "watchful_waiting",
    "physical_therapy",
    "neuropathic_pain_medication",
    "nsaids",
    "interdisciplinary_pain_rehabilitation",
    "spinal_cord_stimulation",
    "epidural_adhesiolysis_balloon_decompression",
    "endoscopic_foraminotomy",
    "epidural_steroid_injection",
    "revision_surgery",
    "prolotherapy",
    "platelet_rich_plasma",
    "radiofrequency_ablation",
}
# Codes checked against the ICD-10-CM tabular list (FY2025/2026), one per condition.
ICD10CM = {
    "expected_postop_recovery": "Z48.811",
    "nerve_root_injury": "M54.10",
    "recurrent_disc_herniation": "M51.26",
    "residual_or_recurrent_stenosis": "M48.062",
    "epidural_fibrosis": "G96.12",
    "segmental_instability": "M53.2X6",
    "facet_joint_pain": "M47.816",
    "adjacent_segment_disease": "M51.369",
    "pseudarthrosis_hardware_failure": "M96.0",
    "postlaminectomy_kyphosis": "M96.3",
    "sacroiliac_joint_pain": "M46.1",
    "hip_pathology": "M25.559",
    "peripheral_neuropathy": "G62.9",
    "myofascial_pain_deconditioning": "M79.18",
    "chronic_postsurgical_pain": "M96.1",
    "surgical_site_infection": "T81.40XA",
    "epidural_hematoma": "G97.61",
    "cauda_equina_syndrome": "G83.4",
    "csf_leak": "G96.11",
    "venous_thromboembolism": "I82.409",
    "neck_hematoma_airway": "M96.840",
    "dysphagia_after_anterior_cervical": "R13.10",
    "c5_palsy": "G54.2",
    "cervical_myelopathy": "M47.12",
    "scs_complication": "T85.122A",
    "spinal_tumor_or_metastasis": "C79.51",
}


def test_pack_covers_product_ids_and_is_versioned() -> None:
    pack = default_pack()
    assert set(pack.conditions) >= PRODUCT_CONDITIONS
    assert set(pack.treatments) >= PRODUCT_TREATMENTS
    assert pack.info.name == "spine_postop" and re.match(r"^\d+\.\d+\.\d+$", pack.info.version)


def test_icd10_codes_are_the_checked_ones() -> None:
    assert {c.id: c.icd10 for c in default_pack().conditions.values()} == ICD10CM


def test_every_condition_has_support_and_every_finding_is_used() -> None:
    pack = default_pack()
    used = {w.id for c in pack.conditions.values() for w in c.findings}
    used |= {f for flag in pack.red_flags.values() for alt in flag.when_any for f in alt}
    assert set(pack.findings) - used <= {"trauma"}  # recorded for the specialist only
    for condition in pack.conditions.values():
        assert any(w.lr_present > 1 for w in condition.findings), condition.id


def _broken_pack(tmp_path: Path, file: str, mutate: Callable[[list | dict], None]) -> Path:  # type: ignore[type-arg]
    target = tmp_path / "pack"
    shutil.copytree(PACKS_DIR / "spine_postop", target)
    data = yaml.safe_load((target / file).read_text(encoding="utf-8"))
    mutate(data)
    (target / file).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return target


def _entry(data: list, entry_id: str) -> dict:  # type: ignore[type-arg]
    return next(e for e in data if e.get("id") == entry_id)


BROKEN = [
    ("conditions.yaml", lambda d: _entry(d, "csf_leak").update(typo_key=1), "csf_leak", "typo_key"),
    ("conditions.yaml", lambda d: _entry(d, "csf_leak").update(icd10="CSF1"), "csf_leak", "icd10"),
    (
        "conditions.yaml",
        lambda d: _entry(d, "c5_palsy")["findings"].append({"id": "no_such_finding"}),
        "c5_palsy",
        "findings",
    ),
    (
        "conditions.yaml",
        lambda d: _entry(d, "c5_palsy")["priors"]["family"].update(thoracic=1.0),
        "c5_palsy",
        "priors.family",
    ),
    (
        "conditions.yaml",
        lambda d: _entry(d, "c5_palsy")["findings"][0].update(lr_present=-1),
        "c5_palsy",
        "findings.0.lr_present",
    ),
    ("treatments.yaml", lambda d: _entry(d, "nsaids")["for"].append("broken_leg"), "nsaids", "for"),
    ("treatments.yaml", lambda d: _entry(d, "nsaids")["evidence"].append("nobody1999"), "nsaids", "evidence"),
    ("evidence.yaml", lambda d: d[0].pop("certainty"), None, "certainty"),
    ("findings.yaml", lambda d: _entry(d, "fever")["patterns"].append("(unclosed"), "fever", "patterns"),
    ("findings.yaml", lambda d: d.append(dict(_entry(d, "fever"))), "fever", "id"),
    ("red_flags.yaml", lambda d: _entry(d, "chest_pain").update(level="whenever"), "chest_pain", "level"),
    (
        "red_flags.yaml",
        lambda d: _entry(d, "chest_pain")["when_any"].append(["heartache"]),
        "chest_pain",
        "when_any",
    ),
    (
        "investigations.yaml",
        lambda d: _entry(d, "emergency_mri")["for_red_flags"].append("nope"),
        "emergency_mri",
        "for_red_flags",
    ),
    (
        "context.yaml",
        lambda d: next(e for e in d if e["literal"] == "no").update(direction="SIDEWAYS"),
        "no",
        "direction",
    ),
    ("pack.yaml", lambda d: d.update(version="latest"), "pack", "version"),
]


@pytest.mark.parametrize(("file", "mutate", "entry", "key"), BROKEN)
def test_broken_pack_names_file_entry_and_key(
    tmp_path: Path,
    file: str,
    mutate: Callable[[list | dict], None],  # type: ignore[type-arg]
    entry: str | None,
    key: str,
) -> None:
    with pytest.raises(PackError) as err:
        load_pack(_broken_pack(tmp_path, file, mutate))
    message = str(err.value)
    assert message.startswith(f"{file}: entry "), message
    assert f"key {key!r}" in message, message
    if entry:
        assert f"entry {entry!r}" in message, message
    assert "\n" not in message


def test_duplicate_key_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "pack"
    shutil.copytree(PACKS_DIR / "spine_postop", target)
    (target / "follow_up.yaml").write_text(
        "- id: a\n  after_days: 1\n  after_days: 2\n  check: x\n  escalate_if: y\n", encoding="utf-8"
    )
    with pytest.raises(PackError, match=r"^follow_up\.yaml: .*key 'after_days'.*appears twice"):
        load_pack(target)


def test_missing_file_and_bad_yaml(tmp_path: Path) -> None:
    target = tmp_path / "pack"
    shutil.copytree(PACKS_DIR / "spine_postop", target)
    (target / "follow_up.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    with pytest.raises(PackError, match=r"^follow_up\.yaml: .*not valid YAML"):
        load_pack(target)
    (target / "follow_up.yaml").unlink()
    with pytest.raises(PackError, match=r"^follow_up\.yaml: .*file is missing"):
        load_pack(target)
