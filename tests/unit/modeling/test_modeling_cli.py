"""``python -m modeling`` end to end, in a subprocess, on tiny files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from modeling.data import read_csv
from modeling.public_datasets import GERMAN_CREDIT_COLUMNS, GERMAN_CREDIT_TARGET
from modeling.synthetic import generate_portfolio
from tests.support.german_credit import german_credit_rows

ROOT = Path(__file__).resolve().parents[3]


def run(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "modeling", *arguments],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def tiny_csv(tmp_path_factory) -> Path:
    """400 synthetic clients, a text column and an identifier to drop."""
    frame = generate_portfolio(400, seed=3)
    frame["segment"] = (frame["age"] // 20).map(lambda band: f"band{band}")
    frame = frame.drop(columns=[c for c in frame.columns if c.endswith("_as_of")])
    path = tmp_path_factory.mktemp("data") / "tiny.csv"
    frame.to_csv(path, index=False)
    return path


def test_benchmark_on_a_tiny_csv(tiny_csv, tmp_path):
    out = tmp_path / "bench"
    result = run(
        "benchmark",
        "--data",
        str(tiny_csv),
        "--target",
        "defaulted",
        "--drop",
        "client_id",
        "--folds",
        "3",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads((out / "report.json").read_text())
    names = [candidate["name"] for candidate in report["candidates"]]
    assert names == ["baseline", "logit", "penalised_logistic", "xgboost", "hist_gradient_boosting"]
    assert report["champion"] in names
    for candidate in report["candidates"]:
        assert {
            "name",
            "cv_roc_auc_mean",
            "cv_roc_auc_std",
            "average_precision",
            "brier",
            "ks",
            "expected_cost",
            "fit_seconds",
        } <= set(candidate)
    for picture in ("roc.png", "calibration.png", "cost.png"):
        assert (out / picture).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"({picture})" in (out / "report.md").read_text()
    assert f"champion: {report['champion']}" in result.stdout
    # Each printed cost names where it comes from: cross-validation or the held-out test split.
    for candidate in report["candidates"]:
        line = next(line for line in result.stdout.splitlines() if line.startswith(candidate["name"] + " "))
        assert f"CV expected cost {candidate['cv_expected_cost_mean']:.4f}" in line
        assert f"expected cost (test split) {candidate['expected_cost']:.4f}" in line


def test_train_on_a_tiny_csv(tiny_csv, tmp_path):
    result = run(
        "train",
        "--data",
        str(tiny_csv),
        "--target",
        "defaulted",
        "--folds",
        "3",
        "--candidates",
        "logit,xgboost",
        "--out",
        str(tmp_path / "registry"),
    )
    assert result.returncode == 0, result.stderr
    artefact = Path(result.stdout.strip())
    assert artefact.parent == tmp_path / "registry"
    assert (tmp_path / "registry" / "CHAMPION").read_text().strip() == artefact.name


def _write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


BAD_FILES = {
    "missing file": (None, "no such file"),
    "empty file": (b"", "the file is empty"),
    "header only": (b"a,b,y\n", "no rows"),
    "unreadable CSV": (b'a,b,y\n1,"2,0\n3,4\n', "not a readable CSV"),
    "binary file": (bytes(range(256)) * 4, "not a readable CSV"),
    "missing target": (b"a,b\n1,2\n3,4\n", "target column 'y' not found"),
    "constant target": (b"a,y\n1,0\n2,0\n3,0\n", "is constant"),
    "three target values": (b"a,y\n1,0\n2,1\n3,2\n", "3 distinct values"),
    "missing target values": (b"a,y\n1,0\n2,\n3,1\n", "missing value"),
    "text target without --positive": (b"a,y\n1,good\n2,bad\n", "--positive"),
    "too few defaults": (b"a,y\n" + b"1,0\n" * 50 + b"2,1\n" * 3, "too few examples"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_gets_one_line_and_exit_code_2(tmp_path, case):
    content, message = BAD_FILES[case]
    path = tmp_path / "missing.csv" if content is None else _write(tmp_path, "data.csv", content)
    result = run("benchmark", "--data", str(path), "--target", "y", "--out", str(tmp_path / "o"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and message in lines[0]
    assert not (tmp_path / "o" / "report.json").exists()


def test_train_requires_the_five_features(tmp_path):
    path = _write(tmp_path, "data.csv", b"age,income,defaulted\n30,1000,0\n40,2000,1\n")
    result = run("train", "--data", str(path), "--out", str(tmp_path / "registry"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "error: the five features are required; " + "missing: seniority, payment_incidents, credit_score"
    ]


@pytest.mark.parametrize(
    ("candidates", "message"),
    [
        ("logit,neural_net", "error: unknown candidate(s) neural_net; choose from baseline, "),
        (",", "error: unknown candidate(s) (none given)"),
    ],
)
def test_bad_candidates_get_one_line_and_exit_code_2(tmp_path, candidates, message):
    result = run("train", "--candidates", candidates, "--out", str(tmp_path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), result.stderr


def test_an_output_folder_that_is_a_file(tiny_csv, tmp_path):
    occupied = tmp_path / "occupied"
    occupied.write_text("")
    result = run("benchmark", "--data", str(tiny_csv), "--target", "defaulted", "--out", str(occupied))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("error: ")


def test_the_uci_german_credit_layout_is_read_as_published(tmp_path):
    path = _write(tmp_path, "german.data", german_credit_rows(60).encode())
    frame = read_csv(path)
    assert tuple(frame.columns) == GERMAN_CREDIT_COLUMNS and len(frame) == 60
    assert frame["checking_status"].str.fullmatch(r"A1[1-4]").all()
    assert set(frame[GERMAN_CREDIT_TARGET]) <= {1, 2} and frame["credit_amount"].dtype.kind == "i"


def test_an_ordinary_space_separated_file_is_not_taken_for_german_credit(tmp_path):
    path = _write(tmp_path, "data.txt", b"a b y\n1 2 0\n3 4 1\n")
    assert list(read_csv(path).columns) == ["a b y"]


def test_benchmark_runs_on_german_data_as_published(tmp_path):
    path = _write(tmp_path, "german.data", german_credit_rows(300).encode())
    out = tmp_path / "bench"
    result = run(
        "benchmark", "--data", str(path), "--target", GERMAN_CREDIT_TARGET,
        "--cost-fn", "5", "--cost-fp", "1", "--folds", "2", "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "UCI German credit layout" in result.stderr
    report = json.loads((out / "report.json").read_text())
    # 2 (bad) is the larger of the two outcome codes: the default, as in the code book.
    frame = read_csv(path)
    assert report["rows"] == 300
    assert report["default_rate"] == (frame[GERMAN_CREDIT_TARGET] == 2).mean()
    assert "expected cost (test split)" in result.stdout


def test_a_wrong_target_on_german_data_lists_its_columns(tmp_path):
    path = _write(tmp_path, "german.data", german_credit_rows(20).encode())
    result = run("benchmark", "--data", str(path), "--target", "20", "--out", str(tmp_path / "o"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith("error: target column '20' not found") and GERMAN_CREDIT_TARGET in error
