"""The referral dossier: one ZIP that forwards a confirmed case to Bawaslu or BKN, signed, checkable offline.

Contents: the cover letter (surat pengantar) as DOCX and PDF on the letterhead, the case summary
(``ringkasan_kasus.txt`` in Indonesian and ``ringkasan_kasus.json``), every evidence file of the case
byte for byte under ``bukti/``, and ``manifest.json`` naming the SHA-256 of every other file, signed
with the installation's Ed25519 key (``manifest.sig``, base64; ``netral keys show`` prints the public
key). :func:`verify` checks the signature and every hash and names each changed, added or removed file.
Only a case two reviewers confirmed can be referred; making a dossier is audited.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from core import audit, keys
from core.evidence import EvidenceArchive
from core.models import utcnow
from core.regime import regime_for
from core.reports import case_source, cover_letter, pdf_export
from core.reports.errors import NotConfirmed, ReportError
from core.settings import Settings

MANIFEST, SIGNATURE = "manifest.json", "manifest.sig"
RECIPIENTS = {"bawaslu": "Ketua Bawaslu", "bkn": "Kepala Badan Kepegawaian Negara (BKN)"}


def summary_text(s: case_source.CaseSummary) -> str:
    """The case summary a receiving institution reads first (Indonesian)."""
    r = s.row
    lines = [f"RINGKASAN KASUS {r.number}", "", f"Pemilihan      : {s.election_name} ({s.region})",
             f"Pegawai        : {s.employee_name}", f"NIP/NI PPPK    : {s.employee_number}",
             f"Jabatan        : {s.position}", f"Perangkat daerah: {r.unit}", f"Jenis pegawai  : {r.employee_type}",
             f"Aturan berlaku : {regime_for(r.employee_type).description_id}",
             f"Tanggal        : {r.on.isoformat()}", f"Platform       : {r.platform}", f"Status         : {r.status}",
             f"Jumlah kejadian: {r.incidents}", "", "Perbuatan:", f"  {r.conduct}"]
    if s.target_text:
        lines += ["", "Konten yang menjadi sasaran:", f"  {s.target_text}"]
    if s.target_url:
        lines.append(f"  Tautan: {s.target_url}")
    lines += ["", "Kode pelanggaran yang diduga (SKB 2022; sanksi tidak ditetapkan oleh sistem):"]
    for c in s.codes:
        lines.append(f"  {c['code']} ({c['track']}, {c['level']}): {c['conduct']}")
    lines += ["", "Unsur yang terpenuhi:", *(f"  - {e}" for e in s.elements)]
    lines += ["", "Alasan pengklasifikasi (petunjuk, bukan putusan):", *(f"  - {x}" for x in s.reasons or ["-"])]
    lines += ["", "Riwayat keputusan:"]
    for t in s.timeline:
        lines.append(f"  {t.at.isoformat(timespec='seconds')}  {t.actor:<16} {t.action}"
                     + (f" -> {t.to_status}" if t.to_status else "") + (f"  ({t.note})" if t.note else ""))
    return "\n".join(lines) + "\n"


def _summary_json(s: case_source.CaseSummary) -> dict[str, Any]:
    r = s.row
    return {"case_id": r.case_id, "number": r.number, "election": s.election_name, "employee": s.employee_name,
            "employee_number": s.employee_number, "position": s.position, "unit": r.unit,
            "employee_type": r.employee_type, "regime": regime_for(r.employee_type).key, "date": r.on.isoformat(),
            "platform": r.platform, "status": r.status,
            "incidents": r.incidents, "conduct": r.conduct, "codes": s.codes, "elements": s.elements,
            "reasons": s.reasons, "target_text": s.target_text, "target_url": s.target_url,
            "timeline": [{"at": t.at.isoformat(), "actor": t.actor, "action": t.action, "to_status": t.to_status,
                          "note": t.note} for t in s.timeline]}


def make(session: Session, settings: Settings, case_id: int, to: str, actor: str) -> bytes:
    """The signed dossier ZIP for a confirmed case (audited); refuses a case that is not confirmed."""
    if to not in RECIPIENTS:
        raise ReportError(f"unknown recipient {to!r}: use bawaslu or bkn", "recipient", "to")
    ok, status = case_source.is_confirmed(session, case_id)
    if not ok:
        raise NotConfirmed(case_id, status)
    summary = case_source.case_summary(session, case_id)
    archive = EvidenceArchive(settings.resolved_evidence_dir)
    files: dict[str, bytes] = {}
    for ev in case_source.evidence_files(session, case_id):
        data = archive.read(ev.sha256)
        if hashlib.sha256(data).hexdigest() != ev.sha256:
            raise ReportError(f"evidence {ev.evidence_id} no longer matches its SHA-256: run `netral evidence "
                              "verify`", "evidence_altered")
        files[f"bukti/{ev.name}"] = data
    files["ringkasan_kasus.txt"] = summary_text(summary).encode("utf-8")
    files["ringkasan_kasus.json"] = json.dumps(_summary_json(summary), ensure_ascii=False, indent=2).encode("utf-8")
    attachments = ["Ringkasan kasus (ringkasan_kasus.txt, ringkasan_kasus.json)",
                   *(f"Bukti: {name.removeprefix('bukti/')}" for name in files if name.startswith("bukti/"))]
    letter = cover_letter.render(settings, summary, RECIPIENTS[to], attachments)
    files["surat_pengantar.docx"] = letter
    files["surat_pengantar.pdf"] = pdf_export.docx_to_pdf(letter, settings.soffice_cmd, settings.pdf_timeout_seconds)
    manifest = {"case": summary.row.number, "case_id": case_id, "to": to,
                "created_at": utcnow().isoformat(timespec="seconds"), "created_by": actor,
                "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())}}
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in sorted(files.items()):
            zf.writestr(name, data)
        zf.writestr(MANIFEST, manifest_bytes)
        zf.writestr(SIGNATURE, keys.sign(settings.data_dir, manifest_bytes))
    blob = out.getvalue()
    audit.record(session, actor, "case_dossier", object_type="case", object_id=case_id,
                 details={"to": to, "sha256": hashlib.sha256(blob).hexdigest(), "files": len(files),
                          "manifest_sha256": hashlib.sha256(manifest_bytes).hexdigest()})
    return blob


@dataclass
class Verification:
    """What :func:`verify` found; ``ok`` only with a valid signature and no file changed, added or removed."""

    signature_ok: bool
    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.signature_ok and not (self.changed or self.added or self.removed or self.problem)


def verify(zip_bytes: bytes, public_key_pem: str | bytes) -> Verification:
    """Check a dossier's manifest signature and every file's hash against it."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(zip_bytes))
    except zipfile.BadZipFile:
        return Verification(False, problem="not a ZIP file")
    with zf:
        names = set(zf.namelist())
        if MANIFEST not in names or SIGNATURE not in names:
            return Verification(False, problem=f"{MANIFEST} or {SIGNATURE} is missing")
        manifest_bytes = zf.read(MANIFEST)
        signature = zf.read(SIGNATURE).decode("ascii", "replace").strip()
        result = Verification(keys.verify(keys.load_public_key(public_key_pem), manifest_bytes, signature))
        try:
            listed: dict[str, str] = json.loads(manifest_bytes)["files"]
        except (ValueError, KeyError, TypeError):
            result.problem = f"{MANIFEST} is not a dossier manifest"
            return result
        for name, sha in sorted(listed.items()):
            if name not in names:
                result.removed.append(name)
            elif hashlib.sha256(zf.read(name)).hexdigest() != sha:
                result.changed.append(name)
        result.added = sorted(names - set(listed) - {MANIFEST, SIGNATURE})
    return result
