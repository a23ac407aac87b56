"""``/healthz`` names the failing check; ``/metrics`` serves aggregates to allowed callers only."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.orm import Session

from core.models import Case, ScanRun
from core.models.base import utcnow
from core.settings import Settings
from review_ui.app import create_app
from tests import factories


def client(settings: Settings, **changes: object) -> TestClient:
    return TestClient(create_app(settings.model_copy(update=changes), refresh_priorities=False))


def test_healthy_installation_answers_ok(settings: Settings) -> None:
    assert client(settings).get("/healthz").json() == {"status": "ok", "database": "ok", "evidence": "ok"}


def test_evidence_store_that_is_not_a_directory_fails_the_health_check(settings: Settings, tmp_path: Path) -> None:
    blocked = tmp_path / "evidence"
    blocked.write_text("not a directory")
    response = client(settings, evidence_dir=blocked).get("/healthz")
    assert (response.status_code, response.json()["evidence"]) == (503, "not writable")


def test_a_database_without_the_schema_fails_the_health_check(settings: Settings, tmp_path: Path) -> None:
    response = client(settings, database_url=f"sqlite:///{tmp_path}/empty.db").get("/healthz")
    assert (response.status_code, response.json()["database"]) == (503, "unreachable")


def test_a_database_behind_the_migrations_fails_the_health_check(settings: Settings, session: Session) -> None:
    session.execute(text("UPDATE alembic_version SET version_num = '0101'"))
    session.commit()
    response = client(settings).get("/healthz")
    assert (response.status_code, response.json()["database"]) == (503, "migrations not current")


def test_metrics_refuse_an_address_that_is_not_configured(settings: Settings) -> None:
    assert client(settings).get("/metrics").status_code == 403  # the test client is "testclient", not loopback


def test_metrics_open_with_the_bearer_token(settings: Settings) -> None:
    response = client(settings, metrics_token=SecretStr("s3cret")).get(
        "/metrics", headers={"Authorization": "Bearer s3cret"})
    assert response.status_code == 200


def test_a_wrong_token_is_refused(settings: Settings) -> None:
    response = client(settings, metrics_token=SecretStr("s3cret")).get(
        "/metrics", headers={"Authorization": "Bearer guess"})
    assert response.status_code == 403


def _metrics(settings: Settings) -> str:
    return client(settings, metrics_addresses=["testclient"]).get("/metrics").text


def test_metrics_count_the_queue_by_status(settings: Settings, seeded: list[Case]) -> None:
    assert 'netral_cases{status="detected"} 3.0' in _metrics(settings)


def test_metrics_give_open_case_ages_in_working_days(settings: Settings, session: Session) -> None:
    old = factories.case(session)
    old.created_at = utcnow() - timedelta(days=90)
    factories.case(session)
    session.commit()
    body = _metrics(settings)
    assert ('netral_open_case_age_workdays_bucket{le="1"} 1.0' in body  # today's case
            and 'netral_open_case_age_workdays_bucket{le="40"} 1.0' in body  # 90 days: over 60 working days
            and 'netral_open_case_age_workdays_bucket{le="+Inf"} 2.0' in body)


def test_metrics_describe_the_last_scan_per_platform(settings: Settings, session: Session) -> None:
    el = factories.election(session, slug="pilkada-metrik-2024")
    start = utcnow() - timedelta(minutes=5)
    session.add(ScanRun(election_id=el.id, status="completed", started_at=start, finished_at=start + timedelta(
        seconds=120), summary={"platforms": {"x": {"items": 42, "errors": 2}}, "skipped": {"youtube": "no key"}}))
    session.commit()
    body = _metrics(settings)
    assert all(line in body for line in (
        'netral_scan_last_duration_seconds{election="pilkada-metrik-2024",status="completed"} 120.0',
        'netral_scan_last_items{election="pilkada-metrik-2024",platform="x"} 42.0',
        'netral_scan_last_errors{election="pilkada-metrik-2024",platform="x"} 2.0',
        'netral_scan_last_skipped{election="pilkada-metrik-2024",platform="youtube"} 1.0'))


def test_metrics_report_an_intact_audit_chain(settings: Settings, seeded: list[Case]) -> None:
    assert "netral_audit_chain_intact 1.0" in _metrics(settings)


def test_metrics_name_nobody(settings: Settings, seeded: list[Case]) -> None:
    assert "Pegawai Rahasia" not in _metrics(settings)


def test_metrics_count_failed_logins(settings: Settings, session: Session) -> None:
    from core.models import LoginAttempt

    session.add_all([LoginAttempt(username="rina", client="10.0.0.9", outcome="failure") for _ in range(3)])
    session.commit()
    assert 'netral_login_attempts_24h{outcome="failure"} 3.0' in _metrics(settings)
