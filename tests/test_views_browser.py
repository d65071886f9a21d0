"""Network views in headless Chromium with the network blocked: they draw, and nothing runs.

Needs Debian's ``chromium`` (``apt-get install chromium``) and the ``playwright`` package
(``pip install -e '.[test]'``), which drives that browser: no browser is downloaded.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from test_views import ATTACKS, ENTITIES, attacked_graph, big_graph, iri, seed_graph

from kg.publish import publish
from kg.subgraph import ego_graph
from kg.views import load_looks, write_view

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # no name resolves: nothing leaves the machine
]


@dataclass
class Opened:
    """A view opened in the browser, and what happened while it loaded and ran."""

    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def labels(self) -> list[str]:
        return sorted(self.page.evaluate("kgNetwork.body.data.nodes.get().map(n => n.label)"))


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


@pytest.fixture
def open_view(browser: Any) -> Iterator[Callable[..., Opened]]:
    """Open a page from disk; only files under ``root`` (the page alone by default) load."""
    contexts = []

    def open_(path: Path, *, root: Path | None = None, ready: bool = True) -> Opened:
        context = browser.new_context(viewport={"width": 1200, "height": 800})
        contexts.append(context)
        page = context.new_page()
        opened = Opened(page)

        def refuse(route: Any) -> None:
            if route.request.url.startswith((root or path).as_uri()):
                route.continue_()
            else:
                opened.requests.append(route.request.url)
                route.abort()

        context.route("**/*", refuse)
        page.on("console", lambda m: m.type == "error" and opened.errors.append(m.text))
        page.on("pageerror", lambda e: opened.errors.append(str(e)))
        page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
        page.goto(path.as_uri())
        if ready:
            page.wait_for_selector("html[data-kg-ready]", state="attached", timeout=60_000)
        return opened

    yield open_
    for context in contexts:
        context.close()


def test_view_draws_offline(tmp_path: Path, open_view: Callable[..., Opened]) -> None:
    write_view(seed_graph(), tmp_path / "view.html", title="宁波")
    view = open_view(tmp_path / "view.html")
    canvas = view.page.locator("#kg-network canvas")
    assert canvas.count() == 1 and canvas.bounding_box()["width"] > 500
    inked = view.page.evaluate(
        """() => { const c = document.querySelector('#kg-network canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n; }"""
    )
    assert inked > 2_000  # nodes, links and labels are drawn
    assert view.labels() == sorted(name for name, *_ in ENTITIES)
    assert view.requests == [] and view.errors == [] and view.dialogs == []


def test_legend_shows_the_six_types(tmp_path: Path, open_view: Callable[..., Opened]) -> None:
    write_view(seed_graph(), tmp_path / "view.html", title="宁波")
    items = open_view(tmp_path / "view.html").page.locator("#kg-legend li[data-type]")
    assert items.count() == 6
    looks = load_looks()
    for i in range(6):
        item = items.nth(i)
        assert item.is_visible()
        look = looks[item.get_attribute("data-type")]
        glyph = item.locator(".kg-glyph").inner_text()
        assert item.inner_text().split() == [glyph + look.zh, look.en]


def test_focus_view_holds_the_neighbours(tmp_path: Path, open_view: Callable[..., Opened]) -> None:
    focus = iri("甬江科创区")
    write_view(ego_graph(seed_graph(), focus, 1), tmp_path / "focus.html", title="甬江科创区")
    view = open_view(tmp_path / "focus.html")
    assert view.labels() == sorted(["甬江科创区", "宁波", "甬江实验室"])
    neighbours = view.page.evaluate(
        """() => { const ds = kgNetwork.body.data.nodes;
        const id = ds.get({filter: n => n.label === '甬江科创区'})[0].id;
        return kgNetwork.getConnectedNodes(id).map(i => ds.get(i).label).sort(); }"""
    )
    assert neighbours == sorted(["宁波", "甬江实验室"])


def test_injected_markup_does_not_run(tmp_path: Path, open_view: Callable[..., Opened]) -> None:
    write_view(attacked_graph(), tmp_path / "x.html", title=ATTACKS[0], note=ATTACKS[1])
    view = open_view(tmp_path / "x.html")
    page = view.page
    assert page.locator("h1").inner_text() == ATTACKS[0]
    assert page.locator(".kg-note").first.inner_text() == ATTACKS[1]
    assert page.evaluate("document.querySelectorAll('img, svg, iframe, a, object').length") == 0
    for attack in ATTACKS:  # hovering shows each tooltip as text
        tip = _hover(page, attack)
        assert attack in tip["text"] and tip["elements"] == []
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert view.dialogs == [] and view.requests == [] and view.errors == []


def _hover(page: Any, label: str) -> dict[str, Any]:
    page.mouse.move(1, 1)
    page.wait_for_timeout(50)
    point = page.evaluate(
        """(label) => { const ds = kgNetwork.body.data.nodes;
        const id = ds.get({filter: n => n.label === label})[0].id;
        kgNetwork.stopSimulation();
        const p = kgNetwork.canvasToDOM(kgNetwork.getPosition(id));
        const r = document.getElementById('kg-network').getBoundingClientRect();
        return {x: r.left + p.x, y: r.top + p.y}; }""",
        label,
    )
    page.mouse.move(point["x"], point["y"])
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
    return page.evaluate(
        """() => { const t = document.querySelector('div.vis-tooltip');
        const tags = [...t.querySelectorAll('*')].map(e => e.tagName);
        return {text: t.textContent, elements: tags.filter(n => n !== 'BR')}; }"""
    )


def test_search_focuses_an_entity(tmp_path: Path, open_view: Callable[..., Opened]) -> None:
    write_view(seed_graph(), tmp_path / "view.html", title="宁波")
    page = open_view(tmp_path / "view.html").page
    page.fill("#kg-search", "科创区")
    page.press("#kg-search", "Enter")
    selected = page.evaluate(
        "kgNetwork.getSelectedNodes().map(i => kgNetwork.body.data.nodes.get(i).label)"
    )
    assert selected == ["甬江科创区"]


def test_5000_nodes_are_interactive_within_seconds(
    tmp_path: Path, open_view: Callable[..., Opened]
) -> None:
    write_view(big_graph(5_000), tmp_path / "big.html", title="big", max_nodes=5_000)
    view = open_view(tmp_path / "big.html")
    ready_ms = float(view.page.get_attribute("html", "data-kg-ready"))
    assert ready_ms < 20_000  # a few seconds here; bench/bench_views.py has the figures
    assert len(view.labels()) == 5_000 and view.errors == []


def test_published_site_opens_offline(
    built: Path, tmp_path: Path, open_view: Callable[..., Opened]
) -> None:
    site = tmp_path / "site"
    publish(built, site)
    view = open_view(site / "index.html", root=site, ready=False)
    page = view.page
    overview = page.frame_locator("iframe").locator("html[data-kg-ready]")
    overview.wait_for(state="attached", timeout=30_000)
    first = page.locator("ul.pages a").first
    label = first.inner_text()
    first.click()
    page.wait_for_selector("html[data-kg-ready]", state="attached", timeout=30_000)
    assert page.locator("h1").inner_text() == label
    assert label in view.labels()
    page.click("nav a >> text=index")
    page.wait_for_selector("ul.pages", timeout=10_000)
    assert view.requests == [] and view.errors == [] and view.dialogs == []
