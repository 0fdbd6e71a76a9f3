"""DICOM de-identification: the PS3.15 basic confidentiality profile through dicognito, then enforced.

dicognito replaces names, IDs, addresses and dates with consistent fakes and remaps every UID; its
seed comes from an HMAC of the case key, so all files of one case share one UID mapping (a study
stays a study) and different cases do not. We then apply the profile table in
`data/ps315_basic_profile.yaml` on top (remove X attributes, blank Z attributes that kept their value),
drop private attributes and overlay comments/data, and mark the file PatientIdentityRemoved=YES.

Pixel data is not inspected: images that declare burned-in text (BurnedInAnnotation YES), or that
do not say so while being ultrasound or secondary capture, are held back instead of written.
"""

from __future__ import annotations

import hashlib
import hmac
import warnings
from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pydicom
import yaml
from dicognito.anonymizer import Anonymizer
from pydicom.datadict import keyword_dict
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError

from spineconsult.deid.atomic import write_atomically
from spineconsult.deid.errors import DeidInputError
from spineconsult.deid.models import DicomFileReport, DicomReport
from spineconsult.settings import get_settings

PROFILE_FILE = Path(__file__).parent / "data" / "ps315_basic_profile.yaml"
Action = Literal["X", "Z", "U"]
_SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"  # and its multi-frame children .7.1-.7.4
_OVERLAY_ELEMENTS = (0x3000, 0x4000)  # Overlay Data, Overlay Comments in repeating groups 60xx


@lru_cache(maxsize=1)
def profile() -> dict[int, Action]:
    """Tag -> action from the profile table; an unknown keyword or action refuses to load."""
    raw = yaml.safe_load(PROFILE_FILE.read_text(encoding="utf-8"))
    table: dict[int, Action] = {}
    for keyword, action in raw.items():
        if keyword not in keyword_dict or action not in ("X", "Z", "U"):
            raise ValueError(f"{PROFILE_FILE.name}: bad entry {keyword}: {action}")
        table[keyword_dict[keyword]] = action
    return table


def hold_back_reason(ds: Dataset) -> str | None:
    """Why an image must not be shared, or None. Pixel data itself is not read."""
    burned = str(ds.get("BurnedInAnnotation", "")).strip().upper()
    if burned == "YES":
        return "BurnedInAnnotation is YES: the pixels carry text that may identify the patient"
    if burned == "NO":
        return None
    if str(ds.get("Modality", "")).upper() == "US":
        return "ultrasound without BurnedInAnnotation NO: burned-in text cannot be ruled out"
    if str(ds.get("SOPClassUID", "")).startswith(_SECONDARY_CAPTURE):
        return "secondary capture without BurnedInAnnotation NO: burned-in text cannot be ruled out"
    return None


def _seed(case_key: str) -> str:
    secret = get_settings().secret_key.encode("utf-8")
    return hmac.new(secret, b"dicom:" + case_key.encode("utf-8"), hashlib.sha256).hexdigest()


def _elements(ds: Dataset) -> Iterator[tuple[Dataset, DataElement]]:
    for elem in list(ds):
        yield ds, elem
        if elem.VR == "SQ" and elem.value is not None:
            for item in elem.value:
                yield from _elements(item)


def _profile_values(ds: Dataset) -> dict[int, set[str]]:
    table = profile()
    seen: dict[int, set[str]] = defaultdict(set)
    for _parent, elem in _elements(ds):
        if elem.tag in table and elem.VR != "SQ" and elem.value not in (None, ""):
            seen[elem.tag].add(str(elem.value))
    return seen


def enforce_profile(ds: Dataset, original: dict[int, set[str]]) -> None:
    """Apply the table on top of dicognito: remove X, blank Z/U values that survived unchanged."""
    table = profile()
    for parent, elem in list(_elements(ds)):
        action = table.get(elem.tag)
        if (
            elem.tag.is_private
            or (elem.tag.group & 0xFF00 == 0x6000 and elem.tag.element in _OVERLAY_ELEMENTS)
            or action == "X"
        ):
            del parent[elem.tag]
        elif action in ("Z", "U") and elem.VR != "SQ" and str(elem.value) in original.get(elem.tag, set()):
            elem.value = None if action == "Z" else pydicom.uid.generate_uid()
    ds.PatientIdentityRemoved = "YES"


def _read_forced(src: Path) -> Dataset:
    # Files without the 128-byte preamble and meta header are still DICOM if they hold a SOP class.
    ds = pydicom.dcmread(src, force=True)
    if "SOPClassUID" not in ds:
        raise DeidInputError(f"{src.name}: not a DICOM file")
    return ds


def _read(src: Path) -> Dataset:
    try:
        with warnings.catch_warnings():
            # user files often carry out-of-spec values; they are reported per file, not warned about
            warnings.simplefilter("ignore", UserWarning)
            try:
                return pydicom.dcmread(src)
            except InvalidDicomError:
                return _read_forced(src)
    except DeidInputError:
        raise
    except (OSError, ValueError, EOFError, KeyError, AttributeError, TypeError) as exc:
        raise DeidInputError(f"{src.name}: unreadable DICOM ({type(exc).__name__})") from exc


def anonymize_dataset(ds: Dataset, case_key: str) -> Dataset:
    original = _profile_values(ds)
    Anonymizer(seed=_seed(case_key)).anonymize(ds)
    enforce_profile(ds, original)
    return ds


def _one(src: Path, dst: Path, case_key: str) -> DicomFileReport:
    ds = _read(src)
    reason = hold_back_reason(ds)
    if reason:
        return DicomFileReport(source_name=src.name, output=None, status="held_back", reason=reason)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        anonymize_dataset(ds, case_key)
        write_atomically(dst, lambda tmp: ds.save_as(tmp, enforce_file_format=False))
    return DicomFileReport(source_name=src.name, output=dst, status="deidentified")


def _output_name(relative: str, case_key: str) -> str:
    # Source file names can hold identifiers (patient names, dates); outputs get keyed hashes instead.
    return (
        hmac.new(_seed(case_key).encode(), relative.encode("utf-8"), hashlib.sha256).hexdigest()[:20] + ".dcm"
    )


def _folder(src: Path, dst: Path, case_key: str) -> list[DicomFileReport]:
    reports = []
    for path in sorted(p for p in src.rglob("*") if p.is_file()):
        target = dst / _output_name(path.relative_to(src).as_posix(), case_key)
        try:
            reports.append(_one(path, target, case_key))
        except DeidInputError as exc:
            reports.append(
                DicomFileReport(source_name=path.name, output=None, status="error", reason=str(exc))
            )
    return reports


def deidentify_dicom(src: Path, dst: Path, *, case_key: str) -> DicomReport:
    """De-identify one file (dst is a file) or a folder (dst is a folder; files are renamed)."""
    src, dst = Path(src), Path(dst)
    if not case_key:
        raise DeidInputError("case_key: required, it keeps UIDs consistent within a case")
    if not src.exists():
        raise DeidInputError(f"{src}: no such file or folder")
    if src.is_dir():
        return DicomReport(files=_folder(src, dst, case_key))
    return DicomReport(files=[_one(src, dst, case_key)])
