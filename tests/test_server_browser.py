"""The explorer's pages in headless Chromium: search, entity, query, and escaped documents.

Needs Debian's ``chromium`` (``apt-get install chromium``) and the ``playwright`` package
(``pip install -e '.[test]'``), which drives that browser: no browser is downloaded. Every
request leaving the server is refused and recorded, so a page that needs the network
fails.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

import pytest
from test_server import Server, start_server

from kg.config import Settings
from kg.pipeline import build

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",  # only the server resolves
]
# A document that tries to run script through every text the pages show.
HOSTILE = (
    '# 宁波<img src=x onerror="window.kgPwned=1">发展规划\n\n'
    '以世界一流标准打造甬江科创区<img src=x onerror="window.kgPwned=2">，'
    "支持甬江实验室<script>window.kgPwned=3</script>争创国家实验室。\n\n"
    '通苏嘉甬铁路<b onmouseover="window.kgPwned=4">连接</b>宁波与嘉兴，支持长三角一体化发展。\n'
)


@dataclass
class Opened:
    """A page opened in the browser, and what happened while it loaded and ran."""

    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def clean(self) -> bool:
        return not (self.requests or self.errors or self.dialogs)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed: pip install -e '.[test]'")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server(built: Path) -> Iterator[Server]:
    yield from start_server(built)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    corpus = tmp_path_factory.mktemp("hostile")
    (corpus / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    out = tmp_path_factory.mktemp("hostile-out")
    build([corpus], Settings(out_dir=out))
    yield from start_server(out)


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[[Server, str], Opened]]:
    """Open a page of a server; requests to anything but the server are refused."""
    contexts = []

    def open_(server: Server, path: str) -> Opened:
        context = browser.new_context(viewport={"width": 1300, "height": 900})
        contexts.append(context)
        page = context.new_page()
        opened = Opened(page)

        def refuse(route: Any) -> None:
            if route.request.url.startswith(server.url + "/"):
                route.continue_()
            else:
                opened.requests.append(route.request.url)
                route.abort()

        context.route("**/*", refuse)
        page.on("console", lambda m: m.type == "error" and opened.errors.append(m.text))
        page.on("pageerror", lambda e: opened.errors.append(str(e)))
        page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
        page.goto(server.url + path)
        return opened

    yield open_
    for context in contexts:
        context.close()


def view_ready(page: Any) -> Any:
    """Return the network view framed in a page once it has drawn."""
    ready = page.frame_locator("iframe").locator("html[data-kg-ready]")
    ready.wait_for(state="attached", timeout=60_000)
    return next(f for f in page.frames if "/view/" in f.url)


def test_search_finds_the_platform_and_its_page_lists_relations_with_evidence(
    server: Server, open_page: Callable[[Server, str], Opened]
) -> None:
    opened = open_page(server, "/")
    page = opened.page
    page.fill("input[name=q]", "甬江科创区")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("#entities")
    assert page.locator("#sentences mark", has_text="甬江科创区").count() > 0
    page.locator("#entities a", has_text="甬江科创区").first.click()
    page.wait_for_url("**/entity/Platform/**")
    assert "甬江科创区" in page.inner_text("h1")
    relations = page.inner_text("#relations")
    assert "—locatedIn→" in relations and "甬江" in relations
    evidence = page.locator("#relations .fact blockquote.evidence")
    assert evidence.count() >= 2
    assert "甬江科创区" in evidence.first.inner_text()
    assert evidence.first.locator("cite a").get_attribute("href").startswith("/doc/")
    frame = view_ready(page)
    labels = frame.evaluate("kgNetwork.body.data.nodes.get().map(n => n.label)")
    assert "甬江科创区" in labels and "甬江" in labels
    assert opened.clean(), (opened.requests, opened.errors, opened.dialogs)


def test_entity_page_of_the_most_linked_entity_links_to_the_facts_it_leaves_out(
    server: Server, open_page: Callable[[Server, str], Opened]
) -> None:
    opened = open_page(server, "/entity/Region/宁波")
    page = opened.page
    assert page.inner_text("#degree") == "41"
    more = page.locator("#relations li.more", has_text="and 7 more")
    assert more.count() == 1
    more.locator("a").click()
    page.wait_for_selector("table.results")
    assert page.locator("table.results tbody tr").count() == 17
    assert "宁波" in page.input_value("textarea[name=query]")
    assert opened.clean(), (opened.requests, opened.errors, opened.dialogs)


def test_query_page_links_labels_and_draws_the_result(
    server: Server, open_page: Callable[[Server, str], Opened]
) -> None:
    opened = open_page(server, "/query")
    page = opened.page
    page.locator(".gallery a", has_text="通苏嘉甬铁路").click()
    page.wait_for_selector("table.results")
    shared = unquote_plus(page.url)  # the query is kept in the URL
    assert "query=SELECT DISTINCT ?project ?region" in shared and "通苏嘉甬铁路" in shared
    link = page.locator("table.results a", has_text="宁波").first
    assert link.get_attribute("href") == "/entity/Region/%E5%AE%81%E6%B3%A2"
    page.locator(".tabs a", has_text="Network").click()
    frame = view_ready(page)
    labels = frame.evaluate("kgNetwork.body.data.nodes.get().map(n => n.label)")
    assert {"通苏嘉甬铁路", "宁波", "嘉兴"} <= set(labels)
    link = page.locator(".tabs a", has_text="CSV").get_attribute("href")
    assert link.startswith("/sparql?") and "format=csv" in link
    assert opened.clean(), (opened.requests, opened.errors, opened.dialogs)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/doc/hostile.txt",
        "/search?q=onerror",
        "/search?q=甬江科创区",
        "/entity/Platform/甬江科创区",
        "/query?query=SELECT%20%3Ft%20WHERE%20%7B%20%3Fd%20dcterms%3Atitle%20%3Ft%20%7D",
    ],
)
def test_markup_in_a_document_shows_as_text_and_never_runs(
    hostile: Server, open_page: Callable[[Server, str], Opened], path: str
) -> None:
    opened = open_page(hostile, path)
    page = opened.page
    page.wait_for_load_state("load")
    main = page.locator("main")
    page.hover("main")
    assert page.evaluate("window.kgPwned") is None
    assert main.locator("img, script, b").count() == 0
    assert "<img src=x onerror=" in main.inner_text() or "<script>" in main.inner_text()
    assert opened.clean(), (opened.requests, opened.errors, opened.dialogs)
