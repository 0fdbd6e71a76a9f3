"""Learning from judged pairs: reading them (no PyTorch needed), and fine-tuning (skipped without it)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from spineconsult.cli import app
from spineconsult.library.learn import best_threshold, read_pairs, split_held_out

PAIRS = [
    ("My back hurts after fusion", "Is back pain normal after a spinal fusion?", 1),
    ("My back hurts after fusion", "Does fusion surgery hurt the knees?", 0),
    ("Can I drive after a discectomy?", "When is driving allowed after discectomy?", 1),
    ("Can I drive after a discectomy?", "Can I fly after a discectomy?", 0),
    ("Tingling in my foot", "Pins and needles in my foot", 1),
    ("Tingling in my foot", "My foot is swollen", 0),
    ("Is it safe to lift my child?", "Can I pick up my kid after surgery?", 1),
    ("Is it safe to lift my child?", "Is it safe to have another child?", 0),
    ("My wound is red and hot", "The incision looks red and feels warm", 1),
    ("My wound is red and hot", "My face is red after the painkillers", 0),
    ("How long until I can swim?", "When can I go swimming after the operation?", 1),
    ("How long until I can swim?", "How long is the operation?", 0),
]


def test_csv_and_jsonl_are_read_and_bad_lines_reported(tmp_path: Path) -> None:
    csv_file = tmp_path / "pairs.csv"
    csv_file.write_text(
        "question_1,question_2,label\nA one,A two,1\nB one,,0\nC one,C two,maybe\nshort\nD one,D two,0\n",
        encoding="utf-8",
    )
    report = read_pairs(csv_file)
    assert report.pairs == [("A one", "A two", 1), ("D one", "D two", 0)]
    assert [e.split(":")[0] for e in report.errors] == ["line 3", "line 4", "line 5"]
    jsonl = tmp_path / "pairs.jsonl"
    lines = [
        json.dumps({"question_1": "A", "question_2": "B", "label": 1}),
        "{not json",
        json.dumps([1, 2]),
        json.dumps({"question_1": "A", "question_2": "C", "label": False}),
        json.dumps({"question_1": "A", "question_2": 3, "label": 0}),
    ]
    jsonl.write_text("\n".join(lines), encoding="utf-8")
    report = read_pairs(jsonl)
    assert report.pairs == [("A", "B", 1), ("A", "C", 0)]
    assert [e.split(":")[0] for e in report.errors] == ["line 2", "line 3", "line 5"]


def test_a_csv_without_the_header_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "pairs.csv"
    path.write_text("a,b,1\n", encoding="utf-8")
    report = read_pairs(path)
    assert report.pairs == [] and report.errors == [
        "line 1: the header must name question_1, question_2 and label"
    ]


def test_held_out_pairs_keep_each_first_question_on_one_side() -> None:
    training, held_out = split_held_out(PAIRS)
    assert len(training) + len(held_out) == len(PAIRS) and held_out
    assert not {p[0] for p in training} & {p[0] for p in held_out}


def test_best_threshold_separates_when_it_can() -> None:
    threshold, accuracy = best_threshold(np.array([0.9, 0.8, 0.4, 0.3]), np.array([1, 1, 0, 0]))
    assert 0.4 < threshold < 0.8 and accuracy == 1.0


def test_learn_refuses_too_few_pairs_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "pairs.csv"
    path.write_text("question_1,question_2,label\nA,B,1\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["library", "learn", str(path), "--out", str(tmp_path / "a.st")])
    assert result.exit_code == 1
    assert "need at least" in result.output or "PyTorch" in result.output
    missing = CliRunner().invoke(app, ["library", "learn", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 1 and "no such file" in missing.output
