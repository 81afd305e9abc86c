"""The reference page (``/ui/``) in a real browser: Debian's Chromium, driven by Playwright, against a real
uvicorn server on a free port and a migrated database with the demo event (SQLite and PostgreSQL).

Nothing is mocked: the page calls the public JSON API and the server answers everything. Outside CI the
browser tests are skipped when ``/usr/bin/chromium`` is missing; under ``CI=true`` they fail instead
(``.ci/run`` installs Chromium with apt). Playwright's sync API runs inside plain sync tests, so it never
meets pytest-asyncio's session loop; the async fixtures only prepare the database.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from httpx import AsyncClient
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect, sync_playwright
from sqlalchemy.ext.asyncio import AsyncEngine

from app.config import Settings
from app.db import create_sessionmaker, session_scope
from app.demo.loader import DEMO_ORGANISER_EMAIL, DEMO_ORGANISER_PASSWORD, DemoSummary, load_demo
from app.main import create_app
from app.routers.ui import UI_DIR
from tests.conftest import IN_CI
from tests.factories import auth, check, create_event, create_participant, organiser_token

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RUN_TIMEOUT_MS = 120_000  # matching and scheduling runs on a shared 2-core machine
BROWSER_TIMEOUT_MS = 30_000


# --- the server -------------------------------------------------------------------------


class LiveServer:
    """The real app under uvicorn in a thread, on a port the OS picked."""

    def __init__(self, settings: Settings) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        app = create_app(settings.model_copy(update={"public_url": self.url}))
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on", ws="none", http="h11")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=60)
        self.sock.close()
        assert not self.thread.is_alive(), "uvicorn did not stop"


@pytest.fixture
def live_server(db: AsyncEngine, settings: Settings) -> Iterator[LiveServer]:
    with LiveServer(settings) as server:
        yield server


@pytest.fixture
async def demo(db: AsyncEngine, settings: Settings) -> DemoSummary:
    """The demo organisations and the Cluj-Napoca event (80 participants), with no matching run yet."""
    async with session_scope(create_sessionmaker(db)) as session:
        return await load_demo(session, settings.secret_key)


# --- the browser ------------------------------------------------------------------------


@pytest.fixture
def chromium() -> Path:
    """Debian's Chromium; asked for first, so a missing browser skips before the database work."""
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail(f"{CHROMIUM} is missing under CI=true: .ci/run installs it with apt-get install chromium")
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM


@contextmanager
def launched(chromium: Path) -> Iterator[Browser]:
    """Playwright and the browser, only inside the test body.

    The sync API marks the main thread's loop as running while it is active, so it must neither start
    before nor outlive the async fixtures (pytest-asyncio runs those on that thread).
    """
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Watched:
    """Uncaught page errors and console errors (CSP violations among them) of every page of a context."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def page(self, context: BrowserContext) -> Page:
        page = context.new_page()
        page.on("pageerror", lambda err: self.errors.append(f"{page.url}: uncaught {err}"))
        page.on("console", lambda msg: self._console(page, msg))
        return page

    def _console(self, page: Page, msg: ConsoleMessage) -> None:
        # A non-2xx answer is logged by Chromium as "Failed to load resource": the page shows those as problems.
        if msg.type == "error" and "Failed to load resource" not in msg.text:
            self.errors.append(f"{page.url}: {msg.text}")


def new_context(browser: Browser, *, phone: bool = False, locale: str = "en-GB") -> BrowserContext:
    # The browser's own zone is far from the event's, so times shown in the wrong zone cannot pass.
    viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    context = browser.new_context(
        viewport=viewport, locale=locale, timezone_id="America/New_York", accept_downloads=True
    )
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    return context


def log_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/ui/organiser.html")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def finish_run(page: Page, button: str, kind: str) -> None:
    page.get_by_role("button", name=button).click()
    job = page.locator(f"#job[data-kind={kind}]")
    expect(job).to_have_attribute("data-status", re.compile("succeeded|failed"), timeout=RUN_TIMEOUT_MS)
    expect(job).to_have_attribute("data-status", "succeeded")


def api_get(base: str, path: str, token: str) -> Any:
    r = httpx.get(f"{base}/api/v1{path}", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


# --- the whole flow ---------------------------------------------------------------------


def test_participants_meet_and_the_organiser_sees_it(
    chromium: Path, live_server: LiveServer, demo: DemoSummary
) -> None:
    with launched(chromium) as browser:
        meet_and_report(browser, live_server.url, demo)


def meet_and_report(browser: Browser, base: str, demo: DemoSummary) -> None:
    event_id, watched = demo.event_id, Watched()
    organiser = watched.page(new_context(browser))
    a_context = new_context(browser, phone=True)

    # The organiser logs in, picks the event and runs the matching.
    log_in(organiser, base, DEMO_ORGANISER_EMAIL, DEMO_ORGANISER_PASSWORD)
    organiser.get_by_label("Event", exact=True).select_option(str(event_id))
    expect(organiser.locator("#event-title")).to_have_text(re.compile("Clusters Meet Regions"))
    finish_run(organiser, "Start matching run", "matching")
    expect(organiser.locator("#job")).to_contain_text(f"for {demo.participants} participants")

    # Participant A opens their personal link: the token leaves the address bar, suggestions come with reasons.
    a = watched.page(a_context)
    a.goto(f"{base}/ui/#token={demo.participant_token}")
    expect(a.locator("body")).to_have_attribute("data-ready", "true")
    assert "token" not in a.url
    expect(a.locator("#whoami")).to_contain_text(demo.participant_name)
    first = a.locator("article.suggestion").first
    partner_id = int(first.get_attribute("data-partner-id") or 0)
    partner_name = first.locator("h3").inner_text()
    expect(first.locator("li.reason").first).to_have_text(re.compile(r"\w{3,}"))
    reasons = first.locator("li.reason").all_inner_texts()
    assert any(re.search(r"Your (request|offer) “.+” meets their (offer|request) “.+”", r) for r in reasons), reasons
    expect(
        first.locator("li.reason[data-reason=cross_border], li.reason[data-reason=kind_complementarity]").first
    ).to_be_visible()

    # A second, older tab of A still offers the button: its click gets the API's 409, shown as a readable problem.
    stale = watched.page(a_context)
    stale.goto(f"{base}/ui/#token={demo.participant_token}")
    expect(stale.locator("body")).to_have_attribute("data-ready", "true")

    first.get_by_label("Message (optional)").fill("Eco-design pilots together?")
    first.get_by_role("button", name="Request a meeting").click()
    card = a.locator(f"article.suggestion[data-partner-id='{partner_id}']")
    expect(card.locator(".message.ok")).to_contain_text(f"Request sent to {partner_name}")
    expect(card.locator(".pair-status")).to_contain_text("You asked for a meeting")
    expect(a.locator("#outgoing-list")).to_contain_text(partner_name)

    stale_card = stale.locator(f"article.suggestion[data-partner-id='{partner_id}']")
    stale_card.get_by_role("button", name="Request a meeting").click()
    expect(stale_card.locator(".message.problem")).to_contain_text(
        "Conflict: There is already an open request or a meeting between these two participants."
    )

    # "Not interested": the card goes, and the API no longer suggests that partner.
    second = a.locator("article.suggestion").nth(1)
    hidden_id = int(second.get_attribute("data-partner-id") or 0)
    hidden_name = second.locator("h3").inner_text()
    second.get_by_role("button", name="Not interested").click()
    expect(a.locator("#suggestions-message")).to_contain_text(f"{hidden_name} is hidden")
    expect(a.locator(f"article.suggestion[data-partner-id='{hidden_id}']")).to_have_count(0)
    still = api_get(
        base, f"/events/{event_id}/participants/{demo.participant_id}/suggestions?limit=200", demo.participant_token
    )
    assert hidden_id not in {s["participant"]["id"] for s in still["items"]}

    # The organiser issues B's personal link in the page; it lands on /ui/ with the token in the fragment.
    organiser.get_by_label("Find a participant").fill(partner_name)
    organiser.get_by_role("button", name="Find", exact=True).click()
    expect(organiser.locator("#link-count")).to_have_text(re.compile(r"^1 of 1 shown"))
    organiser.get_by_label("Participant", exact=True).select_option(str(partner_id))
    organiser.get_by_role("button", name="Issue a new personal link").click()
    expect(organiser.locator("#links-message")).to_contain_text(f"New link for {partner_name}")
    link = organiser.locator("#link-url").input_value()
    assert re.fullmatch(rf"{re.escape(base)}/ui/#token=mmp_[\w-]+", link), link

    # B opens it and accepts A's request.
    b = watched.page(new_context(browser, phone=True))
    b.goto(link)
    expect(b.locator("body")).to_have_attribute("data-ready", "true")
    incoming = b.locator("#incoming-list li.request", has_text=demo.participant_name)
    expect(incoming).to_contain_text("Eco-design pilots together?")
    incoming.get_by_role("button", name="Accept").click()
    expect(b.locator("#requests-message")).to_contain_text(f"You accepted the meeting with {demo.participant_name}")
    expect(b.locator("#incoming-list li.request[data-status=accepted]")).to_have_count(1)

    # The organiser schedules; the report counts the meeting and draws it.
    organiser.get_by_label("Solver time limit (seconds)").fill("5")
    finish_run(organiser, "Run scheduling", "scheduling")
    expect(organiser.locator("#job")).to_contain_text("Meetings placed: 1; not placed: 0")
    expect(organiser.locator("#report")).to_have_attribute("data-scheduled", "1")
    per_slot = organiser.locator("[data-testid=chart-per-slot] svg.chart")
    expect(per_slot).to_have_attribute("role", "img")
    widths = [
        float(w or 0) for w in per_slot.locator("rect.bar").evaluate_all("els => els.map(e => e.getAttribute('width'))")
    ]
    assert len(widths) > 1 and sum(1 for w in widths if w > 0) == 1, widths  # one slot holds the one meeting
    per_person = organiser.locator("[data-testid=chart-per-participant] svg.chart rect.bar")
    expect(per_person).to_have_count(2)  # 0 meetings: 78 people; 1 meeting: A and B
    expect(organiser.locator("[data-testid=chart-countries] svg.chart rect.bar")).to_have_count(15)

    # A sees the meeting in the agenda, in the event's time zone (the browser runs in New York), and gets the .ics.
    a.get_by_role("button", name="Refresh").click()
    item = a.locator("#agenda-list li.agenda-item[data-status=scheduled]")
    expect(item).to_contain_text(partner_name)
    agenda = api_get(base, f"/events/{event_id}/participants/{demo.participant_id}/agenda", demo.participant_token)
    start = datetime.fromisoformat(agenda["items"][0]["starts_at"])
    expect(item.locator(".when")).to_contain_text(start.strftime("%H:%M"))
    expect(a.locator("#agenda-note")).to_contain_text("Europe/Bucharest")
    with a.expect_download() as download_info:
        a.get_by_role("button", name="Download calendar (.ics)").click()
    ics = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert "BEGIN:VCALENDAR" in ics and ics.count("BEGIN:VEVENT") == 1 and partner_name in ics

    # An export downloads through the API with the organiser's token.
    with organiser.expect_download() as export_info:
        organiser.get_by_role("button", name="Meetings (CSV)").click()
    assert export_info.value.suggested_filename.endswith(".csv")
    assert partner_name in Path(export_info.value.path()).read_text(encoding="utf-8-sig")

    assert watched.errors == []


def test_romanian_labels_and_problems_in_words(chromium: Path, live_server: LiveServer) -> None:
    with launched(chromium) as browser:
        romanian_and_problems(browser, live_server.url)


def romanian_and_problems(browser: Browser, base: str) -> None:
    watched = Watched()
    page = watched.page(new_context(browser, locale="ro-RO"))
    page.goto(f"{base}/ui/organiser.html")
    expect(page.get_by_role("heading", level=1)).to_have_text("Organizator")
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_label("Parolă").fill("wrong-password")
    page.get_by_role("button", name="Autentificare").click()
    problem = page.locator("#login-message.problem")
    expect(problem).to_contain_text("Not authenticated")  # the API's problem title, with its detail
    # The menu switches the labels back to English, and the choice sticks.
    page.get_by_label("Limba").select_option("en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Organiser")
    page.reload()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()

    # A link with a token that no longer works says so, in words.
    participant = watched.page(page.context)
    participant.goto(f"{base}/ui/#token=mmp_revoked")
    expect(participant.locator("#page-message.problem")).to_contain_text("ask the organiser for a new link")
    expect(participant.get_by_role("heading", name="Open your personal link")).to_be_visible()
    assert watched.errors == []


# --- no browser needed ------------------------------------------------------------------


class _PageParts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts = 0
        self.style_attributes = 0
        self.style_elements = 0
        self.urls: list[str] = []
        self.labels_for: set[str] = set()
        self.fields: list[str] = []
        self._open_labels = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "style" in a:
            self.style_attributes += 1
        if tag == "style":
            self.style_elements += 1
        if tag == "script" and not a.get("src"):
            self.inline_scripts += 1
        self.urls += [v for k, v in a.items() if k in {"src", "href"} and v]
        if tag == "label" and a.get("for"):
            self.labels_for.add(a["for"] or "")
        if tag == "label":
            self._open_labels += 1
        if tag in {"input", "select", "textarea"} and a.get("type") != "hidden" and not self._open_labels:
            self.fields.append(a.get("id") or "")  # not wrapped in a label: needs <label for=id>

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._open_labels -= 1


@pytest.mark.parametrize("name", ["index.html", "organiser.html"])
def test_pages_fit_a_same_origin_csp_and_label_every_field(name: str) -> None:
    parts = _PageParts()
    parts.feed((UI_DIR / name).read_text(encoding="utf-8"))
    assert (parts.inline_scripts, parts.style_attributes, parts.style_elements) == (0, 0, 0)
    assert all(not re.match(r"^(https?:)?//", url) for url in parts.urls), parts.urls
    assert all(f in parts.labels_for for f in parts.fields), (parts.fields, parts.labels_for)


def _keys(block: str) -> set[str]:
    return set(re.findall(r'^\s*"([\w.]+)":', block, flags=re.MULTILINE))


def test_every_label_has_english_and_romanian_words() -> None:
    source = (UI_DIR / "i18n.js").read_text(encoding="utf-8")
    english = _keys(source[source.index("const EN = {") : source.index("const RO = {")])
    romanian = _keys(source[source.index("const RO = {") : source.index("const DICTIONARIES")])
    assert english and english == romanian, english ^ romanian
    used: set[str] = set()
    for path in UI_DIR.iterdir():
        text = path.read_text(encoding="utf-8") if path.suffix in {".html", ".js"} else ""
        used |= set(re.findall(r'data-i18n(?:-aria-label)?="([\w.]+)"', text))
        used |= set(re.findall(r'\bt\("([\w.]+)"', text))
    assert used and used <= english, used - english


def test_scripts_load_nothing_from_elsewhere_and_never_use_inner_html() -> None:
    for path in UI_DIR.glob("*.js"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\.(inner|outer)HTML\s*=|insertAdjacentHTML|document\.write|\beval\(", text), path.name
        assert not re.search(r"""(fetch|import)\s*\(?\s*["'`]https?://""", text), path.name
        assert not re.search(r"""\.style\.|setAttribute\(\s*["']style""", text), path.name


async def test_the_page_is_served_beside_the_api_but_not_in_its_spec(client: AsyncClient) -> None:
    for path in ("/", "/ui"):
        r = await client.get(path)
        assert r.status_code == 307 and r.headers["location"].endswith("/ui/"), (path, r.status_code)
    page = await client.get("/ui/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'src="participant.js"' in page.text
    script = await client.get("/ui/organiser.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    missing = await client.get("/ui/nothing-here.js")
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert not [p for p in paths if p == "/" or p.startswith("/ui")]


async def test_the_personal_link_opens_the_page_with_the_token_in_the_fragment(
    client: AsyncClient, db: AsyncEngine
) -> None:
    token = await organiser_token(client, db)
    event = await create_event(client, token)
    person = await create_participant(client, token, event["id"])
    r = await client.post(f"/api/v1/events/{event['id']}/participants/{person['id']}/access-token", headers=auth(token))
    body = check(r, 200)
    assert body["link"] == f"http://test/ui/#token={body['token']}"
