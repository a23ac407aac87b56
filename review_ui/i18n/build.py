"""Extract the review UI's messages, update the catalogs and compile them (run after changing strings).

``python -m review_ui.i18n.build`` — uses Babel's own commands, so ``pybabel`` behaves the same.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from review_ui.i18n import CATALOG_DIR, DOMAIN, LANGUAGES

PACKAGE = CATALOG_DIR.parent
POT = CATALOG_DIR / f"{DOMAIN}.pot"
MAPPING = CATALOG_DIR / "babel.cfg"


def po_path(lang: str) -> Path:
    """Where the catalog of ``lang`` lives."""
    return CATALOG_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def compiled(lang: str) -> bytes:
    """The ``.mo`` bytes the ``.po`` of ``lang`` compiles to."""
    with po_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def extract() -> None:
    """Write the template (.pot) from the Python code and the Jinja templates."""
    CommandLineInterface().run(  # type: ignore[no-untyped-call]
        ["pybabel", "-q", "extract", "-F", str(MAPPING), "-o", str(POT),
                                "--no-location", "--omit-header", "-k", "_", "-k", "gettext",
                                "-k", "ngettext:1,2", "-k", "N_", str(PACKAGE)])


def main() -> None:
    """Extract, update every catalog, compile every catalog."""
    extract()
    for lang in LANGUAGES:
        po = po_path(lang)
        po.parent.mkdir(parents=True, exist_ok=True)
        cmd = "update" if po.exists() else "init"
        CommandLineInterface().run(  # type: ignore[no-untyped-call]
            ["pybabel", "-q", cmd, "-i", str(POT), "-d", str(CATALOG_DIR),
                                    "-l", lang, "-D", DOMAIN, "--no-wrap"]
                                   + (["--omit-header", "--no-fuzzy-matching"] if cmd == "update" else []))
        po.with_suffix(".mo").write_bytes(compiled(lang))
    sys.stdout.write(f"catalogs compiled: {', '.join(LANGUAGES)}\n")


if __name__ == "__main__":
    main()
