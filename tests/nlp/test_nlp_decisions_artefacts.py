"""Reviewer decisions as examples, corpus loading, and the skops artefact's type allow-list."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import pytest
import skops.io as sio
from sklearn.preprocessing import FunctionTransformer

from nlp.artefacts import DEFAULT_DIR, MODEL_FILE, ModelFileError, load_default_model, load_model
from nlp.dataset import Example, ExampleError, data_hash, load_corpus, read_examples
from nlp.decisions import decision_to_example, merge


def test_confirmed_and_dismissed_decisions() -> None:
    yes = decision_to_example({"id": 1, "election": "e", "text": "coblos 2", "decision": "Confirmed",
                               "pair": 2, "stance": "oppose"})
    assert (yes.campaign, yes.pair, yes.stance, yes.source) == (True, 2, "oppose", "reviewer:confirmed")
    no = decision_to_example({"id": 2, "election": "e", "text": "foto wisuda", "decision": "dismissed",
                              "stance": "support"})
    assert (no.campaign, no.stance) == (False, "none")
    unknown_stance = decision_to_example({"id": 3, "election": "e", "text": "t", "decision": "confirmed"})
    assert unknown_stance.stance == "none"
    with pytest.raises(ExampleError):
        decision_to_example({"id": 4, "election": "e", "text": "t", "decision": "confirmed", "stance": "meh"})
    with pytest.raises(ExampleError):
        decision_to_example({"id": 5, "election": "e", "text": "  ", "decision": "confirmed"})


def test_reviewer_label_replaces_corpus_label() -> None:
    corpus = [Example("a", "e", "salam dua jari", True, 2, "support")]
    merged = merge(corpus, [Example("d", "e", "salam dua jari", False, None, "none", "reviewer:dismissed")])
    assert len(merged) == 1 and merged[0].campaign is False


def test_data_hash_is_order_independent() -> None:
    a, b = Example("1", "e", "x", True, 1, "support"), Example("2", "e", "y", False, None, "none")
    assert data_hash([a, b]) == data_hash([b, a]) != data_hash([a])


def test_read_examples_reports_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"id": 1, "election": "e", "text": "t", "campaign": False}) + "\n{bad\n")
    with pytest.raises(ExampleError, match=r"x.jsonl:2"):
        read_examples(path)


def test_shipped_corpus_meets_the_brief() -> None:
    examples, specs = load_corpus()
    assert len(examples) >= 2000 and len(specs) >= 6
    assert {e.election for e in examples} == set(specs)
    assert {e.stance for e in examples if e.pair is not None} == {"support", "oppose", "none"}
    assert all(e.campaign == (e.stance != "none") for e in examples)
    assert len({e.text for e in examples}) > 0.95 * len(examples)


def test_shipped_model_loads_fast_and_predicts() -> None:
    load_default_model.cache_clear()
    started = time.process_time()  # CPU time: a busy shared machine must not fail this
    loaded = load_default_model()
    assert time.process_time() - started < 1.0
    assert loaded.metadata["n_examples"] >= 2000
    assert loaded.metadata["metrics"]["loeo_campaign_macro_f1"] >= 0.90


def test_untrusted_types_are_refused(tmp_path: Path) -> None:
    directory = tmp_path / "evil"
    directory.mkdir()
    sio.dump({"campaign": FunctionTransformer(func=print)}, directory / MODEL_FILE)
    (directory / "metadata.json").write_text('{"version": "x"}')
    with pytest.raises(ModelFileError, match="untrusted types"):
        load_model(directory)


def test_missing_artefact(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError):
        load_model(tmp_path)


def test_shipped_artefact_is_small_and_not_a_pickle() -> None:
    path = DEFAULT_DIR / MODEL_FILE
    assert path.stat().st_size < 2_000_000
    assert zipfile.is_zipfile(path)
