"""Flow units run with ``.fn()``: retention purge, retrain (promote only if not worse), digest stage."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import accounts, cases
from core.models import AuditEvent, ContentItem, Election, Interaction
from core.registry.election_import import import_election
from core.settings import Settings
from nlp.artefacts import DEFAULT_DIR
from pipelines.models import active_dir, load_active
from pipelines.retention import purge_task
from pipelines.retrain import retrain_task
from tests import factories as f

CORPUS = Path("nlp/corpus")


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    """Two elections of the shipped corpus, 120 examples each (fast to train on)."""
    out = tmp_path / "corpus"
    (out / "elections").mkdir(parents=True)
    for slug in ("pilkada-contoh-2024", "pilgub-teluk-biru-2018"):
        lines = (CORPUS / f"{slug}.jsonl").read_text(encoding="utf-8").splitlines()[:120]
        (out / f"{slug}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        shutil.copy(CORPUS / "elections" / f"{slug}.yaml", out / "elections")
    return out


def test_retention_flow_unit_removes_old_unattached_material(settings: Settings, session: Session) -> None:
    old = datetime.now(UTC) - timedelta(days=settings.retention_days + 5)
    f.interaction(session, fetched_at=old, target=f.content(session, fetched_at=old))
    session.commit()
    preview = purge_task.fn(dry_run=True)
    assert preview["interactions"] == 1 and preview["content_items"] == 1
    result = purge_task.fn()
    assert result["interactions"] == 1 and result["content_items"] == 1 and not result["dry_run"]
    session.expire_all()
    assert session.scalars(select(Interaction)).all() == []
    assert session.scalars(select(ContentItem)).all() == []


def confirmed_decision(session: Session, settings: Settings) -> None:
    import_election(session, Path("examples/election.yaml"))
    election = session.scalars(select(Election)).one()
    a = accounts.create_user(session, "rina", "reviewer", "kata-sandi-uji-1")
    b = accounts.create_user(session, "budi", "reviewer", "kata-sandi-uji-2")
    target = f.content(session, text="Ayo dukung HADE nomor 1, Sungai Tenang maju bersama Pak Harun!")
    case = f.case(session, target=target, election_id=election.id, pair_number=1, stance="support")
    cases.confirm(session, case, a, settings, version=case.version)
    cases.confirm(session, case, b, settings, version=case.version)
    session.commit()


def test_retrain_keeps_the_active_model_unless_the_candidate_is_not_worse(
    settings: Settings, session: Session, tiny_corpus: Path
) -> None:
    confirmed_decision(session, settings)
    result = retrain_task.fn(str(tiny_corpus))
    assert result["decisions"] == 1
    assert result["holdout_examples"] > 0 and result["train_examples"] > 100
    assert Path(result["artefact"], "model.skops").is_file()
    cand, active = result["candidate_scores"], result["active_scores"]
    expected = all(cand[k] >= active[k] for k in cand)
    assert result["promoted"] is expected
    assert (active_dir(settings) != DEFAULT_DIR) is expected
    session.expire_all()
    event = session.scalars(select(AuditEvent).where(AuditEvent.object_type == "model")).one()
    assert event.action == ("model.promoted" if expected else "model.rejected")
    assert event.details["candidate"] == result["candidate"]


def test_retrain_force_promotes_and_the_scan_then_uses_it(
    settings: Settings, session: Session, tiny_corpus: Path
) -> None:
    confirmed_decision(session, settings)
    result = retrain_task.fn(str(tiny_corpus), force=True)
    assert result["promoted"] is True
    assert active_dir(settings).name == result["candidate"]
    assert load_active(settings).version == result["candidate"]
    metadata = json.loads((active_dir(settings) / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["with_decisions"] == 1
