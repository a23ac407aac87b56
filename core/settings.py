"""The single place netral reads its environment.

Every setting has a default and a description; ``docs/settings.md`` lists them all and
``tests/core/test_settings_docs.py`` fails when one is missing there. Configuration is read once, at
the edge (CLI, web app, flow entry point), into a :class:`Settings` object that is passed inward.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "NETRAL_"


class Settings(BaseSettings):
    """netral's configuration; environment variables are ``NETRAL_<FIELD NAME IN CAPITALS>``."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    # -- storage ---------------------------------------------------------------------------------
    data_dir: Path = Field(
        Path("var"),
        description="Directory for the embedded database, the evidence archive and other local state.",
    )
    database_url: str | None = Field(
        None,
        description=(
            "SQLAlchemy URL of the database. Empty means SQLite at `<data_dir>/netral.db`. "
            "Production: `postgresql+psycopg://user:password@host/netral`."
        ),
    )
    database_echo: bool = Field(False, description="Log every SQL statement (debugging only).")
    evidence_dir: Path | None = Field(
        None,
        description="Directory of the content-addressed evidence archive. Empty means `<data_dir>/evidence`.",
    )

    # -- behaviour -------------------------------------------------------------------------------
    log_level: str = Field("INFO", description="Logging level of the `netral` command and services.")
    default_timezone: str = Field(
        "Asia/Makassar",
        description="Time zone used when an election file gives none (Bulungan is on WITA, Asia/Makassar).",
    )
    retention_days: int = Field(
        180,
        ge=1,
        description="Days after which collected content and evidence attached to no case are purged (PDP).",
    )
    secret_key: SecretStr = Field(
        SecretStr("change-me-in-production"),
        description="Secret used to sign session cookies and CSRF tokens of the review UI.",
    )

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to the embedded SQLite file under ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'netral.db').as_posix()}"

    @property
    def resolved_evidence_dir(self) -> Path:
        """The evidence archive directory, defaulting to ``<data_dir>/evidence``."""
        return self.evidence_dir if self.evidence_dir is not None else self.data_dir / "evidence"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read the environment once per process (call :func:`reset_settings` in tests)."""
    return Settings()


def reset_settings() -> None:
    """Forget the cached settings so that the next :func:`get_settings` reads the environment again."""
    get_settings.cache_clear()
