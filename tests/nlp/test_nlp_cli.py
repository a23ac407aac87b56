"""The Typer app and the batch command: round trip, bad lines, train / evaluate / decisions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nlp.artefacts import load_model
from nlp.batch import classify_command
from nlp.cli import app
from nlp.types import ElectionSpec
from tests.nlp.helpers import ELECTIONS, write_small_corpus

ELECTION = ELECTIONS / "pilkada-contoh-2024.yaml"
runner = CliRunner()


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


FAST = ["--set", "char_features=16384", "--set", "calibration_folds=2"]  # small and quick to fit


@pytest.fixture(scope="module")
def module_corpus(tmp_path_factory: pytest.TempPathFactory, spec_a: ElectionSpec, spec_b: ElectionSpec) -> Path:
    return write_small_corpus(tmp_path_factory.mktemp("corpus"), [spec_a, spec_b])


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory, module_corpus: Path) -> Path:
    out = tmp_path_factory.mktemp("model")
    result = runner.invoke(app, ["train", "--output", str(out), "--corpus", str(module_corpus), "--skip-evaluation",
                                 *FAST])
    assert result.exit_code == 0, result.output
    return out


def test_train_writes_skops_and_metadata(model_dir: Path) -> None:
    meta = json.loads((model_dir / "metadata.json").read_text())
    assert (model_dir / "model.skops").stat().st_size > 0
    assert meta["version"].startswith("campaign-") and len(meta["data_hash"]) == 64
    assert meta["params"]["char_features"] == 16384 and meta["n_examples"] > 100
    assert load_model(model_dir).version == meta["version"]


def test_classify_round_trip_with_bad_lines(tmp_path: Path, model_dir: Path) -> None:
    src = write_lines(tmp_path / "in.jsonl", [
        json.dumps({"id": 1, "text": "Ayo coblos no.2, Bang Rusdi pemimpin amanah! #RufiMaju"}),
        "{not json",
        json.dumps({"id": "x", "text": 5}),
        "",
        json.dumps(["a", "list"]),
        json.dumps({"text": "no id"}),
        json.dumps({"id": "b", "text": "Ayo ke TPS tanggal 27 November, jangan golput"}),
    ])
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["classify", "--election", str(ELECTION), "--input", str(src), "--output", str(out),
                                 "--model", str(model_dir)])
    assert result.exit_code == 0, result.output
    assert "line 2: not JSON" in result.stderr
    assert "line 3: 'text' missing or not a string" in result.stderr
    assert "line 5: not a JSON object" in result.stderr and "line 6: missing 'id'" in result.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == [1, "b"]
    assert set(rows[0]) >= {"id", "campaign", "score", "pair", "stance", "reasons", "model_version"}
    assert rows[0]["campaign"] is True and rows[0]["pair"] == 2 and rows[0]["stance"] == "support"
    assert rows[1]["campaign"] is False and rows[1]["pair"] is None
    mention = next(r for r in rows[0]["reasons"] if r["kind"] == "mention" and r["label"] == "NAME")
    text = "Ayo coblos no.2, Bang Rusdi pemimpin amanah! #RufiMaju"
    assert text[mention["start"]:mention["end"]] == "Bang Rusdi"


def test_classify_command_returns_stats_and_progress_goes_to_stderr(
        tmp_path: Path, model_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write_lines(tmp_path / "in.jsonl", [json.dumps({"id": i, "text": f"ayo coblos {i % 3 + 1}"})
                                              for i in range(30)] + ["oops"])
    stats = classify_command(ELECTION, src, tmp_path / "out.jsonl", model_dir=model_dir, progress=True)
    assert stats.read == 31 and stats.classified == 30 and [b.line for b in stats.bad_lines] == [31]
    captured = capsys.readouterr()
    assert "classify" in captured.err and captured.out == ""
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 30


def test_only_bad_lines_exits_nonzero(tmp_path: Path, model_dir: Path) -> None:
    src = write_lines(tmp_path / "in.jsonl", ["nope"])
    result = runner.invoke(app, ["classify", "--election", str(ELECTION), "--input", str(src),
                                 "--output", str(tmp_path / "o.jsonl"), "--model", str(model_dir)])
    assert result.exit_code == 1


def test_evaluate_writes_markdown_and_json(tmp_path: Path, module_corpus: Path) -> None:
    result = runner.invoke(app, ["evaluate", "--report-dir", str(tmp_path / "rep"), "--corpus", str(module_corpus),
                                 *FAST])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "rep" / "evaluation.json").read_text())
    assert set(report["per_election"]) == {"pilkada-contoh-2024", "pilbup-sungai-rindang-2024"}
    assert 0.0 <= report["loeo_campaign_macro_f1"] <= 1.0
    assert len(report["campaign"]["confusion_matrix"]["rows_true_cols_pred"]) == 2
    assert report["calibration"]["reliability"] and 0.0 <= report["calibration"]["brier"] <= 1.0
    md = (tmp_path / "rep" / "evaluation.md").read_text()
    assert "## Per election (held out)" in md and "Confusion matrix" in md


def test_train_with_decisions_merges_reviewer_labels(tmp_path: Path, module_corpus: Path) -> None:
    decisions = write_lines(tmp_path / "decisions.jsonl", [
        json.dumps({"id": "c1", "election": "pilkada-contoh-2024", "text": "mantap jiwa pak darma",
                    "decision": "confirmed", "pair": 1, "stance": "support"}),
        json.dumps({"id": "c2", "election": "pilkada-contoh-2024", "text": "salam dua jari dari wisuda",
                    "decision": "dismissed"}),
        json.dumps({"id": "c3", "election": "unknown-election", "text": "x", "decision": "confirmed"}),
        json.dumps({"id": "c4", "election": "pilkada-contoh-2024", "text": "y", "decision": "maybe"}),
    ])
    out = tmp_path / "m2"
    result = runner.invoke(app, ["train", "--output", str(out), "--corpus", str(module_corpus), "--skip-evaluation",
                                 "--with-decisions", str(decisions), *FAST])
    assert result.exit_code == 0, result.output
    assert "no election file for 'unknown-election'" in result.stderr
    assert "line 4: decision must be confirmed or dismissed" in result.stderr
    assert json.loads((out / "metadata.json").read_text())["with_decisions"] == 2


def test_bad_parameter_is_refused(tmp_path: Path, module_corpus: Path) -> None:
    result = runner.invoke(app, ["train", "--output", str(tmp_path / "m"), "--corpus", str(module_corpus),
                                 "--set", "nonsense=1"])
    assert result.exit_code != 0 and not (tmp_path / "m").exists()


def test_export_decisions(tmp_path: Path) -> None:
    decisions = write_lines(tmp_path / "d.jsonl", [
        json.dumps({"id": 9, "election": "e", "text": "ayo coblos 2", "decision": "confirmed", "pair": 2,
                    "stance": "support", "reviewer": "someone"}),
        "garbage",
    ])
    out = tmp_path / "examples.jsonl"
    result = runner.invoke(app, ["export-decisions", str(decisions), str(out)])
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert row == {"id": "decision:9", "election": "e", "text": "ayo coblos 2", "campaign": True, "pair": 2,
                   "stance": "support", "source": "reviewer:confirmed"}
    assert "line 2: not JSON" in result.stderr
