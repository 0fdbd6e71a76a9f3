"""DICOM: basic profile applied, UIDs consistent within a case, burned-in images held back."""

from __future__ import annotations

import warnings
from pathlib import Path

import pydicom
import pytest
from pydicom.data import get_testdata_file

from spineconsult.deid.dicom import deidentify_dicom, profile
from spineconsult.deid.errors import DeidInputError


def _read(path: Path | str) -> pydicom.Dataset:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return pydicom.dcmread(path)


@pytest.fixture
def mr() -> Path:
    return Path(str(get_testdata_file("MR_small.dcm")))


def test_profile_attributes_do_not_survive(mr: Path, tmp_path: Path) -> None:
    original = _read(mr)
    report = deidentify_dicom(mr, tmp_path / "out.dcm", case_key="case-1")
    assert report.written == 1
    out = _read(tmp_path / "out.dcm")
    for tag, action in profile().items():
        if tag in original and original[tag].VR != "SQ" and original[tag].value not in (None, ""):
            assert tag not in out or action != "X"
            if tag in out:
                assert out[tag].value != original[tag].value, pydicom.datadict.keyword_for_tag(tag)
    assert out.PatientIdentityRemoved == "YES"
    assert not any(elem.tag.is_private for elem in out)


def test_uids_are_consistent_within_a_case_and_differ_between_cases(mr: Path, tmp_path: Path) -> None:
    for name, key in (("a", "case-1"), ("b", "case-1"), ("c", "case-2")):
        deidentify_dicom(mr, tmp_path / f"{name}.dcm", case_key=key)
    a, b, c = (_read(tmp_path / f"{n}.dcm") for n in "abc")
    assert a.StudyInstanceUID == b.StudyInstanceUID != c.StudyInstanceUID
    assert a.StudyInstanceUID != _read(mr).StudyInstanceUID


def test_burned_in_annotation_is_held_back(mr: Path, tmp_path: Path) -> None:
    ds = _read(mr)
    ds.BurnedInAnnotation = "YES"
    ds.save_as(tmp_path / "burned.dcm")
    report = deidentify_dicom(tmp_path / "burned.dcm", tmp_path / "out.dcm", case_key="k")
    assert report.files[0].status == "held_back"
    assert "BurnedInAnnotation" in (report.files[0].reason or "")
    assert not (tmp_path / "out.dcm").exists()


def test_ultrasound_without_burned_in_flag_is_held_back(mr: Path, tmp_path: Path) -> None:
    ds = _read(mr)
    ds.Modality = "US"
    ds.save_as(tmp_path / "us.dcm")
    report = deidentify_dicom(tmp_path / "us.dcm", tmp_path / "out.dcm", case_key="k")
    assert report.files[0].status == "held_back"
    assert "ultrasound" in (report.files[0].reason or "")


def test_not_dicom_is_a_clear_error_without_output(tmp_path: Path) -> None:
    bad = tmp_path / "bad.dcm"
    bad.write_bytes(b"not dicom at all" * 20)
    with pytest.raises(DeidInputError, match=r"bad\.dcm: not a DICOM file"):
        deidentify_dicom(bad, tmp_path / "out.dcm", case_key="k")
    assert not (tmp_path / "out.dcm").exists()


def test_folder_renames_outputs_and_reports_each_file(mr: Path, tmp_path: Path) -> None:
    src = tmp_path / "in" / "Roe_Jane"
    src.mkdir(parents=True)
    (src / "Roe_Jane_1.dcm").write_bytes(mr.read_bytes())
    (src / "notes.txt").write_text("not an image")
    report = deidentify_dicom(tmp_path / "in", tmp_path / "out", case_key="k")
    assert (report.written, report.errors) == (1, 1)
    names = [p.name for p in (tmp_path / "out").iterdir()]
    assert len(names) == 1 and "Roe" not in names[0]
