"""``ringkasan.txt``: the Indonesian summary at the top of a data-subject export.

The person who asked for their data reads this first, so it says in plain Indonesian what the ZIP
holds, how many records each section has, on what legal basis netral processes the data, and who made
the export and when. Section names match the keys of ``subject.json`` so the two can be read together.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.models import Employee

#: subject.json section -> what it holds, in Indonesian.
SECTION_LABELS: dict[str, str] = {
    "employee": "Data kepegawaian (nama, nomor, jenis, unit kerja, jabatan)",
    "social_accounts": "Akun media sosial yang dideklarasikan",
    "interactions": "Interaksi akun tersebut (unggah, bagikan, kutip, komentar, suka, ikuti)",
    "content": "Konten terkait (sasaran interaksi, konten sendiri, isi laporan)",
    "classifications": "Klasifikasi otomatis atas konten tersebut",
    "assessments": "Penilaian aturan atas interaksi",
    "cases": "Kasus tentang Anda",
    "case_events": "Riwayat kasus (keputusan, alasan, tahapan, nomor surat)",
    "reports": "Laporan yang masuk tentang Anda (platform tertutup)",
    "audit_events": "Catatan log audit tentang data Anda (tampilan, keputusan, ekspor)",
    "evidence": "Bukti arsip yang dirujuk",
}

EVIDENCE_STATUS = {
    "included": "disertakan di folder evidence/",
    "missing": "berkas tidak ditemukan di arsip",
    "altered": "berkas tidak cocok lagi dengan hash-nya (tidak disertakan)",
    "unreadable": "berkas tidak dapat dibaca dari arsip",
    "withheld": "tidak disertakan: milik akun pegawai lain",
    "redacted": "disertakan tersamarkan di evidence/redacted/ (menyebut akun pegawai lain)",
    "included_raw": "disertakan apa adanya atas keputusan administrator (menyebut akun pegawai lain)",
    "withheld_names_others": "tangkapan layar tidak disertakan: teks OCR-nya menyebut pegawai lain",
}


def _redaction_lines(redaction: dict[str, Any]) -> list[str]:
    """What was hidden about other employees, or that an administrator chose to ship the originals."""
    if redaction.get("raw_evidence"):
        return [
            "- PERHATIAN: atas keputusan administrator, berkas bukti disertakan apa adanya dan dapat memuat",
            "  akun atau nama pegawai lain. Alasan yang dicatat di log audit:",
            f"  \"{redaction.get('raw_evidence_reason', '')}\"",
            "  Data pegawai lain itu bukan data Anda: jangan disebarkan.",
        ]
    lines = [
        "- Bukti bersama (utas komentar, daftar penyuka) dapat menyebut pegawai lain. Akun yang mereka",
        "  deklarasikan (nama pengguna, ID, tautan profil) dan nama lengkap mereka diganti dengan",
        "  [pegawai lain #n] (nomor yang sama = orang yang sama). Berkasnya ada di evidence/redacted/;",
        "  hash aslinya tetap tercantum di subject.json.",
    ]
    if redaction.get("replacements"):
        lines.append(f"  Dalam ekspor ini: {redaction['replacements']} penggantian, "
                     f"{redaction.get('colleagues', 0)} pegawai lain, {redaction.get('content_rows', 0)} konten.")
    else:
        lines.append("  Dalam ekspor ini tidak ada bukti yang menyebut pegawai lain.")
    lines.append("- Gambar tidak dapat disamarkan: tangkapan layar yang teks OCR-nya menyebut pegawai lain tidak")
    lines.append("  disertakan (teks OCR-nya disertakan tersamarkan); gambar lain disertakan apa adanya.")
    return lines


def summary_text(employee: Employee, counts: dict[str, int], evidence: dict[str, int], *,
                 generated_at: datetime, actor: str, legal_basis: str,
                 redaction: dict[str, Any] | None = None) -> str:
    """The summary for ``employee``; ``counts`` per section, ``evidence`` files per status, ``redaction``
    what was hidden about other employees (see :mod:`core.subject_redaction`)."""
    width = max(len(label) for label in SECTION_LABELS.values())
    lines = [
        "EKSPOR DATA PRIBADI SUBJEK DATA — netral",
        "=" * 40,
        "",
        f"Pegawai          : {employee.name} ({employee.employee_type}, {employee.id_number})",
        f"Dibuat pada      : {generated_at.isoformat()} (UTC)",
        f"Dibuat oleh      : {actor}",
        f"Dasar pemrosesan : {legal_basis}",
        "",
        "Berkas ini menjawab permintaan akses Subjek Data Pribadi menurut UU 27/2022 tentang Pelindungan",
        "Data Pribadi (paling lambat 3×24 jam sejak permintaan). netral memantau netralitas ASN di media",
        "sosial selama Pilkada, hanya atas akun yang dideklarasikan dan konten publik. Tanda dari sistem",
        "adalah petunjuk untuk ditelaah manusia, bukan temuan; setiap keputusan dibuat oleh petugas.",
        "",
        "Isi berkas ZIP:",
        "  subject.json         seluruh data dalam format JSON (UTF-8, waktu ISO-8601 dalam UTC)",
        "  ringkasan.txt        ringkasan ini",
        "  evidence/<sha256>    salinan persis bukti arsip; nama berkas = hash SHA-256 isinya",
        "  evidence/redacted/   bukti yang menyebut pegawai lain, dengan identitas mereka disamarkan",
        "",
        "Jumlah per bagian:",
    ]
    lines += [f"  {label.ljust(width)}  {counts.get(key, 0)}" for key, label in SECTION_LABELS.items()]
    if evidence:
        lines += ["", "Status berkas bukti:"]
        lines += [f"  {EVIDENCE_STATUS.get(status, status)}: {n}" for status, n in sorted(evidence.items())]
    lines += [
        "",
        "Catatan:",
        "- Konten yang dihapus dari platform tetap tercatat dan ditandai (deleted, deleted_at).",
        "- Identitas akun pegawai lain pada konten yang Anda tanggapi tidak disertakan. Nama pengguna",
        "  petugas (peninjau, pencatat laporan) tetap tercantum karena mereka bertindak dalam jabatannya.",
        *_redaction_lines(redaction or {}),
        "- Ekspor ini sendiri dicatat di log audit (subject.export) bersama hash SHA-256 berkas ZIP ini;",
        "  catatan itu tidak termuat di dalam berkas ini.",
        "",
    ]
    return "\n".join(lines)
