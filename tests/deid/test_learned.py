"""The site-trained recogniser: training data formats, training, use, privacy of the model file, errors."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spineconsult.cli import app
from spineconsult.deid import deidentify_text
from spineconsult.deid.errors import DeidInputError
from spineconsult.deid.learned import SiteModel, read_training_data, train
from spineconsult.deid.learned.crf import token_labels
from spineconsult.deid.learned.features import model_tokens
from spineconsult.settings import get_settings

runner = CliRunner()
_SYLLABLES = ["vor", "qua", "zel", "brin", "tox", "mur", "kel", "dap", "yis", "fro"]


def _made_up_name(rng: random.Random) -> str:
    """A word in no dictionary or gazetteer, so only the context can tell it is a name."""
    return "".join(rng.choice(_SYLLABLES) for _ in range(3)).capitalize()


def _notes(n: int, seed: int = 0) -> tuple[list[dict[str, object]], list[str]]:
    rng = random.Random(seed)
    rows, names = [], []
    for i in range(n):
        name = _made_up_name(rng)
        names.append(name)
        text = f"Pt escorted by {name} to the unit. Vitals stable, plan to continue heparin drip. Note {i}."
        start = text.index(name)
        rows.append(
            {"id": i, "text": text, "spans": [{"start": start, "end": start + len(name), "type": "NAME"}]}
        )
    return rows, names


def _jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    folder = tmp_path_factory.mktemp("model")
    rows, names = _notes(60)
    out = folder / "model.bin"
    train(read_training_data(_jsonl(folder / "notes.jsonl", rows)), out, max_iterations=50)
    return out, names


def test_model_finds_what_it_learned_and_rules_alone_miss(trained: tuple[Path, list[str]]) -> None:
    model = SiteModel.load(trained[0])
    text = "Pt escorted by Dapkelmur to the unit."
    assert "Dapkelmur" in deidentify_text(text, model=None).text  # the rules do not know the word
    assert deidentify_text(text, model=model).text == "Pt escorted by [NAME] to the unit."


def test_model_keeps_clinical_content(trained: tuple[Path, list[str]]) -> None:
    model = SiteModel.load(trained[0])
    text = "Vitals stable, plan to continue heparin drip. L4-L5 fusion, gabapentin 300 mg."
    assert deidentify_text(text, model=model).text == text


def test_model_file_holds_no_training_names(trained: tuple[Path, list[str]]) -> None:
    body = trained[0].read_bytes().lower()
    assert [n for n in trained[1] if n.lower().encode() in body] == []


def test_configured_model_is_used(trained: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPINECONSULT_DEID_MODEL", str(trained[0]))
    get_settings.cache_clear()
    try:
        assert deidentify_text("Pt escorted by Dapkelmur to the unit.").text.count("[NAME]") == 1
    finally:
        get_settings.cache_clear()


def test_configured_model_that_is_missing_is_a_clear_cli_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPINECONSULT_DEID_MODEL", str(tmp_path / "absent.bin"))
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["deid", "text", "-"], input="Dr. Healey")
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2 and "SPINECONSULT_DEID_MODEL" in result.stderr


def test_not_a_model_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"hello")
    with pytest.raises(DeidInputError, match="not a spineconsult"):
        SiteModel.load(bad)
    with pytest.raises(DeidInputError, match="cannot read"):
        SiteModel.load(tmp_path / "absent.bin")


def test_cli_trains_and_the_setting_uses_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows, _ = _notes(40, seed=1)
    data, out = _jsonl(tmp_path / "notes.jsonl", rows), tmp_path / "site.bin"
    result = runner.invoke(
        app, ["deid", "train", "--data", str(data), "--out", str(out), "--iterations", "30"]
    )
    assert result.exit_code == 0, result.output
    assert "40 notes" in result.stdout and out.exists()
    monkeypatch.setenv("SPINECONSULT_DEID_MODEL", str(out))
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["deid", "text", "-"], input="Pt escorted by Dapkelmur to the unit.")
    finally:
        get_settings.cache_clear()
    assert result.stdout == "Pt escorted by [NAME] to the unit."


@pytest.mark.parametrize(
    "content,message",
    [
        ("not json\n", "invalid JSON"),
        ('{"spans": []}\n', "expected"),
        ('{"text": "abc", "spans": [{"start": 0, "end": 9, "type": "NAME"}]}\n', "outside"),
        ('{"text": "abc", "spans": [{"start": 0, "end": 2, "type": "PET"}]}\n', "not one of"),
        ('{"text": "abc", "spans": []}\n', "no annotated PHI"),
    ],
)
def test_bad_training_data_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    data = tmp_path / "notes.jsonl"
    data.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["deid", "train", "--data", str(data), "--out", str(tmp_path / "m.bin")])
    assert result.exit_code == 2 and message in result.stderr
    assert not (tmp_path / "m.bin").exists()


def test_missing_training_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["deid", "train", "--data", str(tmp_path / "none")])
    assert result.exit_code == 2 and "no such file" in result.stderr


_PHYSIONET_TEXT = (
    "START_OF_RECORD=1||||1||||\nSeen by Dr Healey on 7/22.\n||||END_OF_RECORD\n"
    "START_OF_RECORD=1||||2||||\nCalm night, MI 1992.\n||||END_OF_RECORD\n"
)


def test_physionet_folder_with_typed_phrases(tmp_path: Path) -> None:
    (tmp_path / "site.text").write_text(_PHYSIONET_TEXT)
    (tmp_path / "site-phi.phrase").write_text(
        "1 1 11 17 HCPName Healey\n1 1 21 25 Date 7/22\n1 2 15 19 DateYear 1992\n"
    )
    notes = read_training_data(tmp_path)
    assert [(n.key, n.spans) for n in notes] == [
        ("site:1-1", [(11, 17, "NAME"), (21, 25, "DATE")]),
        ("site:1-2", []),  # bare years are kept under Safe Harbor: not trained as PHI
    ]
    assert notes[0].group == notes[1].group  # one patient: kept in one cross-validation fold


def test_physionet_folder_with_untyped_locations(tmp_path: Path) -> None:
    (tmp_path / "site.text").write_text(_PHYSIONET_TEXT)
    (tmp_path / "site.deid").write_text("Patient 1\tNote 1\n11\t11\t17\n21\t21\t25\nPatient 1\tNote 2\n")
    notes = read_training_data(tmp_path)
    assert notes[0].spans == [(11, 17, "NAME"), (21, 25, "DATE")] and notes[1].spans == []


def test_token_labels_follow_the_gold_spans() -> None:
    text = "Dr Healey 6/30-7/2 ok"
    tokens = model_tokens(text)
    labels = token_labels(tokens, [(3, 9, "NAME"), (10, 18, "DATE")])
    assert [t.text for t in tokens] == ["Dr", "Healey", "6", "/", "30", "-", "7", "/", "2", "ok"]
    assert labels == ["O", "NAME"] + ["DATE"] * 7 + ["O"]


@pytest.mark.parametrize(
    "text,plausible",
    [
        ("seen 6/30 in clinic", True),
        ("BP 95/50 after fluids", False),  # no month 95
        ("c/o pain 3/10 in back", False),  # a pain score
        ("on CPAP 5/5 overnight", False),  # a ventilator setting
        ("Dr Healey aware", True),  # not a date: the check does not apply
    ],
)
def test_model_dates_are_checked_against_the_rules_knowledge_of_numbers(text: str, plausible: bool) -> None:
    from spineconsult.deid.learned.crf import _plausible
    from spineconsult.deid.models import Span

    value = next(w for w in text.split() if "/" in w and w[0].isdigit()) if "/" in text else "Healey"
    start = text.index(value)
    kind = "DATE" if "/" in value else "NAME"
    assert (
        _plausible(text, Span(start=start, end=start + len(value), type=kind, rule="model:crf")) is plausible
    )


def test_unwritable_model_path_is_a_clear_error(tmp_path: Path) -> None:
    rows, _ = _notes(10, seed=2)
    data = _jsonl(tmp_path / "notes.jsonl", rows)
    (tmp_path / "taken").mkdir()
    result = runner.invoke(
        app, ["deid", "train", "--data", str(data), "--out", str(tmp_path / "taken"), "--iterations", "5"]
    )
    assert result.exit_code == 2 and "cannot write the model" in result.stderr


def test_model_of_another_version_or_damaged_is_refused(tmp_path: Path) -> None:
    from spineconsult.deid.learned.crf import FORMAT, MAGIC
    from spineconsult.deid.learned.features import FEATURE_VERSION

    old = tmp_path / "old.bin"
    old.write_bytes(MAGIC + json.dumps({"format": FORMAT, "feature_version": -1}).encode() + b"\n")
    with pytest.raises(DeidInputError, match="another version"):
        SiteModel.load(old)
    damaged = tmp_path / "damaged.bin"
    header = {"format": FORMAT, "feature_version": FEATURE_VERSION}
    damaged.write_bytes(MAGIC + json.dumps(header).encode() + b"\nnot a crfsuite model")
    with pytest.raises(DeidInputError, match="damaged"):
        SiteModel.load(damaged)
