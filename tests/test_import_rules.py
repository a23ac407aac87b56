"""The import rules between the project's packages, checked on the source so a new import cannot slip in.

- ``nlp`` is pure: it imports no other project package and no database, web or orchestration library;
- ``core`` is the shared kernel: it imports no other project package;
- the fakes (``testservers``) are used only by the demo (``pipelines.demo``), the tests and the benchmarks:
  nothing else in the product imports them, and they import nothing from the product.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = {"core", "crawlers", "nlp", "pipelines", "review_ui", "testservers", "bench", "tests"}
PRODUCT = ("core", "crawlers", "nlp", "pipelines", "review_ui")
# nlp/cli.py (typer) predates this rule and belongs to the nlp owners; the other libraries are kept out.
IMPURE = {"sqlalchemy", "fastapi", "starlette", "prefect", "scrapy", "jinja2", "alembic", "psycopg", "uvicorn"}


def imports_of(path: Path) -> set[str]:
    """The top-level names of every module one source file imports (absolute imports; relative stay inside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def sources(package: str) -> list[Path]:
    return [p for p in sorted((ROOT / package).rglob("*.py")) if "migrations/versions" not in p.as_posix()]


def offenders(package: str, forbidden: set[str], skip: str | None = None) -> list[str]:
    found = []
    for path in sources(package):
        rel = path.relative_to(ROOT).as_posix()
        if skip and rel.startswith(skip):
            continue
        bad = sorted(imports_of(path) & forbidden)
        if bad:
            found.append(f"{rel}: {', '.join(bad)}")
    return found


def test_imports_are_found_by_the_checker() -> None:
    assert imports_of(ROOT / "tests" / "test_import_rules.py") >= {"ast", "pathlib", "pytest", "__future__"}


def test_nlp_imports_no_project_package() -> None:
    assert offenders("nlp", PROJECT - {"nlp"}) == []


def test_nlp_imports_no_database_web_or_orchestration_library() -> None:
    assert offenders("nlp", IMPURE) == []


def test_core_imports_no_other_project_package() -> None:
    assert offenders("core", PROJECT - {"core"}) == []


@pytest.mark.parametrize("package", PRODUCT)
def test_product_does_not_import_the_fakes(package: str) -> None:
    assert offenders(package, {"testservers", "tests", "bench"}, skip="pipelines/demo/") == []


def test_fakes_import_nothing_from_the_product() -> None:
    assert offenders("testservers", PROJECT - {"testservers"}) == []
