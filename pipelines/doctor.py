"""``netral doctor``: what an installation is missing, one line per check.

Every check returns a :class:`Check` (``ok``, ``warn`` for something optional that is off, ``fail`` for
something the installation needs). Checks read configuration and probe local tools; the network is only
touched for services that are configured (SMTP, the Prefect API) and, with ``online=True``, for a
harmless GET of each platform API that has accounts to crawl.
"""

from __future__ import annotations

import os
import shutil
import smtplib
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from core import backup, migrate
from core.db import engine_from_settings
from core.models import CampaignAccount, Election, SocialAccount
from core.models.base import utcnow
from core.settings import Settings

DEFAULT_SECRET = Settings.model_fields["secret_key"].default.get_secret_value()
KEY_ADVICE = ("NETRAL_SECRET_KEY is the default or shorter than 32 characters: set a random one "
              "(`python -c 'import secrets; print(secrets.token_urlsafe(48))'`)")
FREE_WARN_BYTES = 1024**3
FREE_FAIL_BYTES = 100 * 1024**2
#: The daily backup flow runs once a day: a newest backup older than this means a night was missed.
BACKUP_WARN_AGE = timedelta(hours=36)
#: Platforms whose API needs a credential, and the setting that holds it.
CREDENTIALS = {"youtube": "youtube_api_key", "x": "x_bearer_token", "facebook": "facebook_access_token"}
API_URLS = {"bluesky": "bluesky_appview_url", "youtube": "youtube_api_url", "x": "x_api_url",
            "facebook": "facebook_graph_url"}


@dataclass(frozen=True)
class Check:
    """The outcome of one check."""

    name: str
    status: str  # "ok" | "warn" | "fail"
    detail: str


def check_database(engine: Engine) -> Check:
    try:
        current = migrate.current(engine)
    except SQLAlchemyError as exc:
        return Check("database", "fail", f"unreachable: {exc.__class__.__name__}: {str(exc).splitlines()[0]}")
    heads = migrate.heads()
    if current not in heads:
        return Check("database", "fail", f"migrations at {current or 'none'}, code at {', '.join(heads)}: "
                                         "run `netral db upgrade`")
    return Check("database", "ok", f"{engine.dialect.name}, migrations current ({current})")


def check_evidence(settings: Settings) -> Check:
    root = settings.resolved_evidence_dir
    existing = root
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir() or not os.access(existing, os.W_OK):
        return Check("evidence", "fail", f"{root} is not a writable directory")
    free = shutil.disk_usage(existing).free
    status = "fail" if free < FREE_FAIL_BYTES else "warn" if free < FREE_WARN_BYTES else "ok"
    return Check("evidence", status, f"{root}: {free / 1024**3:.1f} GB free")


def check_secret(settings: Settings) -> Check:
    secret = settings.secret_key.get_secret_value()
    if secret == DEFAULT_SECRET or len(secret) < 32:
        return Check("secret key", "fail", KEY_ADVICE)
    return Check("secret key", "ok", "set")


def _accounts_by_platform(engine: Engine) -> dict[str, int]:
    from sqlalchemy.orm import Session

    counts: dict[str, int] = {}
    with Session(engine) as session:
        for model in (SocialAccount, CampaignAccount):
            query = select(model.platform, func.count()).group_by(model.platform)
            if model is SocialAccount:
                query = query.where(SocialAccount.active.is_(True))
            for platform, n in session.execute(query):
                counts[platform] = counts.get(platform, 0) + n
    return counts


def check_platforms(settings: Settings, accounts: dict[str, int] | None, online: bool) -> list[Check]:
    """Credentials of each platform that has accounts to crawl (``accounts`` None: database unreadable)."""
    checks = []
    for platform in ("bluesky", "mastodon", "youtube", "x", "facebook"):
        if accounts is None:
            setting = CREDENTIALS.get(platform)
            known = "credential " + ("not set" if setting and getattr(settings, setting) is None else "set")
            checks.append(Check(f"platform {platform}", "warn", f"accounts unknown (database); {known}"))
            continue
        n = accounts.get(platform, 0)
        name = f"platform {platform}"
        setting = CREDENTIALS.get(platform)
        if setting and getattr(settings, setting) is None:
            if n:
                checks.append(Check(name, "fail", f"{n} account(s) to crawl but NETRAL_{setting.upper()} is not set: "
                                                  "the nightly scan would skip this platform"))
            else:
                checks.append(Check(name, "ok", "no accounts, no credential"))
            continue
        detail = f"{n} account(s)" + (", credential set" if setting else "")
        if online and n and platform in API_URLS:
            checks.append(_probe(name, getattr(settings, API_URLS[platform]), detail))
        else:
            checks.append(Check(name, "ok", detail))
    return checks


def _probe(name: str, url: str, detail: str) -> Check:
    """A GET of the API's base URL: any HTTP answer below 500 means the host is there and speaks HTTP."""
    try:
        status = httpx.get(url, timeout=5.0, follow_redirects=False).status_code
    except httpx.HTTPError as exc:
        return Check(name, "fail", f"{detail}; {url} unreachable ({exc.__class__.__name__})")
    if status >= 500:
        return Check(name, "fail", f"{detail}; {url} answered {status}")
    return Check(name, "ok", f"{detail}; {url} reachable")


def check_tesseract(settings: Settings) -> Check:
    exe = shutil.which(settings.tesseract_cmd)
    if exe is None:
        return Check("ocr", "fail", f"{settings.tesseract_cmd} not found: install tesseract-ocr tesseract-ocr-ind")
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Check("ocr", "fail", f"{exe} --list-langs failed: {exc}")
    langs = set((out.stdout + out.stderr).split())
    missing = [lang for lang in settings.ocr_languages.split("+") if lang not in langs]
    if missing:
        return Check("ocr", "fail", f"Tesseract lacks language(s) {', '.join(missing)}: install tesseract-ocr-ind")
    return Check("ocr", "ok", f"{exe} with {settings.ocr_languages}")


def check_pdf(settings: Settings) -> Check:
    exe = shutil.which(settings.soffice_cmd)
    if exe is None:
        return Check("pdf export", "fail", f"{settings.soffice_cmd} not found: install libreoffice-writer-nogui "
                                           "(the desk report and dossiers are exported to PDF through it)")
    return Check("pdf export", "ok", exe)


def check_smtp(settings: Settings) -> Check:
    if not settings.smtp_host:
        return Check("smtp", "warn", "NETRAL_SMTP_HOST not set: the new-case digest is not e-mailed")
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=5) as smtp:
            code, _ = smtp.noop()
    except (OSError, smtplib.SMTPException) as exc:
        return Check("smtp", "fail", f"{settings.smtp_host}:{settings.smtp_port} unreachable ({exc})")
    if code != 250:
        return Check("smtp", "fail", f"{settings.smtp_host}:{settings.smtp_port} answered {code} to NOOP")
    return Check("smtp", "ok", f"{settings.smtp_host}:{settings.smtp_port} answers")


def check_prefect(engine: Engine, api_url: str | None) -> Check:
    if not api_url:
        return Check("prefect", "ok", "no PREFECT_API_URL: schedules run inside `netral flows serve`")
    try:
        health = httpx.get(f"{api_url}/health", timeout=5.0)
        health.raise_for_status()
        found = httpx.post(f"{api_url}/deployments/filter", json={"limit": 200}, timeout=10.0)
        found.raise_for_status()
    except httpx.HTTPError as exc:
        return Check("prefect", "fail", f"{api_url} unreachable ({exc.__class__.__name__})")
    names = {d.get("name") for d in found.json()}
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        active = list(session.scalars(select(Election.slug).where(Election.active.is_(True))))
    missing = [f"nightly-scan-{slug}" for slug in active if f"nightly-scan-{slug}" not in names]
    if missing:
        return Check("prefect", "fail", f"{api_url} reachable but {', '.join(missing)} not deployed: "
                                        "run `netral flows deploy --work-pool POOL`")
    return Check("prefect", "ok", f"{api_url}, {len(names)} deployment(s)")


def check_backup(settings: Settings, now: datetime | None = None) -> Check:
    """The newest scheduled backup: present, a readable netral backup, and no older than a missed night."""
    directory = settings.resolved_backup_dir
    found = sorted(directory.glob("netral-*.tar"), key=lambda p: p.stat().st_mtime) if directory.is_dir() else []
    if not found:
        return Check("backup", "warn", f"no backup in {directory}: is the daily-backup deployment served "
                                       "(`netral flows serve`)? `netral backup --out FILE` makes one now")
    newest = found[-1]
    try:
        manifest = backup.read_manifest(newest)
        made = datetime.fromisoformat(str(manifest["created_at"]))
    except (backup.BackupError, KeyError, ValueError) as exc:
        return Check("backup", "fail", f"newest backup {newest.name} is unreadable: {exc}")
    age = (now or utcnow()) - made
    hours = age.total_seconds() / 3600
    detail = f"{newest.name}, {hours:.0f} h old, {manifest.get('evidence_files', 0)} evidence files ({len(found)} kept)"
    if age > BACKUP_WARN_AGE:
        return Check("backup", "warn", f"{detail}: older than {BACKUP_WARN_AGE.total_seconds() / 3600:.0f} h, "
                                       "the daily backup did not run")
    return Check("backup", "ok", detail)


def run_checks(settings: Settings, *, online: bool = False, prefect_api_url: str | None = None) -> list[Check]:
    """Every check, in the order an admin fixes them."""
    engine = engine_from_settings(settings)
    try:
        checks = [check_database(engine), check_evidence(settings), check_secret(settings)]
        accounts: dict[str, int] | None = None
        if checks[0].status == "ok":
            accounts = _accounts_by_platform(engine)
        checks += check_platforms(settings, accounts, online)
        tools: list[Callable[[Settings], Check]] = [check_tesseract, check_pdf, check_smtp, check_backup]
        checks += [tool(settings) for tool in tools]
        if checks[0].status == "ok":
            checks.append(check_prefect(engine, prefect_api_url))
        return checks
    finally:
        engine.dispose()
