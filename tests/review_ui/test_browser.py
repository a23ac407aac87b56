"""End to end in real headless Chromium against the app served by uvicorn on 127.0.0.1.

One browser per module; each test gets its own database (``db_url``) and its own server on a free port.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import uvicorn
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Case, CaseStatus
from core.settings import Settings
from review_ui.app import create_app
from tests import factories
from tests.conftest import require_tool
from tests.review_ui.conftest import PASSWORD

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    path = require_tool("chromium", "/usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(settings: Settings, users: dict[str, str]) -> Iterator[str]:
    app = create_app(settings, refresh_priorities=False)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(5)


@pytest.fixture
def new_page(browser: Any, server: str) -> Iterator[Callable[[], Any]]:
    contexts = []

    def make() -> Any:
        ctx = browser.new_context(base_url=server)
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for ctx in contexts:
        ctx.close()


def _login_with_keyboard(page: Any, username: str) -> None:
    page.goto("/login")
    # The username field has autofocus; Chromium applies it after load, so wait for it rather than racing it
    # (typing before focus lands sends the keys nowhere).
    focused = "document.activeElement && document.activeElement.id === 'username'"
    page.wait_for_function(focused)
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/queue")


def _record_dialog(dialogs: list[str], dialog: Any) -> None:
    dialogs.append(dialog.message)
    dialog.dismiss()


def _statuses(session: Session, ids: list[int]) -> list[str]:
    session.expire_all()
    return [session.get(Case, i).status for i in ids]  # type: ignore[union-attr]


def test_login_and_triage_with_the_keyboard_only(new_page: Callable[[], Any], seeded: list[Case],
                                                  session: Session) -> None:
    page = new_page()
    _login_with_keyboard(page, "reviewer")
    ids = [c.id for c in seeded]
    page.keyboard.press("j")
    page.keyboard.press("k")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/cases/{ids[0]}")
    page.keyboard.press("?")
    assert page.locator("#help").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#help").is_visible()
    page.keyboard.press("c")  # confirm, save & next
    page.wait_for_url(f"**/cases/{ids[1]}?done=awaiting_second&decided={ids[0]}")
    # The banner on the next case names the case just decided, not the one now shown.
    assert page.locator("#done-banner").inner_text().startswith(f"Kasus NTR-2024-{ids[0]:05d}: telaah pertama")
    page.keyboard.press("d")
    page.keyboard.press("Enter")  # an empty reason is refused
    page.wait_for_selector("p.error")
    assert _statuses(session, ids)[1] == CaseStatus.IN_TRIAGE
    page.keyboard.press("d")
    page.keyboard.type("Berita netral tentang tahapan")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/cases/{ids[2]}?done=dismissed&decided={ids[1]}")
    assert page.locator("#done-banner").inner_text() == f"Kasus NTR-2024-{ids[1]:05d} tidak dilanjutkan."
    page.keyboard.press("e")
    # Nothing else is left for this reviewer: case 0 waits for a *different* second reviewer.
    page.wait_for_url(f"**/queue?done=escalated&decided={ids[2]}&empty=1")
    assert _statuses(session, ids) == ["awaiting_second", "dismissed", "in_triage"]
    dismissed = session.get(Case, ids[1])
    assert dismissed is not None and dismissed.events[-1].note == "Berita netral tentang tahapan"


def test_four_eyes_confirmation_by_two_users(new_page: Callable[[], Any], seeded: list[Case],
                                             session: Session) -> None:
    first, second = new_page(), new_page()
    target = seeded[0].id
    _login_with_keyboard(first, "reviewer")
    first.goto(f"/cases/{target}")
    assert first.locator("#identity-hidden").is_visible()  # blind during the first review
    first.click("#confirm")
    first.wait_for_url(f"**/cases/{target}?done=awaiting_second")
    # The same reviewer is offered no second look (and the workflow would refuse it: tests/core).
    assert first.locator("#confirm").count() == 0
    _login_with_keyboard(second, "reviewer2")
    second.keyboard.press("n")  # take next: the case awaiting a second reviewer
    second.wait_for_url(f"**/cases/{target}")
    assert "Pegawai Rahasia 0" in second.locator("#identity").inner_text()
    second.keyboard.press("c")
    second.wait_for_url(f"**/cases/*?done=confirmed&decided={target}")
    assert _statuses(session, [target]) == ["confirmed"]


def test_switch_language(new_page: Callable[[], Any], seeded: list[Case]) -> None:
    page = new_page()
    _login_with_keyboard(page, "reviewer")
    assert page.locator("h1").inner_text() == "Antrean telaah"
    page.click("#lang-switch")
    page.wait_for_selector("text=Review queue")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#take-next").inner_text().startswith("Take next")
    page.click("#lang-switch")
    page.wait_for_selector("text=Antrean telaah")


def test_collected_payloads_render_as_text_and_execute_nothing(
        new_page: Callable[[], Any], session: Session) -> None:
    payload = ('<script>window.__pwned = 1; alert("xss")</script> Ayo dukung no 1 '
               '<img src=x onerror="window.__pwned = 2; alert(2)">')
    target = factories.content(session, text=payload, url="javascript:window.__pwned=3")
    comment = factories.content(session, text='<img src=y onerror="window.__pwned = 4">', kind="comment")
    acc = factories.account(session)
    inter = factories.interaction(session, actor=acc, target=target, kind="comment", own_content_id=comment.id)
    case = factories.case(session, acc.employee, target, interaction_ids=[inter.id])
    session.commit()
    page = new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: _record_dialog(dialogs, d))
    _login_with_keyboard(page, "reviewer")
    page.goto(f"/cases/{case.id}")
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    assert page.locator(".content-text").text_content() == payload
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("img").count() == 0
    assert page.locator("main script").count() == 0
    assert page.locator(".platform-link").count() == 0
    assert dialogs == []


def test_post_without_csrf_token_is_refused(new_page: Callable[[], Any], seeded: list[Case],
                                            session: Session) -> None:
    page = new_page()
    _login_with_keyboard(page, "reviewer")
    status = page.evaluate(
        """async (id) => {
            const body = new URLSearchParams({reason: "tanpa token"});
            const r = await fetch(`/cases/${id}/dismiss`, {method: "POST", body, credentials: "same-origin"});
            return r.status;
        }""", seeded[0].id)
    assert status == 403
    # The same request with the page's token goes through.
    page.goto(f"/cases/{seeded[0].id}")
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    version = page.locator("#dismiss-form input[name=version]").get_attribute("value")
    status = page.evaluate(
        """async ([id, token, version]) => {
            const body = new URLSearchParams({reason: "dengan token", csrf_token: token, version});
            const r = await fetch(`/cases/${id}/dismiss`, {method: "POST", body, redirect: "manual"});
            return r.type;
        }""", [seeded[0].id, token, version])
    assert status == "opaqueredirect"
    assert _statuses(session, [seeded[0].id]) == ["dismissed"]
    assert session.scalar(select(Case.id).where(Case.status == "dismissed")) == seeded[0].id
