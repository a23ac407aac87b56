"""Training on tiny inline data, and that names are never what the model learns."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from nlp.analysis import Analyzer
from nlp.model import decide, fit, rows
from nlp.predict import Classifier
from nlp.training import evaluate_check_set
from nlp.types import ElectionSpec

# (text, campaign, stance) written with election A's names (pilkada-contoh-2024).
TRAIN_A = [
    ("Ayo pilih Pak Darma tanggal 27 November!", True, "support"),
    ("Jangan lupa coblos nomor 2 ya guys", True, "support"),
    ("Bang Rusdi pemimpin amanah dan merakyat, lanjutkan!", True, "support"),
    ("#DamaiMenang siap satu putaran", True, "support"),
    ("Salam 3 jari untuk Agustinus Lamawuran 👌", True, "support"),
    ("Foto bareng calon bupati kita Darmawan Kusumajaya, semoga menang", True, "support"),
    ("Mari menangkan RUFI demi Kabupaten Contoh", True, "support"),
    ("Jangan pilih Pak Darma, calon pembohong", True, "oppose"),
    ("Rusdianto Wiraatmaja cuma pencitraan, janji omong doang", True, "oppose"),
    ("Tolak dinasti! Jangan beri kesempatan nomor 3", True, "oppose"),
    ("Agustinus Lamawuran gagal urus banjir, jangan coblos", True, "oppose"),
    ("Ayo ke TPS tanggal 27 November, gunakan hak pilihmu", False, "none"),
    ("KPU menetapkan Darmawan Kusumajaya sebagai pasangan calon nomor urut 1", False, "none"),
    ("Persib menang 2-0 tadi malam, mantap", False, "none"),
    ("Hidup itu pilihan, nasi goreng nomor 1 atau mie ayam nomor 2", False, "none"),
    ("Dukung UMKM lokal dengan beli produk tetangga", False, "none"),
    ("Jangan lupa sholat Jumat dan perbanyak sedekah", False, "none"),
    ("Bawaslu mengajak masyarakat mengawasi pemilu, tolak politik uang", False, "none"),
    ("Selamat ulang tahun anakku yang ke-2", False, "none"),
    ("Dinas kesehatan menggelar vaksinasi gratis di puskesmas", False, "none"),
    ("Debat kedua menghadirkan tiga paslon malam ini", False, "none"),
    ("ASN wajib netral, jangan like dan share konten kampanye", False, "none"),
]


@pytest.fixture(scope="module")
def trained_a(spec_a: ElectionSpec) -> Classifier:
    analyzer = Analyzer(spec_a)
    analyses = [analyzer.analyze(t) for t, _, _ in TRAIN_A]
    params = {"calibration_folds": 2, "char_features": 2**14}
    model = fit(analyses, [c for _, c, _ in TRAIN_A], [s for _, _, s in TRAIN_A], params)
    return Classifier(model, spec_a, "test-a")


def test_decide() -> None:
    assert decide(0.2, 0.9, 0.5) == (False, "none")
    assert decide(0.8, 0.9, 0.5) == (True, "oppose")
    assert decide(0.8, 0.1, 0.5) == (True, "support")


def test_fit_needs_both_classes(spec_a: ElectionSpec) -> None:
    analyzer = Analyzer(spec_a)
    with pytest.raises(ValueError, match="both campaign and non-campaign"):
        fit([analyzer.analyze("ayo pilih Pak Darma")] * 4, [True] * 4, ["support"] * 4)


def test_tiny_model_separates_its_own_training_data(trained_a: Classifier) -> None:
    predictions = trained_a.predict_many([t for t, _, _ in TRAIN_A])
    accuracy = np.mean([p.campaign == c for p, (_, c, _) in zip(predictions, TRAIN_A, strict=True)])
    assert accuracy >= 0.9
    assert all(0.0 <= p.score <= 1.0 and 0.0 <= p.uncertainty <= 1.0 for p in predictions)


def test_placeholders_make_names_irrelevant(trained_a: Classifier, spec_a: ElectionSpec,
                                            spec_b: ElectionSpec) -> None:
    """The same sentence about a pair of election A and a pair of election B (other names) gives
    exactly the same model input, hence the same score; the pair comes from B's ruler."""
    text_a = "Ayo coblos Pak Darma, pemimpin amanah #DamaiMenang"
    text_b = "Ayo coblos Mas Teguh, pemimpin amanah #TeduhRindang"
    masked_a, masked_b = Analyzer(spec_a).analyze(text_a), Analyzer(spec_b).analyze(text_b)
    assert masked_a.masked == masked_b.masked
    assert masked_a.cue_tokens == masked_b.cue_tokens
    on_b = Classifier(trained_a.model, spec_b, "test-a")
    p_a, p_b = trained_a.predict(text_a), on_b.predict(text_b)
    assert p_a.score == pytest.approx(p_b.score)
    assert p_b.campaign and p_b.pair == 2 and p_b.stance == "support"


def test_model_trained_on_a_predicts_b(trained_a: Classifier, spec_b: ElectionSpec) -> None:
    on_b = Classifier(trained_a.model, spec_b, "test-a")
    attack = on_b.predict("Jangan pilih Abah Marzuki, calon pembohong")
    assert attack.campaign and attack.pair == 1 and attack.stance == "oppose"
    neutral = on_b.predict("Ayo ke TPS tanggal 27 November, gunakan hak pilihmu")
    assert not neutral.campaign and neutral.stance == "none" and neutral.pair is None


def test_rows_shape(spec_a: ElectionSpec) -> None:
    x = rows([Analyzer(spec_a).analyze("ayo coblos 2")])
    assert x.shape == (1, 2) and x[0, 0] == "ayo coblos NOMOR"


def test_check_set_scores_a_trained_model(trained_a: Classifier, spec_a: ElectionSpec, tmp_path: Path) -> None:
    rows = [
        {"id": "h1", "election": spec_a.id, "text": "Ayo coblos Bang Rusdi, pemimpin amanah", "campaign": True,
         "pair": 2, "stance": "support"},
        {"id": "h2", "election": spec_a.id, "text": "Ayo ke TPS, gunakan hak pilihmu", "campaign": False,
         "pair": None, "stance": "none"},
    ]
    path = tmp_path / "checks.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = evaluate_check_set(trained_a.model, {spec_a.id: spec_a}, "v", path)
    assert result is not None and result["n_texts"] == 2
    assert result["campaign_macro_f1"] == 1.0 and result["mistakes"] == []
    assert evaluate_check_set(trained_a.model, {}, "v", path) is None  # election unknown
    assert evaluate_check_set(trained_a.model, {spec_a.id: spec_a}, "v", tmp_path / "missing.jsonl") is None
