"""The `spineconsult deid` commands: output formats, batch mode and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from spineconsult.cli import app

runner = CliRunner()


def test_text_from_stdin() -> None:
    result = runner.invoke(app, ["deid", "text", "-"], input="Dr. Healey on 3/4/2024.\n")
    assert result.exit_code == 0
    assert result.stdout == "Dr. [NAME] on [DATE].\n"


def test_text_json_has_offsets_into_the_input(tmp_path: Path) -> None:
    src = tmp_path / "note.txt"
    text = "Seen by Dr. Healey."
    src.write_text(text)
    result = runner.invoke(app, ["deid", "text", str(src), "--json"])
    payload = json.loads(result.stdout)
    assert payload["text"] == "Seen by Dr. [NAME]."
    span = payload["spans"][0]
    assert set(span) == {"start", "end", "type", "rule"}
    assert text[span["start"] : span["end"]] == "Healey"


def test_batch_keeps_ids_and_survives_bad_lines() -> None:
    lines = '{"id": "a", "text": "Dr. Healey"}\nnot json\n{"id": "c"}\n{"id": "d", "text": "L4-L5"}\n'
    result = runner.invoke(app, ["deid", "text", "-", "--batch"], input=lines)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r.get("id") for r in rows] == ["a", None, "c", "d"]
    assert rows[0]["text"] == "Dr. [NAME]" and "error" in rows[1] and "error" in rows[2]
    assert rows[3]["text"] == "L4-L5"


def test_bad_policy_and_missing_file_exit_non_zero(tmp_path: Path) -> None:
    bad_policy = runner.invoke(app, ["deid", "text", "-", "--policy", "bogus"], input="x")
    missing = runner.invoke(app, ["deid", "text", str(tmp_path / "nope.txt")])
    assert bad_policy.exit_code == 2 and "--policy" in bad_policy.output
    assert missing.exit_code == 2 and "nope.txt" in missing.output


def test_malformed_pdf_exits_non_zero_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 truncated")
    result = runner.invoke(app, ["deid", "pdf", str(bad), str(tmp_path / "out.pdf")])
    assert result.exit_code == 2
    assert "bad.pdf" in result.output
    assert not (tmp_path / "out.pdf").exists()


def test_dicom_folder_reports_and_exits_non_zero_on_errors(tmp_path: Path) -> None:
    from pydicom.data import get_testdata_file

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.dcm").write_bytes(Path(str(get_testdata_file("MR_small.dcm"))).read_bytes())
    (src / "notes.txt").write_text("not dicom")
    result = runner.invoke(app, ["deid", "dicom", str(src), str(tmp_path / "out"), "--case-key", "k"])
    assert result.exit_code == 1
    assert "de-identified 1, held back 0, errors 1" in result.output
    assert "notes.txt: not a DICOM file" in result.output


def test_dicom_needs_a_case_key(tmp_path: Path) -> None:
    result = runner.invoke(app, ["deid", "dicom", str(tmp_path), str(tmp_path / "out")])
    assert result.exit_code == 2
