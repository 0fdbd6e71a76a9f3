"""DICOM de-identification benchmark: every readable test file of pydicom and deid-data.

    python benchmarks/deid_dicom.py [--case-key bench]

For each library (ours = dicognito + the PS3.15 basic-profile table enforced on top; dicognito alone;
deid alone with its default recipe and remove_private) it anonymizes every readable file in memory and
checks that no attribute of our profile table (data/ps315_basic_profile.yaml) kept its original
non-empty value (X attributes must be gone; Z and U ones gone, emptied or changed) and that no private
attribute survives. Prints files/s (one core) next to each library alone, and how many files the
burned-in-annotation rule would hold back.
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pydicom
from pydicom.dataset import Dataset

from spineconsult.deid.dicom import _read, anonymize_dataset, hold_back_reason, profile
from spineconsult.deid.errors import DeidInputError

Anonymize = Callable[[Dataset], Dataset]


@dataclass
class Result:
    files: int = 0
    seconds: float = 0.0
    failed: int = 0
    files_with_leaks: int = 0
    leaks: Counter[str] = field(default_factory=Counter)


def test_files() -> list[Path]:
    import deid_data
    from pydicom.data import get_testdata_files

    ours = [Path(p) for p in get_testdata_files()]
    extra = sorted(Path(deid_data.__file__).parent.rglob("*.dcm"))
    return [p for p in ours + extra if p.is_file()]


def readable(paths: list[Path]) -> list[tuple[Path, Dataset]]:
    out = []
    for path in paths:
        try:
            out.append((path, _read(path)))
        except DeidInputError:
            continue
    return out


def _walk(ds: Dataset) -> Iterator[pydicom.DataElement]:
    for elem in ds:
        yield elem
        if elem.VR == "SQ" and elem.value is not None:
            for item in elem.value:
                yield from _walk(item)


def leaks(original: Dataset, anonymized: Dataset) -> list[str]:
    table = profile()
    before: dict[int, set[str]] = {}
    for elem in _walk(original):
        if elem.tag in table and elem.VR != "SQ" and elem.value not in (None, "", b""):
            before.setdefault(elem.tag, set()).add(str(elem.value))
    found = []
    for elem in _walk(anonymized):
        if elem.tag.is_private:
            found.append("private attribute")
        elif elem.tag in before and (table[elem.tag] == "X" or str(elem.value) in before[elem.tag]):
            found.append(pydicom.datadict.keyword_for_tag(elem.tag))
    return found


def ours(case_key: str) -> Anonymize:
    return lambda ds: anonymize_dataset(ds, case_key)


def dicognito_alone(case_key: str) -> Anonymize:
    from dicognito.anonymizer import Anonymizer

    anonymizer = Anonymizer(seed=case_key)

    def run(ds: Dataset) -> Dataset:
        anonymizer.anonymize(ds)
        return ds

    return run


def deid_alone(_case_key: str) -> Anonymize:

    from deid.dicom import replace_identifiers
    from deid.logger import bot

    bot.level = -5  # deid logger: abort-only; its per-file debug lines would drown the figures

    def run(ds: Dataset) -> Dataset:
        result = replace_identifiers([ds], save=False, remove_private=True)
        return result[0] if result else ds

    return run


def measure(files: list[tuple[Path, Dataset]], make: Callable[[str], Anonymize], case_key: str) -> Result:
    anonymize, result = make(case_key), Result()
    for _path, original in files:
        ds = copy.deepcopy(original)
        t0 = time.process_time()
        try:
            out = anonymize(ds)
        except Exception:  # a library failing on a file is a figure to report, not a crash
            result.failed += 1
            continue
        finally:
            result.seconds += time.process_time() - t0
        result.files += 1
        found = leaks(original, out)
        result.files_with_leaks += bool(found)
        result.leaks.update(found)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--case-key", default="benchmark-case")
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    paths = test_files()
    files = readable(paths)
    held = Counter((hold_back_reason(ds) or "shared").split(":")[0] for _, ds in files)
    print(f"{len(paths)} files shipped with pydicom and deid-data, {len(files)} readable as DICOM")
    print(f"burned-in rule: {dict(held)}")
    print(f"profile table: {len(profile())} attributes, plus private attributes and overlays\n")
    print(
        f"{'library':<34}{'files':>6}{'failed':>7}{'files/s':>9}{'files w/ leaks':>16}  surviving attributes"
    )
    for name, make in (
        ("spineconsult (dicognito + table)", ours),
        ("dicognito alone", dicognito_alone),
        ("deid alone (default recipe)", deid_alone),
    ):
        r = measure(files, make, args.case_key)
        rate = r.files / r.seconds if r.seconds else float("nan")
        top = ", ".join(f"{k} {v}" for k, v in r.leaks.most_common(6)) or "none"
        print(f"{name:<34}{r.files:>6}{r.failed:>7}{rate:>9.0f}{r.files_with_leaks:>16}  {top}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
