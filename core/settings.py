"""The single place netral reads its environment.

Every setting has a default and a description; ``docs/settings.md`` lists them all and
``tests/core/test_settings_docs.py`` fails when one is missing there. Configuration is read once, at
the edge (CLI, web app, flow entry point), into a :class:`Settings` object that is passed inward.
"""

from __future__ import annotations

import ipaddress
from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "NETRAL_"

# Indonesian national holidays and cuti bersama 2024-2025 (SKB 3 Menteri), incl. Pilkada voting day.
_DEFAULT_HOLIDAYS = tuple(date.fromisoformat(d) for d in (
    "2024-01-01", "2024-02-08", "2024-02-09", "2024-02-10", "2024-02-14", "2024-03-11", "2024-03-29",
    "2024-04-08", "2024-04-09", "2024-04-10", "2024-04-11", "2024-04-12", "2024-04-15", "2024-05-01",
    "2024-05-09", "2024-05-10", "2024-05-23", "2024-05-24", "2024-06-01", "2024-06-17", "2024-06-18",
    "2024-07-07", "2024-08-17", "2024-09-16", "2024-11-27", "2024-12-25", "2024-12-26",
    "2025-01-01", "2025-01-27", "2025-01-28", "2025-01-29", "2025-03-28", "2025-03-29", "2025-03-31",
    "2025-04-01", "2025-04-02", "2025-04-03", "2025-04-04", "2025-04-07", "2025-04-18", "2025-04-20",
    "2025-05-01", "2025-05-12", "2025-05-13", "2025-05-29", "2025-05-30", "2025-06-01", "2025-06-06",
    "2025-06-09", "2025-06-27", "2025-08-17", "2025-08-18", "2025-09-05", "2025-12-25", "2025-12-26",
))


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

    metrics_addresses: list[str] = Field(
        default_factory=lambda: ["127.0.0.1", "::1"],
        description="Client addresses (socket peers) allowed to read `/metrics` without a token, as a JSON list.",
    )
    metrics_token: SecretStr | None = Field(
        None,
        description="Bearer token that opens `/metrics` from any address (for a Prometheus behind the proxy). "
        "Empty: only the addresses of `NETRAL_METRICS_ADDRESSES`.",
    )
    metrics_audit_cache_seconds: int = Field(
        900, ge=0,
        description="How long `/metrics` reuses its last walk of the audit chain (the walk reads every row).",
    )

    # -- nightly scan, notifications ---------------------------------------------------------------
    scan_cron: str = Field("0 1 * * *", description="Cron schedule of the nightly scan, in the election's time zone.")
    retrain_cron: str = Field("0 3 * * 0", description="Cron schedule of the weekly retrain flow.")
    purge_cron: str = Field("30 2 * * *", description="Cron schedule of the daily retention purge.")
    backup_cron: str = Field("0 4 * * *", description="Cron schedule of the daily backup flow.")
    backup_dir: Path | None = Field(
        None, description="Directory of the scheduled backups. Empty means `<data_dir>/backups`; put it on "
        "another disk, and copy it off the machine.",
    )
    backup_keep: int = Field(14, ge=1, description="Scheduled backups kept; older ones are deleted after each run.")
    scan_shards: int = Field(1, ge=1, description="Shards the nightly scan splits each platform's accounts into.")
    flag_threshold: float = Field(
        0.5, ge=0, le=1, description="Classifier score from which content counts as campaign content for cases."
    )
    smtp_host: str = Field("", description="SMTP server for the new-case digest; empty disables e-mail.")
    smtp_port: int = Field(25, description="SMTP port (587 with STARTTLS, 465 for implicit TLS).")
    smtp_starttls: bool = Field(False, description="Upgrade the SMTP connection with STARTTLS.")
    smtp_username: str = Field("", description="SMTP login; empty for none.")
    smtp_password: SecretStr = Field(SecretStr(""), description="SMTP password.")
    smtp_from: str = Field("netral@localhost", description="Sender address of the digest.")
    digest_recipients: str = Field("", description="Comma-separated reviewer addresses that receive the digest.")
    digest_reviewer_addresses: str = Field(
        "", description="Per-reviewer digest: comma-separated username=address pairs "
                        "(e.g. 'siti=siti@bkpsdm.go.id'); each gets their own waiting cases and deadlines.")
    notice_deadline_workdays: int = Field(
        3, ge=0, description="Notifications and the per-reviewer digest list deadlines due within this many "
                             "working days (and any already past).")
    public_base_url: str = Field(
        "http://127.0.0.1:8000", description="Address of the review UI, for links in e-mails and reports."
    )

    # -- review UI and case workflow ---------------------------------------------------------------
    session_hours: float = Field(8.0, gt=0, description="Lifetime of a review-UI login session, in hours.")
    cookie_secure: bool = Field(
        False,
        description="Always mark review-UI cookies `Secure` (they are anyway when the request arrived over https).",
    )
    login_max_failures: int = Field(
        5, ge=1, description="Failed logins for one username from one client address (since the last success "
                             "there) before every further attempt from that address must wait; the wait "
                             "doubles with each further failure. Other addresses are not affected."
    )
    login_delay_seconds: float = Field(
        2.0, gt=0, description="First wait after `login_max_failures` failures of one username from one "
                               "address, in seconds (then 2x, 4x, ... up to `login_max_delay_minutes`)."
    )
    login_max_delay_minutes: float = Field(
        60.0, gt=0, description="Longest wait between login attempts of one username from one address, in minutes."
    )
    login_memory_hours: float = Field(
        24.0, gt=0, description="How long a failed login counts toward the wait of its (username, address), in hours."
    )
    login_ip_max_failures: int = Field(
        30, ge=1, description="Failed logins from one client address, over all usernames, within "
                              "`login_window_minutes` before that address is refused until the window has passed."
    )
    login_window_minutes: int = Field(15, ge=1, description="Window of the per-address login ceiling, in minutes.")
    trusted_proxies: str = Field(
        "", description="Comma-separated addresses or networks (CIDR, e.g. '10.0.0.5,192.168.1.0/24') of "
                        "reverse proxies in front of the review UI. Only a request arriving from one of them has "
                        "its X-Forwarded-For / Forwarded header believed (the nearest untrusted hop is the "
                        "client); otherwise the socket peer is the client. Empty: no proxy is trusted."
    )
    recusal: bool = Field(
        True, description="Reviewers are not served, and may not decide, cases about employees of their own unit "
        "(`netral users set-unit`). Turn off only where a regency has no reviewer outside the units concerned.",
    )
    claim_minutes: int = Field(
        30, ge=1, description="How long a reviewer's claim on a case lasts before another reviewer may take it."
    )
    blind_review: bool = Field(
        True,
        description="Hide the employee's name, NIP and unit during the first review (until a first confirmation).",
    )
    queue_page_size: int = Field(50, ge=5, le=500, description="Cases per page in the review queue.")
    priority_age_workdays: float = Field(
        5.0,
        gt=0,
        description=(
            "Queue priority = (strongest incident's score × severity + incident bonus) × (1 + age / this), "
            "age in working days since the oldest waiting incident was detected: a case this many working "
            "days old counts double (core/case_priority.py)."
        ),
    )
    priority_incident_bonus: float = Field(
        1.0,
        ge=0,
        description=(
            "Queue priority term for a person's number of incidents: this × (1 − 1/n) for n incidents, "
            "so it grows with n but never reaches this value (core/case_priority.py)."
        ),
    )
    holidays: list[date] = Field(
        default_factory=lambda: list(_DEFAULT_HOLIDAYS),
        description=(
            "Extra non-working days skipped by working-day deadlines on top of the public holidays of "
            "holiday_country (from the `holidays` package): cuti bersama of the yearly SKB 3 Menteri and regional "
            "days, as a JSON list of ISO dates. The default holds the 2024-2025 national holidays and cuti bersama."
        ),
    )
    holiday_country: str = Field(
        "ID",
        description=(
            "ISO country code whose public holidays (the `holidays` package, every year) working-day deadlines "
            "skip; empty to count only the holidays list."
        ),
    )
    weekend_days: list[int] = Field(
        default_factory=lambda: [5, 6], description="Non-working weekdays (Monday = 0), as a JSON list."
    )
    forward_deadline_workdays: int = Field(
        7, ge=0, description="Working days after confirmation to forward a case to Bawaslu/BKN [unconfirmed]."
    )
    summons_notice_workdays: int = Field(
        7, ge=0, description="Minimum working days between a summons and the examination it calls to."
    )
    decision_handover_workdays: int = Field(
        14, ge=0, description="Working days after a decision (SK) within which it is handed over."
    )

    # -- collection (crawlers, every platform) --------------------------------------------------------
    crawl_batch_size: int = Field(
        500, ge=1, description="Collected records stored per database transaction (a crawl commits per batch)."
    )
    crawl_flush_seconds: float = Field(
        2.0, gt=0, description="Store a partial batch after this many seconds, so a slow crawl still commits."
    )
    crawl_backfill_days: int = Field(
        90, ge=1, description="How far back the first crawl of an account goes when no --since is given."
    )
    crawl_recheck_days: int = Field(
        14, ge=0,
        description=(
            "Content created in this many last days is re-checked each run: disappeared content is marked "
            "deleted, new likes/reposts/replies on campaign posts are picked up."
        ),
    )
    crawl_timeout_seconds: float = Field(30.0, gt=0, description="Download timeout of one request.")
    crawl_retry_times: int = Field(5, ge=0, description="Retries of a failed request (5xx, 429, timeouts).")
    crawl_backoff_seconds: float = Field(
        1.0, ge=0, description="First retry delay; doubled at each further retry (exponential backoff)."
    )
    crawl_backoff_max_seconds: float = Field(
        300.0, ge=0, description="Longest wait for one retry, also caps Retry-After / rate-limit-reset waits."
    )
    crawl_user_agent: str = Field(
        "netral-crawler/0.1 (+ASN neutrality monitoring; public data only)",
        description="User-Agent sent by the crawlers.",
    )
    bluesky_appview_url: str = Field(
        "https://public.api.bsky.app", description="Bluesky AppView (getAuthorFeed, getPosts, getLikes...)."
    )
    bluesky_resolver_url: str = Field(
        "https://public.api.bsky.app",
        description="Server answering com.atproto.identity.resolveHandle (the AppView, or a PDS for its own handles).",
    )
    bluesky_plc_url: str = Field(
        "https://plc.directory", description="PLC directory that serves did:plc documents (they name the PDS)."
    )
    bluesky_web_url: str = Field("https://bsky.app", description="Web app base for human-readable post links.")
    bluesky_concurrency: int = Field(4, ge=1, description="Parallel requests per Bluesky host.")
    bluesky_requests_per_second: float = Field(
        8.0, gt=0, description="Request rate ceiling per Bluesky host (public AppView: ~3000 / 5 min per IP)."
    )
    mastodon_instances: dict[str, str] = Field(
        {},
        description=(
            'Instance domain → API base URL, as JSON (e.g. {"mastodon.test": "http://127.0.0.1:8081"}); '
            "a domain not listed is reached at https://<domain>."
        ),
    )
    mastodon_tokens: dict[str, SecretStr] = Field(
        {},
        description="Instance domain → access token, as JSON, for servers that refuse anonymous reads (optional).",
    )
    mastodon_concurrency: int = Field(2, ge=1, description="Parallel requests per Mastodon instance.")
    mastodon_requests_per_second: float = Field(
        5.0, gt=0, description="Request rate ceiling per Mastodon instance (default limit: 300 / 5 min)."
    )
    youtube_api_url: str = Field(
        "https://www.googleapis.com/youtube/v3", description="Base URL of the YouTube Data API v3."
    )
    youtube_api_key: SecretStr | None = Field(
        None, description="YouTube Data API key (the `youtube` spider does nothing without one)."
    )
    youtube_concurrency: int = Field(2, ge=1, description="Parallel requests to the YouTube Data API.")
    youtube_requests_per_second: float = Field(
        5.0, gt=0, description="Request rate ceiling for YouTube (quota: 10,000 units/day, 1 per list call)."
    )
    x_api_url: str = Field("https://api.x.com/2", description="Base URL of the X API v2.")
    x_bearer_token: SecretStr | None = Field(
        None, description="X API v2 bearer token (the `x` spider does nothing without one)."
    )
    x_concurrency: int = Field(1, ge=1, description="Parallel requests to the X API.")
    x_requests_per_second: float = Field(
        1.0, gt=0, description="Request rate ceiling for X (the x-rate-limit-* headers are honoured too)."
    )
    facebook_graph_url: str = Field(
        "https://graph.facebook.com/v21.0", description="Base URL of the Facebook Graph API (with version)."
    )
    facebook_access_token: SecretStr | None = Field(
        None,
        description="Graph API token with Page Public Content Access (the `facebook` spider does nothing without one).",
    )
    facebook_concurrency: int = Field(2, ge=1, description="Parallel requests to the Graph API.")
    facebook_requests_per_second: float = Field(
        3.0, gt=0, description="Request rate ceiling for the Graph API."
    )

    # -- report intake (closed platforms) --------------------------------------------------------------
    tesseract_cmd: str = Field("tesseract", description="Tesseract OCR executable used for report screenshots.")
    ocr_languages: str = Field(
        "ind", description="Tesseract language models for screenshots (`ind` = Indonesian; e.g. `ind+eng`)."
    )
    ocr_timeout_seconds: float = Field(60.0, gt=0, description="Longest OCR run for one screenshot.")
    report_fetch_timeout_seconds: float = Field(
        10.0, gt=0, description="Timeout for fetching a reported URL (an unreachable URL is recorded, not fatal)."
    )
    report_fetch_max_bytes: int = Field(
        10_000_000, ge=1, description="Largest reported page archived; a longer body is cut at this size."
    )

    # -- desk report and referral dossier ----------------------------------------------------------
    desk_letterhead_name: str = Field(
        "PEMERINTAH KABUPATEN SUNGAI TENANG",
        description="First line of the letterhead on the desk report and dossier cover letters (the regency).",
    )
    desk_letterhead_office: str = Field(
        "SEKRETARIAT DAERAH - DESK PILKADA", description="Second letterhead line: the office issuing the report."
    )
    desk_letterhead_address: str = Field(
        "Jl. Jenderal Sudirman No. 1, Sungai Tenang", description="Address line of the letterhead."
    )
    desk_letterhead_logo: Path | None = Field(
        None, description="PNG or JPEG logo printed on the letterhead; empty prints none."
    )
    desk_attachment_max_bytes: int = Field(
        10_000_000, ge=1, description="Largest file (PDF, JPEG, PNG) that can be attached to a report entry."
    )
    soffice_cmd: str = Field(
        "soffice", description="LibreOffice executable that converts DOCX exports to PDF (headless)."
    )
    pdf_timeout_seconds: float = Field(120.0, gt=0, description="Longest LibreOffice run for one PDF conversion.")

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_networks(cls, value: str) -> str:
        """A wrong proxy entry is refused at start-up rather than silently trusting nobody (or everybody)."""
        for item in filter(None, (part.strip() for part in value.split(","))):
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError as exc:
                raise ValueError(f"trusted_proxies: {item!r} is not an IP address or network") from exc
        return value

    @property
    def trusted_proxy_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        """:attr:`trusted_proxies` parsed (validated above)."""
        return tuple(ipaddress.ip_network(part.strip(), strict=False)
                     for part in self.trusted_proxies.split(",") if part.strip())

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to the embedded SQLite file under ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'netral.db').as_posix()}"

    @property
    def resolved_backup_dir(self) -> Path:
        """Where scheduled backups go, defaulting to ``<data_dir>/backups``."""
        return self.backup_dir if self.backup_dir is not None else self.data_dir / "backups"

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
