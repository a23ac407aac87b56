"""Deployments with their schedules (in the election's time zone), for `netral flows serve|deploy`.

- ``nightly-scan-<slug>``: every night (``NETRAL_SCAN_CRON``, 01:00 by default) in each scheduled
  Pilkada's own time zone (every contest of a Pilkada is covered by its one scan);
- ``weekly-retrain`` (``NETRAL_RETRAIN_CRON``), ``daily-purge`` (``NETRAL_PURGE_CRON``) and ``daily-backup``
  (``NETRAL_BACKUP_CRON``, the newest ``NETRAL_BACKUP_KEEP`` kept);
- ``crawl-shard``: no schedule; the nightly scan starts one run per shard when it runs distributed.

``serve`` runs them all in one long-lived process (one machine). ``deploy`` registers them with a
Prefect server for a ``process`` work pool, so that workers on any machine pick the shards up.
"""

from __future__ import annotations

from typing import Any

from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron
from prefect.types.entrypoint import EntrypointType

from core.settings import Settings
from pipelines.backup_flow import scheduled_backup
from pipelines.retention import retention_purge
from pipelines.retrain import retrain
from pipelines.scan import crawl_shard, nightly_scan


def build(settings: Settings, elections: list[tuple[str, str]], *, distributed: bool = False,
          work_pool: str | None = None) -> list[RunnerDeployment]:
    """One nightly scan per (slug, time zone) in ``elections``, plus retrain, purge and the shard flow.

    With ``work_pool`` they are meant for workers (module entrypoints). Retrain and purge are
    installation-wide and run once, on the first election's clock.
    """
    if not elections:
        raise ValueError("no election to schedule")
    extra: dict[str, Any] = {}
    if work_pool:
        extra = {"work_pool_name": work_pool, "entrypoint_type": EntrypointType.MODULE_PATH}
    timezone = elections[0][1]
    deployments: list[Any] = [
        nightly_scan.to_deployment(name=f"nightly-scan-{slug}", schedules=[Cron(settings.scan_cron, timezone=tz)],
                                   parameters={"election": slug, "shards": settings.scan_shards,
                                               "distributed": distributed},
                                   tags=["netral", slug], description=f"Nightly scan of {slug}", **extra)
        for slug, tz in elections
    ]
    deployments += [
        retrain.to_deployment(name="weekly-retrain", schedules=[Cron(settings.retrain_cron, timezone=timezone)],
                              tags=["netral"], **extra),
        retention_purge.to_deployment(name="daily-purge", schedules=[Cron(settings.purge_cron, timezone=timezone)],
                                      tags=["netral"], **extra),
        scheduled_backup.to_deployment(name="daily-backup", schedules=[Cron(settings.backup_cron, timezone=timezone)],
                                       tags=["netral"], **extra),
        crawl_shard.to_deployment(name="crawl-shard", tags=["netral"], **extra),
    ]
    return [d for d in deployments if isinstance(d, RunnerDeployment)]
