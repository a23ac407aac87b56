"""The Typer app and the batch command: round trip, bad lines, train / evaluate / decisions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from nlp.artefacts import load_model
from nlp.batch import classify_command
from nlp.election import load_election_yaml
from nlp.types import ElectionSpec
from pipelines.cli.nlp import app
from tests.nlp.helpers import ELECTIONS, write_small_corpus

ELECTION = ELECTIONS / "pilkada-contoh-2024.yaml"
runner = CliRunner()


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def spec_a() -> ElectionSpec:
    return load_election_yaml(ELECTION)


@pytest.fixture(scope="module")
def spec_b() -> ElectionSpec:
    return load_election_yaml(ELECTIONS / "pilbup-sungai-rindang-2024.yaml")


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
    assert f"{src}:2: not JSON" in result.stderr
    assert f"{src}:3: 'text' missing or not a string" in result.stderr
    assert f"{src}:5: not a JSON object" in result.stderr and f"{src}:6: missing 'id'" in result.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == [1, "b"]
    assert set(rows[0]) >= {"id", "campaign", "score", "pair", "stance", "reasons", "model_version"}
    assert rows[0]["campaign"] is True and rows[0]["pair"] == 2 and rows[0]["stance"] == "support"
    assert rows[1]["campaign"] is False and rows[1]["pair"] is None
    mention = next(r for r in rows[0]["reasons"] if r["kind"] == "mention" and r["label"] == "NAME")
    text = "Ayo coblos no.2, Bang Rusdi pemimpin amanah! #RufiMaju"
    assert text[mention["start"]:mention["end"]] == "Bang Rusdi"


def test_classify_command_returns_stats_and_reports_progress(tmp_path: Path, model_dir: Path) -> None:
    src = write_lines(tmp_path / "in.jsonl", [json.dumps({"id": i, "text": f"ayo coblos {i % 3 + 1}"})
                                              for i in range(30)] + ["oops"])
    seen: list[tuple[int, int]] = []
    stats = classify_command(ELECTION, src, tmp_path / "out.jsonl", model_dir=model_dir,
                             progress=lambda done, total: seen.append((done, total)))
    assert stats.read == 31 and stats.classified == 30 and [b.line for b in stats.bad_lines] == [31]
    assert seen[-1] == (31, 31)
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 30


def test_only_bad_lines_exits_nonzero_and_writes_nothing(tmp_path: Path, model_dir: Path) -> None:
    src = write_lines(tmp_path / "in.jsonl", ["nope"])
    result = runner.invoke(app, ["classify", "--election", str(ELECTION), "--input", str(src),
                                 "--output", str(tmp_path / "o.jsonl"), "--model", str(model_dir)])
    assert result.exit_code == 1 and sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


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


def _classify(tmp_path: Path, model_dir: Path, src: Path, election: Path = ELECTION) -> Any:
    return runner.invoke(app, ["classify", "--election", str(election), "--input", str(src),
                               "--output", str(tmp_path / "o.jsonl"), "--model", str(model_dir)])


def test_non_utf8_line_is_reported_and_others_classified(tmp_path: Path, model_dir: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(json.dumps({"id": 1, "text": "ayo coblos 2"}).encode() + b"\n"
                    + b'{"id": 2, "text": "caf\xe9"}\n' + json.dumps({"id": 3, "text": "halo"}).encode() + b"\n")
    result = _classify(tmp_path, model_dir, src)
    assert f"{src}:2: not UTF-8" in result.stderr
    assert [json.loads(x)["id"] for x in (tmp_path / "o.jsonl").read_text().splitlines()] == [1, 3]


def test_deeply_nested_json_line_is_one_clear_line(tmp_path: Path, model_dir: Path) -> None:
    src = write_lines(tmp_path / "in.jsonl", ["[" * 100_000 + "]" * 100_000,
                                              json.dumps({"id": 1, "text": "ayo coblos 2"})])
    result = _classify(tmp_path, model_dir, src)
    assert result.exit_code == 0 and f"{src}:1: JSON nested too deeply" in result.stderr


@pytest.mark.parametrize(("content", "message"), [
    ("# netral\n\nNot an election: [unclosed\n", "not valid YAML"),
    ("just a sentence\n", "not a YAML mapping"),
    ("a:\n" + "".join("  " * i + "- \n" for i in range(1, 3000)), "election"),
])
def test_bad_election_file_is_one_line_without_traceback(tmp_path: Path, model_dir: Path, content: str,
                                                         message: str) -> None:
    from pipelines.cli import app as netral

    election = tmp_path / "README.md"
    election.write_text(content, encoding="utf-8")
    src = write_lines(tmp_path / "in.jsonl", [json.dumps({"id": 1, "text": "x"})])
    result = runner.invoke(netral, ["classify", "--election", str(election), "--input", str(src),
                                    "--output", str(tmp_path / "o.jsonl"), "--model", str(model_dir)])
    assert result.exit_code == 1 and message in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "o.jsonl").exists()


def test_missing_model_is_one_line_without_traceback(tmp_path: Path) -> None:
    from pipelines.cli import app as netral

    src = write_lines(tmp_path / "in.jsonl", [json.dumps({"id": 1, "text": "x"})])
    result = runner.invoke(netral, ["classify", "--election", str(ELECTION), "--input", str(src),
                                    "--output", str(tmp_path / "o.jsonl"), "--model", str(tmp_path / "nothing")])
    assert result.exit_code == 1 and "needs model.skops" in result.stderr and result.exception is not None
    assert isinstance(result.exception, SystemExit)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.one_of(
    st.binary(max_size=40).filter(lambda b: b"\n" not in b and b"\r" not in b),
    st.builds(lambda i, t: json.dumps({"id": i, "text": t}).encode(), st.integers(), st.text(max_size=60)),
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                 lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=3), c, max_size=3),
                 max_leaves=10).map(lambda v: json.dumps(v).encode()),
), max_size=12))
def test_classify_input_property(tmp_path: Path, model_dir: Path, lines: list[bytes]) -> None:
    """Whatever the bytes: every non-blank line is classified or reported, in order, never both."""
    src = tmp_path / "prop.jsonl"
    src.write_bytes(b"\n".join(lines) + b"\n")
    out = tmp_path / "prop-out.jsonl"
    out.unlink(missing_ok=True)
    result = runner.invoke(app, ["classify", "--election", str(ELECTION), "--input", str(src),
                                 "--output", str(out), "--model", str(model_dir)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    nonblank = [line for line in src.read_bytes().split(b"\n") if line.strip()]
    classified = out.read_text(encoding="utf-8").splitlines() if out.exists() else []
    reported = [line for line in result.stderr.splitlines() if line.endswith("(skipped)")]
    assert len(classified) + len(reported) == len(nonblank)
