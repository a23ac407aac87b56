"""Every setting has a default and help text, and docs/settings.md lists it (datasette-style)."""

from pathlib import Path

from core.settings import Settings
from core.settings_docs import render_settings_markdown, settings_rows

DOC = Path("docs/settings.md")


def test_every_setting_has_a_description() -> None:
    for name, info in Settings.model_fields.items():
        assert info.description, f"setting {name} has no description"
        assert not info.is_required(), f"setting {name} has no default"


def test_docs_list_every_setting() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [env for env, _, _ in settings_rows() if f"`{env}`" not in text]
    assert not missing, f"docs/settings.md lacks {missing}: run `netral settings --markdown > docs/settings.md`"


def test_docs_are_the_generated_text() -> None:
    assert DOC.read_text(encoding="utf-8") == render_settings_markdown(), (
        "docs/settings.md is stale: run `netral settings --markdown > docs/settings.md`")


def test_environment_is_read_with_the_prefix(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NETRAL_RETENTION_DAYS", "30")
    monkeypatch.setenv("NETRAL_DATA_DIR", "/tmp/netral-x")
    s = Settings()
    assert s.retention_days == 30
    assert s.resolved_database_url == "sqlite:////tmp/netral-x/netral.db"
