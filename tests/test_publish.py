"""The published site: complete, relative links only, nothing fetched, swapped in whole."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import rdflib
from test_views import FETCHING, page_data

import kg.publish
from kg.analysis import entity_graph
from kg.config import ONTOLOGY_DIR
from kg.errors import KgError
from kg.publish import MARKER, publish


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [v for k, v in attrs if k in ("href", "src") and v is not None]


def links(page: Path) -> list[str]:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.urls


@pytest.fixture(scope="module")
def site(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("published") / "site"
    publish(built, folder, title="宁波")
    return folder


def test_site_holds_index_overview_ontology_pages_and_downloads(built: Path, site: Path) -> None:
    graph = entity_graph(built)
    for kind, folder in (("Programme", "programme"), ("Region", "region")):
        linked = [n for n, d in graph.degree() if d and graph.nodes[n]["type"] == kind]
        assert len(list((site / folder).glob("*.html"))) == len(linked) > 0
    for name in ("index.html", "overview.html", "ontology.html", "assets/vis-network.min.js"):
        assert (site / name).is_file(), name
    assert (site / "data/kg.ttl").read_bytes() == (ONTOLOGY_DIR / "kg.ttl").read_bytes()
    text = (site / "data/graph.ttl").read_text(encoding="utf-8")
    turtle = rdflib.Graph().parse(data=text, format="turtle")
    lines = (site / "data/graph.nq").read_text(encoding="utf-8").splitlines()
    graphs = {line.rsplit(" ", 2)[-2] for line in lines if line}
    assert len(turtle) > 0 and len(graphs) > 5  # one named graph per document, and more


def test_every_link_resolves_inside_the_site(site: Path) -> None:
    pages = list(site.rglob("*.html"))
    checked = 0
    for page in pages:
        for url in links(page):
            parts = urlsplit(url)
            assert not parts.scheme and not parts.netloc and not url.startswith("/"), (page, url)
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file() and site.resolve() in target.parents, (page, url)
            checked += 1
    assert checked > len(pages)


def test_site_fetches_nothing_from_elsewhere(site: Path) -> None:
    for page in site.rglob("*.html"):
        assert FETCHING.search(page.read_text(encoding="utf-8")) is None, page


def test_entity_page_holds_the_entity_and_its_neighbours(built: Path, site: Path) -> None:
    graph = entity_graph(built)
    index = (site / "index.html").read_text(encoding="utf-8")
    for href, label in re.findall(r'<a href="(programme/[0-9a-f]+\.html)">([^<]+)</a>', index)[:5]:
        node = next(n for n, lab in graph.nodes(data="label") if lab == label)
        drawn = {n["label"] for n in page_data((site / href).read_text(encoding="utf-8"))["nodes"]}
        expected = {graph.nodes[m]["label"] for m in graph.to_undirected(as_view=True)[node]}
        assert drawn == {label} | expected


def test_publishing_again_replaces_the_site(built: Path, tmp_path: Path) -> None:
    folder = tmp_path / "site"
    publish(built, folder)
    (folder / "stale.html").write_text("old", encoding="utf-8")
    publish(built, folder)
    assert not (folder / "stale.html").exists() and (folder / MARKER).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no temporary left


def test_a_folder_that_is_not_a_site_is_refused(built: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(KgError, match="is not a site written by kg publish"):
        publish(built, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_failed_publish_leaves_the_previous_site(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "site"
    publish(built, folder)
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))

    def broken(*args: object) -> str:
        raise RuntimeError("disk full")

    monkeypatch.setattr(kg.publish, "_index_page", broken)
    with pytest.raises(RuntimeError):
        publish(built, folder)
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_publishing_writes_nothing_in_the_working_directory(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    publish(built, tmp_path / "site")
    assert list(cwd.iterdir()) == []
