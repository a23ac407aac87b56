"""The issue's quality targets on the shipped corpus (slow: seven leave-one-election-out fits)."""

from __future__ import annotations

import pytest

from nlp.dataset import load_corpus
from nlp.predict import Classifier, classifier_for
from nlp.training import evaluate_examples
from nlp.types import ElectionSpec


@pytest.mark.slow
def test_leave_one_election_out_meets_targets() -> None:
    examples, specs = load_corpus()
    report = evaluate_examples(examples, specs)
    assert report["loeo_campaign_macro_f1"] >= 0.90
    assert report["loeo_stance_macro_f1"] >= 0.75
    assert min(v["campaign_macro_f1"] for v in report["per_election"].values()) >= 0.85


# Hand-written texts that are in no template, about the example election's pairs.
FRESH = [
    ("Besok jgn lupa ya coblos no 3, pak agus lamawuran paling peduli sama petani", True, 3, "support"),
    ("RUFI itu cuma jual janji, lima taun lalu juga gitu. ogah!", True, 2, "oppose"),
    ("Selamat pagi, hari ini KPU Kabupaten Contoh membuka pendaftaran KPPS", False, None, "none"),
    ("Anak kedua saya lahir tadi malam, mohon doanya", False, None, "none"),
    ("#DamaiMenang #ContohDamai2024 🔥🔥🔥", True, 1, "support"),
]


@pytest.fixture(scope="module")
def shipped(spec_a: ElectionSpec) -> Classifier:
    return classifier_for(spec_a)


@pytest.mark.parametrize(("text", "campaign", "pair", "stance"), FRESH)
def test_shipped_model_on_fresh_texts(shipped: Classifier, text: str, campaign: bool, pair: int | None,
                                      stance: str) -> None:
    prediction = shipped.predict(text)
    assert (prediction.campaign, prediction.pair, prediction.stance) == (campaign, pair, stance)
    for reason in prediction.reasons:
        if reason.start is not None and reason.end is not None:
            assert text[reason.start:reason.end] == reason.quote
