"""The nightly scan flow: roster and election → crawl → classify → assess → cases → summary (+ digest).

Flows only compose; each task is small, typed and owns its retries. Every stage is idempotent (crawls
resume from their cursors, classification skips what the model version judged, assessment skips
what it assessed), so a rerun of the same night adds nothing and a run killed midway loses nothing:
starting it again finishes the work.

Scale-out: with ``distributed=True`` each crawl shard runs as its own flow run of the ``crawl-shard``
deployment, picked up by whichever ``process`` worker of the work pool is free (docs/operations.md).
"""

from __future__ import annotations

import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from datetime import date
from typing import Any

from prefect import flow, task
from prefect.runtime import flow_run

from core.settings import get_settings
from crawlers.runner import read_outcome
from crawlers.spiders.base import run_label
from pipelines.assess import AssessStats
from pipelines.plan import ScanPlan
from pipelines.stages import ScanSummary, Stages

log = logging.getLogger(__name__)
CRAWL_SHARD_DEPLOYMENT = "crawl-shard/crawl-shard"


def _since(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@task(task_run_name="plan-{election}")
def plan_task(election: str, platforms: list[str] | None) -> ScanPlan:
    stages = Stages(get_settings())
    try:
        return stages.plan(election, platforms)
    finally:
        stages.close()


@task(retries=2, retry_delay_seconds=[5, 30], task_run_name="crawl-{platform}-{shard}of{shards}")
def crawl_task(platform: str, election: str, shard: int, shards: int, since: str | None,
               tag: str | None = None) -> dict[str, Any]:
    """One platform shard; a crawl that failed outright is retried (it resumes from its cursors)."""
    stages = Stages(get_settings())
    try:
        log.info("crawl %s shard %d/%d", platform, shard + 1, shards)
        result = stages.crawl(platform, election, _since(since), shard, shards, tag)
    finally:
        stages.close()
    if result["status"] not in {"finished", "finished_with_errors", "stopped"}:
        raise RuntimeError(f"{platform} shard {shard + 1}/{shards} ended {result['status']}")
    log.info("crawl %s shard %d/%d: %d item(s), %d error(s)", platform, shard + 1, shards,
             result["items_stored"], result["errors"])
    return result


@flow(name="crawl-shard", log_prints=False)
def crawl_shard(platform: str, election: str, shard: int = 0, shards: int = 1,
                since: str | None = None, tag: str | None = None) -> dict[str, Any]:
    """One shard as a flow of its own, for work-pool workers (the ``crawl-shard`` deployment).

    ``tag`` is the nightly scan's token for this shard: the crawl run keeps it, so the scan reads back
    this very run from the shared database (a worker's return value stays on the worker's machine)."""
    return crawl_task(platform, election, shard, shards, since, tag)


@task(retries=1, retry_delay_seconds=10)
def classify_task(election: str) -> dict[str, Any]:
    stages = Stages(get_settings())
    try:
        stats = stages.classify(election)
    finally:
        stages.close()
    log.info("classified %d new item(s), %d campaign", stats.classified, stats.campaign)
    return {"classified": stats.classified, "campaign": stats.campaign, "model_version": stats.model_version}


@task(retries=1, retry_delay_seconds=10)
def assess_task(election: str) -> AssessStats:
    stages = Stages(get_settings())
    try:
        stats = stages.assess(election)
    finally:
        stages.close()
    log.info("assessed %d interaction(s): %d flagged, %d new incident(s), %d new case(s), %d updated",
             stats.assessed, stats.flagged, stats.new_incidents, len(stats.new_cases), len(stats.updated_cases))
    return stats


def _crawl_in_process(plan: ScanPlan, shards: int, since: str | None) -> list[dict[str, Any]]:
    futures = [crawl_task.submit(p, plan.election_slug, s, shards, since)
               for p in plan.platforms for s in range(shards)]
    return [f.result() for f in futures]


def _crawl_on_workers(plan: ScanPlan, shards: int, since: str | None) -> list[dict[str, Any]]:
    from prefect.client.schemas.objects import FlowRun
    from prefect.deployments import run_deployment

    def one(platform: str, shard: int) -> dict[str, Any]:
        started = time.monotonic()
        tag = uuid.uuid4().hex
        run: FlowRun = run_deployment(  # type: ignore[assignment]
            CRAWL_SHARD_DEPLOYMENT, parameters={
            "platform": platform, "election": plan.election_slug, "shard": shard, "shards": shards,
            "since": since, "tag": tag}, timeout=None, as_subflow=True)
        state = run.state
        if state is None or not state.is_completed():
            raise RuntimeError(f"crawl shard {platform} {shard + 1}/{shards} ended {state}")
        # The worker may be on another machine: its outcome is read back from the shared database.
        label = run_label(platform, (shard, shards) if shards > 1 else None)
        outcome = read_outcome(platform, 0, time.monotonic() - started, get_settings(), spider=label, tag=tag)
        return {**asdict(outcome), "shard": shard, "shards": shards}

    jobs = [(p, s) for p in plan.platforms for s in range(shards)]
    with ThreadPoolExecutor(max_workers=max(1, len(jobs))) as pool:
        return list(pool.map(lambda job: one(*job), jobs))


def _platform_summary(plan: ScanPlan, crawls: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for platform in plan.platforms:
        mine = [c for c in crawls if c["platform"] == platform]
        out[platform] = {"accounts": plan.accounts.get(platform, 0),
                         "campaign_accounts": plan.campaign_accounts.get(platform, 0),
                         "items": sum(c["items_stored"] for c in mine), "errors": sum(c["errors"] for c in mine),
                         "shards": len(mine), "seconds": round(max((c["seconds"] for c in mine), default=0.0), 2)}
    return out


@flow(name="nightly-scan", log_prints=False)
def nightly_scan(election: str, platforms: list[str] | None = None, shards: int = 1, since: str | None = None,
                 distributed: bool = False) -> dict[str, Any]:
    """Scan one election's registered and campaign accounts and open or update cases."""
    plan = plan_task(election, platforms)
    stages = Stages(get_settings())
    params = {"election": election, "platforms": platforms, "shards": shards, "since": since,
              "distributed": distributed}
    run_id = stages.open_run(plan, params, str(flow_run.id) if flow_run.id else None)
    summary = ScanSummary(election=election, skipped=dict(plan.skipped))
    try:
        crawls = (_crawl_on_workers if distributed else _crawl_in_process)(plan, shards, since)
        summary.platforms = _platform_summary(plan, crawls)
        classified = classify_task(election)
        summary.classified, summary.campaign_items = classified["classified"], classified["campaign"]
        summary.model_version = classified["model_version"]
        stats = assess_task(election)
        summary.assessed, summary.flagged = stats.assessed, stats.flagged
        summary.new_cases, summary.updated_cases = stats.new_cases, stats.updated_cases
        summary.new_incidents, summary.ruled_out = stats.new_incidents, stats.ruled_out
        summary.digest_sent = stages.send_digest(summary, plan.election_name)
    except BaseException:
        stages.finish_run(run_id, summary, "failed")
        stages.close()
        raise
    stages.finish_run(run_id, summary, "completed")
    stages.close()
    return {"scan_run_id": run_id, **summary.as_dict()}
