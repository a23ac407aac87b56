"""Regenerate ``slang_spacy_id.json`` from spaCy's ``spacy-lookups-data`` (MIT licence).

Kept so the vendored table can be rebuilt and audited; the runtime does not need the (large)
``spacy-lookups-data`` package.  Run: ``python nlp/data/extract_spacy_lookups.py`` with that package
installed.  Only lower-case keys that actually change the word are kept (the table also lists
capitalised duplicates, which casefolding makes redundant).
"""

from __future__ import annotations

import gzip
import json
from importlib import resources
from pathlib import Path


def main() -> None:
    src = resources.files("spacy_lookups_data") / "data" / "id_lexeme_norm.json.gz"
    with src.open("rb") as fh, gzip.open(fh) as unzipped:
        table: dict[str, str] = json.load(unzipped)
    kept = {k: v.casefold() for k, v in sorted(table.items()) if k == k.casefold() and k != v.casefold()}
    out = Path(__file__).with_name("slang_spacy_id.json")
    out.write_text(json.dumps(kept, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {len(kept)} entries to {out}")


if __name__ == "__main__":
    main()
