"""Report intake: real Tesseract OCR of rendered Indonesian screenshots, real archive, real HTTP fetch."""

from __future__ import annotations

import hashlib
import re
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from core.evidence import EvidenceArchive
from core.intake import ReportInputError, add_report, platform_of
from core.models import AuditEvent, ContentItem, Evidence, Report
from core.ocr import ocr_image
from core.settings import Settings
from pipelines.cli import app
from tests import factories
from tests.conftest import require_tool, tool_missing

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
POST = (
    "Selamat pagi warga Bulungan. Mari bersama kita dukung pasangan nomor urut dua "
    "pada pemilihan bupati tanggal dua puluh tujuh November. Program mereka jelas: "
    "jalan desa diperbaiki, sekolah gratis, dan pelayanan kesehatan lebih dekat. "
    "Jangan lupa datang ke TPS dan coblos nomor dua. Lanjutkan pembangunan!"
)
runner = CliRunner()


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def render(text: str, path: Path, width: int = 1100) -> Path:
    """Draw ``text`` word-wrapped in black on white, like a phone screenshot of a post."""
    from PIL import Image, ImageDraw, ImageFont

    if not FONT.exists():
        tool_missing("fonts-dejavu-core is not installed")
    font = ImageFont.truetype(str(FONT), 30)
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") < width - 80:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    image = Image.new("RGB", (width, 80 + 46 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        draw.text((40, 40 + 46 * n), line, fill="black", font=font)
    image.save(path)
    return path


@pytest.fixture
def tesseract(settings: Settings) -> str:
    return require_tool(settings.tesseract_cmd)


@pytest.fixture
def page_server() -> Iterator[str]:
    """A real web page on 127.0.0.1 standing in for the reported post."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<html><head><title>Postingan</title></head><body>Dukung nomor 2!</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Set-Cookie", "session=secret")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def counts(session: Session) -> tuple[int, ...]:
    return tuple(session.scalar(select(func.count()).select_from(m)) or 0
                 for m in (ContentItem, Evidence, Report, AuditEvent))


def test_ocr_of_an_indonesian_screenshot_recovers_90_percent_of_words(tmp_path: Path, tesseract: str) -> None:
    image = render(POST, tmp_path / "shot.png").read_bytes()
    text = ocr_image(image, cmd=tesseract, languages="ind")
    expected, got = Counter(words(POST)), Counter(words(text))
    recovered = sum((expected & got).values()) / sum(expected.values())
    assert recovered >= 0.9, (recovered, text)


def test_cli_round_trip_archives_ocrs_fetches_and_audits(session: Session, settings: Settings, tmp_path: Path,
                                                        tesseract: str, page_server: str) -> None:
    emp = factories.employee(session)
    session.commit()
    shot = render(POST, tmp_path / "wa.png")
    url = f"{page_server}/post/1?access_token=s3cret"
    result = runner.invoke(app, ["report", "add", "--employee", emp.id_number, "--url", url, "--platform",
                                 "whatsapp", "--screenshot", str(shot), "--note", "grup WA RT 05"])
    assert result.exit_code == 0, result.output
    assert "report stored" in result.output and "URL fetched" in result.output

    session.expire_all()
    report = session.scalars(select(Report)).one()
    assert report.employee_id == emp.id and report.platform == "whatsapp" and report.url_status == "fetched"
    assert report.note == "grup WA RT 05" and report.reported_by.startswith("cli:")
    item = report.content
    assert item.kind == "report" and item.platform == "whatsapp"
    assert "coblos" in item.text.lower() and "bulungan" in item.text.lower()
    archive = EvidenceArchive(settings.resolved_evidence_dir)
    [file] = report.files
    assert file.evidence.sha256 == hashlib.sha256(shot.read_bytes()).hexdigest()
    assert archive.read(file.evidence.sha256) == shot.read_bytes()
    assert file.ocr_text == item.text and item.evidence_id == file.evidence_id
    page = report.page_evidence
    assert page is not None and b"Dukung nomor 2!" in archive.read(page.sha256)
    assert page.http_status == 200 and "s3cret" not in (page.source_url or "")
    assert "set-cookie" not in page.headers and page.headers["content-type"].startswith("text/html")
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "report.add")).one()
    assert event.object_id == str(report.id) and "s3cret" not in str(event.details)


def test_unreachable_url_is_recorded_not_fatal(session: Session, settings: Settings, tmp_path: Path,
                                               tesseract: str) -> None:
    emp = factories.employee(session)
    shot = render("Ayo pilih nomor satu", tmp_path / "ig.png")
    item = add_report(session, settings, employee_number=emp.id_number, url="http://127.0.0.1:9/p/abc",
                      screenshots=[shot], note="", actor="test", platform="instagram")
    report = session.scalars(select(Report)).one()
    assert report.url_status == "unreachable" and report.url_error and report.page_evidence_id is None
    assert item.platform == "instagram" and "pilih" in item.text.lower()


def test_the_same_report_twice_is_stored_once(session: Session, settings: Settings, tmp_path: Path,
                                              tesseract: str) -> None:
    emp = factories.employee(session)
    shot = render("Coblos nomor dua", tmp_path / "tt.png")
    kwargs: dict[str, Any] = {"employee_number": emp.id_number, "url": "https://www.tiktok.com/@x/video/1",
                              "screenshots": [shot], "note": "n", "actor": "test"}
    settings.report_fetch_timeout_seconds = 0.5
    first = add_report(session, settings, **kwargs)
    second = add_report(session, settings, **kwargs)
    assert first.id == second.id and first.platform == "tiktok"
    assert session.scalar(select(func.count()).select_from(Report)) == 1


def test_bad_input_gives_a_clear_error_and_writes_nothing(session: Session, settings: Settings,
                                                          tmp_path: Path, tesseract: str) -> None:
    emp = factories.employee(session)
    session.commit()
    before = counts(session)
    shot = render("Dukung paslon", tmp_path / "ok.png")
    unknown = runner.invoke(app, ["report", "add", "--employee", "199901012020011999", "--platform", "whatsapp",
                                  "--screenshot", str(shot)])
    assert unknown.exit_code == 2 and "no employee with number '199901012020011999'" in unknown.output
    missing = runner.invoke(app, ["report", "add", "--employee", emp.id_number, "--platform", "whatsapp",
                                  "--screenshot", str(shot), "--screenshot", str(tmp_path / "nope.png")])
    assert missing.exit_code == 1 and "nope.png does not exist" in missing.output
    not_image = tmp_path / "notes.txt"
    not_image.write_text("hello")
    wrong = runner.invoke(app, ["report", "add", "--employee", emp.id_number, "--platform", "whatsapp",
                                "--screenshot", str(not_image)])
    assert wrong.exit_code == 1 and "is not an image" in wrong.output
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG not really")
    unreadable = runner.invoke(app, ["report", "add", "--employee", emp.id_number, "--platform", "whatsapp",
                                     "--screenshot", str(broken)])
    assert unreadable.exit_code == 1 and "broken.png: OCR failed" in unreadable.output
    session.expire_all()
    assert counts(session) == before
    assert not settings.resolved_evidence_dir.exists() or not any(settings.resolved_evidence_dir.rglob("*"))


def test_platform_is_recognised_from_the_url_or_must_be_given() -> None:
    assert platform_of("https://chat.whatsapp.com/AbC", None) == "whatsapp"
    assert platform_of("https://www.instagram.com/p/xyz/", None) == "instagram"
    assert platform_of("https://m.facebook.com/story.php?id=1", None) == "facebook"
    assert platform_of("https://example.org/a", "TikTok") == "tiktok"
    with pytest.raises(ReportInputError, match="--platform"):
        platform_of("https://example.org/a", None)
    with pytest.raises(ReportInputError, match="unknown platform"):
        platform_of(None, "myspace")


def test_report_add_has_help() -> None:
    result = runner.invoke(app, ["report", "add", "--help"])
    assert result.exit_code == 0 and "--screenshot" in result.output and "--employee" in result.output
