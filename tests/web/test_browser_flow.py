"""The whole consultation through the pages, in real headless Chromium (Playwright for Python).

A patient asks for a friend (with an attachment) and gets the triage at once; an emergency shows the
emergency advice immediately; a specialist claims the case and answers from the prefilled editor; a
reviewer approves; an anonymous reader finds the answer by search, sees no identifier the patient wrote,
and votes it helpful; the reviewer judges one of its related questions not related and it is gone.
Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from spineconsult.consult.context import build_context
from spineconsult.library.evidence_pages import publish_evidence_pages
from spineconsult.store.db import transaction

from .conftest import PASSWORD, PERSONAS, add_personas, migrate, settings_for
from .live_server import serving

CHROMIUM = Path("/usr/bin/chromium")
APT_LINE = "apt-get update && apt-get install -y chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

QUESTION = (
    "Hello doctor, I am asking for my friend Tom Baker who had an L4-L5 hemilaminectomy on 2026-10-01 at "
    "St Mary's Hospital in Springfield. He still has numbness, pins and needles and swelling in his left "
    "foot, worse in the evening. Is this normal and how long will it last? You can reach me at "
    "jane.roe@example.org or +1 555 0100."
)
EMERGENCY = (
    "Nine days after my L4-L5 laminectomy I cannot pass urine since this morning and I am numb between my "
    "legs and around my bottom."
)
IDENTIFIERS = (
    "Tom Baker",
    "Jane Roe",
    "jane.roe@example.org",
    "555 0100",
    "St Mary",
    "Springfield",
    "2026-10-01",
)

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"/usr/bin/chromium is missing; install: {APT_LINE}"
)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app under uvicorn on a free loopback port, over a fresh SQLite database with the personas."""
    data_dir = tmp_path_factory.mktemp("browser")
    settings = settings_for(data_dir)
    migrate(settings)
    ctx = build_context(settings)
    add_personas(ctx)
    with transaction(ctx.sessions) as session:
        publish_evidence_pages(session)  # related questions for the published answer
    ctx.close()
    env = {f"SPINECONSULT_{k.upper()}": str(v) for k, v in settings.model_dump().items() if _plain(v)}
    with serving(env, data_dir / "server.log") as url:
        yield url


def _plain(value: object) -> bool:
    return value is not None and isinstance(value, str | int | float | Path)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def shot(page: Any, name: str, *, full_page: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def log_in(page: Any, base_url: str, persona: str, path: str = "/login") -> None:
    page.goto(base_url + path)
    page.fill("#email", PERSONAS[persona].email)
    page.fill("#password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_load_state()


def log_out(page: Any) -> None:
    page.click("text=Log out")
    page.wait_for_url(re.compile(r"/$"))


def test_the_whole_consultation_in_the_browser(browser: Any, base_url: str, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    case_id = patient_asks(page, base_url, tmp_path)
    patient_has_an_emergency(page, base_url)
    log_out(page)
    specialist_answers(page, base_url, case_id)
    log_out(page)
    reviewer_approves(page, base_url, case_id)
    context.close()
    qa_url = reader_finds_reads_and_votes(browser, base_url)
    reviewer_judges_related_questions(browser, base_url, qa_url)


def patient_asks(page: Any, base_url: str, tmp_path: Path) -> str:
    page.goto(base_url + "/")
    assert "guaranteed answer within 4 hours" in page.inner_text("main").lower()
    shot(page, "01-home")
    page.click(".hero a.button >> text=Ask a spine surgeon now")
    page.wait_for_url(re.compile(r"/login\?next=/ask"))
    page.fill("#email", PERSONAS["patient"].email)
    page.fill("#password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(r"/ask$"))
    fill_intake(page, tmp_path)
    assert_every_field_is_labelled(page)
    shot(page, "02-intake-filled")
    on_a_phone(page, "02-intake-mobile")
    page.click("text=Send my question")
    page.wait_for_url(re.compile(r"/cases/\w+\?sent=1"))
    assert page.is_visible("#triage")
    assert "mri-report.pdf" in page.inner_text("main")
    shot(page, "03-case-sent")
    return str(page.url.split("/cases/")[1].split("?")[0])


def fill_intake(page: Any, tmp_path: Path) -> None:
    report = tmp_path / "mri-report.pdf"
    report.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.fill("#message", QUESTION)
    page.select_option("#procedure", "hemilaminectomy")
    page.fill("#levels", "L4-L5")
    page.select_option("#side", "left")
    page.fill("#surgery_date", "2026-10-01")
    page.check("#for_someone_else")
    page.fill("#on_behalf_name", "Tom Baker")
    page.fill("#relationship", "friend")
    page.check("#consent")
    page.set_input_files("#attachments", str(report))


def patient_has_an_emergency(page: Any, base_url: str) -> None:
    page.goto(base_url + "/ask")
    page.fill("#message", EMERGENCY)
    page.click("text=Send my question")
    page.wait_for_url(re.compile(r"/cases/\w+\?sent=1"))
    notice = page.locator(".notice-emergency[role=alert]")
    assert notice.is_visible()
    assert "emergency" in notice.inner_text().lower()
    box = notice.bounding_box()
    assert box is not None and box["y"] < 400  # at the top, without scrolling
    shot(page, "04-emergency-advice")


def specialist_answers(page: Any, base_url: str, case_id: str) -> None:
    log_in(page, base_url, "specialist")
    page.wait_for_url(re.compile(r"/queue$"))
    first_level = page.locator("#queue tbody tr").first.locator(".badge").first.inner_text()
    assert first_level == "emergency"
    shot(page, "05-queue")
    on_a_phone(page, "05-queue-mobile")
    page.locator(f"tr[data-case='{case_id}'] >> text=Claim").click()
    page.wait_for_url(re.compile(f"/workspace/{case_id}$"))
    assert page.is_visible("#assess-title")
    prefilled = {name: page.input_value(f"#{name}") for name in ("probable_causes", "treatment_plan")}
    assert all(prefilled.values()), prefilled
    page.fill(
        "#body", "Welcome. The tingling most likely comes from the nerve that was bruised during surgery."
    )
    assert_every_field_is_labelled(page)
    shot(page, "06-workspace", full_page=False)
    page.click("text=Send answer for review")
    page.wait_for_url(re.compile(r"answered=1"))


def reviewer_approves(page: Any, base_url: str, case_id: str) -> None:
    log_in(page, base_url, "reviewer")
    page.wait_for_url(re.compile(r"/reviews$"))
    page.click(f"a[href='/reviews/{case_id}']")
    assert "Probable causes:" in page.inner_text("main")
    preview = page.inner_text("#public-preview")
    assert "numbness" in preview
    for identifier in IDENTIFIERS:
        assert identifier not in preview, identifier
    shot(page, "07-review")
    page.click("text=Approve and publish")
    page.wait_for_url(re.compile(r"/reviews\?done="))
    assert "Your decision was recorded" in page.inner_text("main")


def reader_finds_reads_and_votes(browser: Any, base_url: str) -> str:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(base_url + "/library")
    page.fill("#q", "numbness foot")
    page.click("#library-search button[type=submit]")
    page.wait_for_url(re.compile(r"q=numbness"))
    # the first search loads the embedding model in the server: allow for a busy machine
    page.wait_for_selector("#results mark", timeout=60_000)
    assert_fits_the_screen(page)
    assert_every_field_is_labelled(page)
    shot(page, "08-library-search-mobile")
    page.locator("#results a").first.click()
    page.wait_for_load_state()
    text = page.inner_text("body")
    for identifier in IDENTIFIERS:
        assert identifier not in text, identifier
    assert "Answered by" in text and "medically reviewed by" in text
    assert "attachment removed to protect patient identity" in text
    page.click("#vote >> text=Yes")
    page.wait_for_selector("#vote >> text=Thank you")
    assert "1 of 1 reader found this answer helpful" in page.inner_text("#vote")
    assert_fits_the_screen(page)
    shot(page, "09-qa-voted-mobile")
    assert page.locator(".related li").count() >= 2 and page.locator("form.judge").count() == 0
    url: str = page.url.split("?")[0].split("#")[0]
    context.close()
    return url


def reviewer_judges_related_questions(browser: Any, base_url: str, qa_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    log_in(page, base_url, "reviewer")
    page.goto(qa_url)
    first = page.locator(".related li > a").first.inner_text()
    page.locator(".related li").first.locator("button[value=no]").click()
    page.wait_for_url(re.compile(r"judged=1"))
    assert first not in page.inner_text(".related")
    shot(page, "10-related-judged")
    context.close()


def assert_fits_the_screen(page: Any) -> None:
    """Mobile-friendly: nothing makes the page wider than the phone's screen."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"


def on_a_phone(page: Any, name: str) -> None:
    """The same page at a phone's width: it must fit; then back to the desktop size."""
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    assert_fits_the_screen(page)
    shot(page, name)
    page.set_viewport_size(size)


UNLABELLED = """
[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
  .filter(el => el.labels.length === 0 && !el.getAttribute('aria-label'))
  .map(el => el.id || el.name)
"""


def assert_every_field_is_labelled(page: Any) -> None:
    """Accessible forms: a screen reader announces every field by its label."""
    assert page.evaluate(UNLABELLED) == []
