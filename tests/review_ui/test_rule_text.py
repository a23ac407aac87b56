"""Every rule element and stage note :mod:`nlp.assess` can produce reads in Indonesian on the case page.

The assessor is run over every interaction kind, with and without campaign content, official targets,
photos and comments, and in every election stage; each element it emits (as ``pipelines.assess`` stores
it, ``"<code>: <element>"``) must come back translated. A new or reworded English sentence in ``nlp``
fails here until review_ui/rule_text.py knows it.
"""

from __future__ import annotations

import itertools
from datetime import date

from nlp.assess import KINDS, Interaction, assess
from nlp.types import Calendar, Prediction, Reason
from review_ui.i18n import translations
from review_ui.rule_text import rule_element

CAL = Calendar(candidates_fixed=date(2024, 9, 22), campaign_start=date(2024, 9, 25),
               campaign_end=date(2024, 11, 23), quiet_start=date(2024, 11, 24), quiet_end=date(2024, 11, 26),
               voting=date(2024, 11, 27))
DAYS = (date(2024, 9, 1), date(2024, 10, 10), date(2024, 11, 25), date(2024, 11, 27))


def _prediction(campaign: bool) -> Prediction:
    reasons = (Reason("cue", "PHOTO", "foto bersama"), Reason("mention", "name", "Paslon 1", 0, 8, pair=1))
    return Prediction(campaign=campaign, score=0.9 if campaign else 0.1, pair=1 if campaign else None,
                      stance="support" if campaign else "none", reasons=reasons, model_version="t",
                      uncertainty=0.1)


def _all_elements() -> set[str]:
    found: set[str] = set()
    options = itertools.product(KINDS, DAYS, (None, True, False), (None, True, False), (False, True), (False, True))
    for kind, on, content, comment, official, photo in options:
        result = assess(Interaction(kind, on, None if content is None else _prediction(content),
                                    None if comment is None else _prediction(comment), official, photo, 1), CAL)
        found |= {f"{v.code}: {e}" for v in result.violations for e in v.elements} | set(result.notes)
    return found


def test_every_assessor_element_is_translated() -> None:
    _ = translations("id").gettext
    elements = _all_elements()
    assert len(elements) > 10
    assert sorted(e for e in elements if rule_element(_, e) == e) == []


def test_report_elements_are_translated() -> None:
    _ = translations("id").gettext
    assert rule_element(_, "reported by desk through report intake (whatsapp)") == (
        "dilaporkan oleh desk melalui penerimaan laporan (WhatsApp)")
    assert rule_element(_, "classifier: not campaign content (score 0.12)") == (
        "pengklasifikasi: bukan konten kampanye (skor 0.12)")
