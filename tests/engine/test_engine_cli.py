"""`spineconsult assess` and `demo`: bad input is one line naming the field, non-zero exit, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spineconsult.cli import app

runner = CliRunner()


def _assess(stdin: str, *options: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["assess", "-", *options], input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("stdin", "field"),
    [
        ("{not json", "json"),
        ("[1, 2]", "case"),
        ('{"age": 40}', "message"),
        ('{"message": 12}', "message"),
        ('{"message": ""}', "message"),
        ('{"message": "   "}', "message"),
        ('{"message": "' + "a" * 20001 + '"}', "message"),
        ('{"message": "back pain", "age": "forty"}', "age"),
        ('{"message": "back pain", "age": 300}', "age"),
        ('{"message": "back pain", "sex": "robot"}', "sex"),
        ('{"message": "back pain", "procedures": "fusion"}', "procedures"),
        ('{"message": "back pain", "procedures": [{"name": 5}]}', "procedures.0.name"),
        ('{"message": "back pain", "procedures": [{"date": "yesterday"}]}', "procedures.0.date"),
        ('{"message": "back pain", "asked_on": "2026-13-40"}', "asked_on"),
    ],
)
def test_bad_input_is_one_line_naming_the_field(stdin: str, field: str) -> None:
    code, out, err = _assess(stdin, "--json")
    assert code != 0
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {field}:"), err
    assert "Traceback" not in err


def test_missing_file() -> None:
    result = runner.invoke(app, ["assess", "/no/such/case.json"])
    assert result.exit_code != 0 and result.stderr.startswith("error: file:")


def test_json_output_is_the_contract(tmp_path: Path) -> None:
    case = tmp_path / "case.json"
    case.write_text(
        json.dumps(
            {
                "message": "Nine days after my L4-L5 laminectomy I cannot empty my bladder.",
                "asked_on": "2026-11-22",
            }
        ),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["assess", str(case), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) >= {
        "pack",
        "triage",
        "findings",
        "context",
        "differential",
        "investigations",
        "treatment_options",
        "follow_up",
        "evidence",
    }
    assert data["triage"]["level"] == "emergency"
    assert all("for" in t for t in data["treatment_options"])


def test_readable_report_puts_triage_first() -> None:
    code, out, _ = _assess(
        '{"message": "Two days after ACDF my neck is swelling and I am struggling to breathe."}'
    )
    assert code == 0
    assert out.index("EMERGENCY") < out.index("Differential")


def test_batch_continues_past_a_bad_line() -> None:
    lines = [
        json.dumps({"message": "I can't pee after my discectomy."}),
        "{broken",
        json.dumps({"age": 3}),
        "",
        json.dumps({"message": "Doing well two weeks after my laminectomy."}),
    ]
    code, out, _ = _assess("\n".join(lines) + "\n", "--batch")
    results = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert len(results) == 4
    assert results[0]["triage"]["level"] == "emergency"
    assert results[1] == {"error": {"line": 2, "field": "json", "message": results[1]["error"]["message"]}}
    assert results[2]["error"]["field"] == "message" and results[2]["error"]["line"] == 3
    assert results[3]["triage"]["level"] == "routine"


def test_demo_assesses_the_seed_question() -> None:
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0
    assert "ROUTINE" in result.stdout and "Nerve root" in result.stdout


def test_real_process_prints_no_traceback() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "spineconsult.cli", "assess", "-"],
        input='{"message": 1}',
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == "error: message: Input should be a valid string"


def test_fast_entry_point_runs_assess_without_the_full_cli() -> None:
    code = (
        "import sys; sys.argv = ['spineconsult', 'assess', '-', '--json']; "
        "import spineconsult.entry as e; e.main(); "
        "assert 'spineconsult.cli' not in sys.modules"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        input='{"message": "I cannot pee after my discectomy."}',
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["triage"]["level"] == "emergency"
