"""The learned half: a scikit-learn Pipeline over masked text and cue tokens.

Input rows are ``[masked_text, cue_tokens]`` (see :mod:`nlp.analysis`).  Features: word 1–2-gram
TF-IDF and character 3–4-gram TF-IDF of the masked text, plus counts of the rule cues.  Character
n-grams are hashed so the artefact holds no huge vocabulary and loads well under a second; word
n-grams keep a vocabulary because they are what reviewers are shown as "top contributing n-grams".

The campaign classifier is a logistic regression wrapped in sigmoid calibration (cross-validated), so
``score`` can be read as a probability.  Stance (support vs oppose) is a second logistic regression on
the same features, trained only on campaign texts: a campaign text is partisan one way or the other.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import CountVectorizer, HashingVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from nlp.analysis import Analysis

log = logging.getLogger(__name__)

DEFAULT_PARAMS: dict[str, Any] = {
    "word_ngrams": (1, 2), "char_ngrams": (3, 4), "char_features": 2**16, "C": 4.0, "stance_C": 4.0,
    "calibration_folds": 3, "threshold": 0.5, "min_df": 1,
}


def decide(score: float, oppose: float, threshold: float) -> tuple[bool, str]:
    """Campaign flag and stance from the two probabilities (shared by prediction and evaluation)."""
    if score < threshold:
        return False, "none"
    return True, "oppose" if oppose >= 0.5 else "support"


def rows(analyses: Sequence[Analysis]) -> NDArray[np.object_]:
    """The 2-column object array the pipeline consumes."""
    out = np.empty((len(analyses), 2), dtype=object)
    for i, a in enumerate(analyses):
        out[i, 0] = a.masked
        out[i, 1] = a.cue_tokens
    return out


def build_features(params: dict[str, Any]) -> ColumnTransformer:
    word = TfidfVectorizer(token_pattern=r"\S+", lowercase=False,  # noqa: S106
                           ngram_range=tuple(params["word_ngrams"]),
                           min_df=params["min_df"], sublinear_tf=True, dtype=np.float32)
    char = Pipeline([
        ("hash", HashingVectorizer(analyzer="char", ngram_range=tuple(params["char_ngrams"]), lowercase=False,
                                   n_features=params["char_features"], alternate_sign=False, norm=None,
                                   dtype=np.float32)),
        ("tfidf", TfidfTransformer(sublinear_tf=True)),
    ])
    cues = CountVectorizer(token_pattern=r"\S+", lowercase=False, dtype=np.float32)  # noqa: S106
    return ColumnTransformer([("word", word, 0), ("char", char, 0), ("cues", cues, 1)])


@dataclass
class CampaignModel:
    """The fitted estimators (what the skops artefact holds) plus the decision threshold."""

    campaign: Pipeline
    stance: LogisticRegression | None
    threshold: float = 0.5
    params: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_PARAMS))

    def features(self, x: NDArray[np.object_]) -> Any:
        return self.campaign[:-1].transform(x)

    def campaign_proba(self, features: Any) -> NDArray[np.float64]:
        proba: NDArray[np.float64] = self.campaign[-1].predict_proba(features)[:, 1]
        return proba

    def oppose_proba(self, features: Any) -> NDArray[np.float64]:
        """P(oppose | campaign); 0.0 everywhere if no stance model could be trained."""
        if self.stance is None:
            return np.zeros(features.shape[0])
        classes = list(self.stance.classes_)
        proba: NDArray[np.float64] = self.stance.predict_proba(features)[:, classes.index("oppose")]
        return proba

    def word_weights(self) -> tuple[NDArray[np.float64], NDArray[np.str_], int]:
        """Campaign coefficients (mean over calibrated estimators), word feature names, word block size."""
        clf = self.campaign[-1]
        coef = np.mean([c.estimator.coef_[0] for c in clf.calibrated_classifiers_], axis=0)
        word = self.campaign[0].named_transformers_["word"]
        names = word.get_feature_names_out()
        return coef, names, len(names)


def fit(analyses: Sequence[Analysis], campaign: Sequence[bool], stance: Sequence[str],
        params: dict[str, Any] | None = None) -> CampaignModel:
    """Fit both classifiers.  ``stance`` is only used where ``campaign`` is true."""
    p = dict(DEFAULT_PARAMS, **(params or {}))
    x = rows(analyses)
    y = np.array(campaign, dtype=bool)
    if len(set(y.tolist())) < 2:
        raise ValueError("training data needs both campaign and non-campaign examples")
    folds = int(min(p["calibration_folds"], np.bincount(y.astype(int)).min()))
    clf = CalibratedClassifierCV(
        LogisticRegression(C=p["C"], solver="liblinear", max_iter=2000, class_weight="balanced"), method="sigmoid",
        cv=max(2, folds), ensemble=False)
    pipe = Pipeline([("features", build_features(p)), ("clf", clf)])
    pipe.fit(x, y)
    feats = pipe[:-1].transform(x)
    mask = y & np.isin(np.array(stance), ["support", "oppose"])
    stance_model: LogisticRegression | None = None
    if len(set(np.array(stance)[mask].tolist())) == 2:
        stance_model = LogisticRegression(C=p["stance_C"], solver="liblinear", max_iter=2000, class_weight="balanced")
        stance_model.fit(feats[mask], np.array(stance)[mask])
    else:
        log.warning("stance model not trained: need both support and oppose campaign examples")
    log.info("fitted on %d texts (%d campaign)", len(y), int(y.sum()))
    return CampaignModel(campaign=pipe, stance=stance_model, threshold=float(p["threshold"]), params=p)
