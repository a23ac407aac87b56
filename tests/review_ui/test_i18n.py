"""The catalogs: every message in the code and templates has an Indonesian translation, and the compiled
``.mo`` files are the ones the ``.po`` files compile to."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from review_ui.i18n import LANGUAGES, build, translations


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    original = build.POT
    build.POT = pot
    try:
        build.extract()
    finally:
        build.POT = original
    with pot.open("rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


def test_every_message_is_translated_to_indonesian(extracted: set[str]) -> None:
    with build.po_path("id").open("rb") as fh:
        catalog = read_po(fh, locale="id")
    translated = {(m.id if isinstance(m.id, str) else m.id[0]) for m in catalog
                  if m.id and (m.string if isinstance(m.string, str) else all(m.string or ())) and not m.fuzzy}
    assert len(extracted) > 150
    assert extracted - translated == set(), "run `python -m review_ui.i18n.build` and translate"


def _messages(fh: BinaryIO, reader: Callable[..., Catalog], lang: str) -> dict[object, object]:
    catalog = reader(fh, lang) if reader is read_po else reader(fh)
    return {tuple(m.id) if isinstance(m.id, (list, tuple)) else m.id:
            tuple(m.string) if isinstance(m.string, (list, tuple)) else m.string
            for m in catalog if m.id and not m.fuzzy}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalogs_are_current(lang: str) -> None:
    po = build.po_path(lang)
    with po.open("rb") as fh:
        wanted = {k: v for k, v in _messages(fh, read_po, lang).items()
                  if v and (not isinstance(v, tuple) or any(v)) and v != k}
    with Path(po).with_suffix(".mo").open("rb") as fh:
        got = {k: v for k, v in _messages(fh, read_mo, lang).items() if v != k}  # untranslated = msgid
    assert got == wanted, "stale .mo: run `python -m review_ui.i18n.build`"


def test_languages_switch_wording() -> None:
    assert translations("id").gettext("Review queue") == "Antrean telaah"
    assert translations("en").gettext("Review queue") == "Review queue"
    assert translations("id").ngettext("%(n)s case", "%(n)s cases", 3) == "%(n)s kasus"
