"""`netral flows serve|deploy` schedule one nightly scan per active Pilkada, each on its own clock."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from core.errors import NotFound
from core.registry.queries import scheduled_elections
from core.settings import Settings
from pipelines.deployments import build
from tests import factories as f


def test_every_active_pilkada_is_scheduled_and_an_inactive_one_is_not(session: Session) -> None:
    f.election(session, slug="pilkada-a-2024")
    f.election(session, slug="pilkada-b-2024", timezone="Asia/Jayapura")
    f.election(session, slug="pilkada-lama-2020", active=False)
    assert sorted(scheduled_elections(session)) == [("pilkada-a-2024", "Asia/Makassar"),
                                                    ("pilkada-b-2024", "Asia/Jayapura")]


def test_a_named_election_is_scheduled_alone_even_when_inactive(session: Session) -> None:
    f.election(session, slug="pilkada-a-2024")
    f.election(session, slug="pilkada-lama-2020", active=False)
    assert scheduled_elections(session, "pilkada-lama-2020") == [("pilkada-lama-2020", "Asia/Makassar")]


def test_no_active_election_is_a_clear_error(session: Session) -> None:
    f.election(session, slug="pilkada-lama-2020", active=False)
    with pytest.raises(NotFound, match="no active election"):
        scheduled_elections(session)


def test_each_scan_deployment_covers_its_pilkada_in_its_own_time_zone(settings: Settings) -> None:
    deployments = build(settings, [("pilkada-a-2024", "Asia/Makassar"), ("pilkada-b-2024", "Asia/Jayapura")])
    scans = {d.name: (d.parameters["election"], d.schedules[0].schedule.timezone)  # type: ignore[index,union-attr]
             for d in deployments if d.name.startswith("nightly-scan")}
    assert scans == {"nightly-scan-pilkada-a-2024": ("pilkada-a-2024", "Asia/Makassar"),
                     "nightly-scan-pilkada-b-2024": ("pilkada-b-2024", "Asia/Jayapura")}


def test_installation_wide_flows_are_deployed_once(settings: Settings) -> None:
    deployments = build(settings, [("pilkada-a-2024", "Asia/Makassar"), ("pilkada-b-2024", "Asia/Jayapura")])
    others = sorted(d.name for d in deployments if not d.name.startswith("nightly-scan"))
    assert others == ["crawl-shard", "daily-backup", "daily-purge", "weekly-retrain"]
