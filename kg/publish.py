"""Publish a built graph as a static site that opens from ``file://`` or any web server.

The site holds an index with counts and the overview, one network view per programme
(the projects, platforms and others linked to it) and per region, a page on the
ontology, and the graph and ontology for download. Links are relative; vis-network is
shared from ``assets/``; nothing is fetched from elsewhere. The site is written beside
its target and swapped in whole, so a failed run leaves the previous site as it was.

    site/
      index.html  overview.html  ontology.html
      programme/<id>.html  region/<id>.html
      assets/  data/graph.ttl  data/graph.nq  data/kg.ttl
"""

from __future__ import annotations

import hashlib
import html
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING

from kg.analysis import entity_graph
from kg.config import Settings
from kg.errors import KgError
from kg.export import export
from kg.model import EntityType, RelationType
from kg.query import Stats, stats
from kg.subgraph import ego_graph
from kg.views import load_looks, write_assets, write_view

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["KINDS", "Site", "publish"]

#: Entity types that get a page each, and the folder of their pages.
KINDS = {EntityType.PROGRAMME: "programme", EntityType.REGION: "region"}
#: A file every site holds, so that publishing again may replace the folder.
MARKER = ".kg-site"
_DOWNLOADS = (
    ("data/graph.ttl", "Turtle: the union of all documents' graphs"),
    ("data/graph.nq", "N-Quads: one named graph per document"),
    ("data/kg.ttl", "the ontology, Turtle"),
)
_BACK = (("../index.html", "index"), ("../overview.html", "overview"))
#: (relative URL, label, number of links) of each entity page
_Pages = list[tuple[str, str, int]]
_INDEX = Template("""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; frame-src 'self';\
 style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">
<title>$title</title>
<style>
 body { font-family: system-ui, "Noto Sans CJK SC", "PingFang SC", sans-serif; margin: 1rem 2rem;
        color: #222; max-width: 80rem; }
 table { border-collapse: collapse; margin: 0.5rem 0; } td, th { padding: 0.15rem 0.6rem;
        border-bottom: 1px solid #ddd; text-align: left; } td.n { text-align: right; }
 iframe { width: 100%; height: 70vh; border: 1px solid #ccc; }
 ul.pages { columns: 16rem; } small { color: #666; }
</style></head>
<body>
$body
</body></html>
""")


@dataclass(frozen=True)
class Site:
    """What ``publish`` wrote."""

    folder: Path
    pages: int
    programmes: int
    regions: int


def publish(
    out_dir: Path,
    site: Path,
    *,
    title: str = "policy-kg",
    max_pages: int = 1_000,
    settings: Settings | None = None,
) -> Site:
    """Write the graph built at ``out_dir`` as a static site in the folder ``site``.

    Args:
        out_dir: the output folder of ``kg build``.
        site: the folder to write; replaced whole if it holds an earlier site.
        title: the index page's heading.
        max_pages: at most this many pages per kind, for the most linked entities.
        settings: limits of the views (``view_max_nodes``) and the ontology folder.

    Returns:
        The folder and how many pages of each kind it holds.

    Raises:
        StoreError: no graph has been built at ``out_dir``.
        KgError: ``site`` exists and holds something other than a site.
    """
    settings = settings or Settings()
    _check_target(site)
    site.parent.mkdir(parents=True, exist_ok=True)
    part = Path(tempfile.mkdtemp(prefix=f".{site.name}.", dir=site.parent))
    try:
        graph = entity_graph(out_dir)
        (part / MARKER).write_text("written by kg publish\n", encoding="utf-8")
        write_assets(part / "assets")
        _downloads(out_dir, part, settings)
        write_view(
            graph, part / "overview.html", title=f"{title}: overview", assets="assets",
            links=[("index.html", "index")], max_nodes=settings.view_max_nodes,
            ontology_dir=settings.ontology_dir,
        )  # fmt: skip
        pages = {kind: _entity_pages(graph, kind, part, max_pages, settings) for kind in KINDS}
        _write(part / "ontology.html", _ontology_page(title, stats(out_dir), settings))
        _write(part / "index.html", _index_page(title, stats(out_dir), pages, settings))
        _swap(part, site)
    except BaseException:
        shutil.rmtree(part, ignore_errors=True)
        raise
    programmes, regions = (len(pages[k]) for k in KINDS)
    return Site(site, 3 + programmes + regions, programmes, regions)


def _check_target(site: Path) -> None:
    if site.exists() and not (site / MARKER).exists() and any(site.iterdir()):
        raise KgError(f"{site}: exists and is not a site written by kg publish; choose another")


def _downloads(out_dir: Path, part: Path, settings: Settings) -> None:
    (part / "data").mkdir()
    export(out_dir, "turtle", part / "data" / "graph.ttl")
    export(out_dir, "nquads", part / "data" / "graph.nq")
    shutil.copyfile(settings.ontology_dir / "kg.ttl", part / "data" / "kg.ttl")


def _entity_pages(
    graph: nx.MultiDiGraph, kind: EntityType, part: Path, max_pages: int, settings: Settings
) -> _Pages:
    """Write a focus view of each linked entity of a kind; return (href, label, links)."""
    looks = load_looks(settings.ontology_dir)
    linked = [(n, d) for n, d in graph.degree() if graph.nodes[n]["type"] == kind and d > 0]
    linked.sort(key=lambda nd: (-nd[1], graph.nodes[nd[0]]["label"]))
    pages = []
    for node, degree in linked[:max_pages]:
        label = graph.nodes[node]["label"]
        href = f"{KINDS[kind]}/{hashlib.sha1(node.encode('utf-8')).hexdigest()[:12]}.html"
        supporters = sum(r == RelationType.SUPPORTS for *_, r in graph.in_edges(node, "relation"))
        note = f"{looks[kind].zh} {looks[kind].en} · {degree} links"
        note += f" · supported by {supporters}" if supporters else ""
        write_view(
            ego_graph(graph, node, 1), part / href, title=label, note=note, focus=node,
            assets="../assets", links=_BACK,
            max_nodes=settings.view_max_nodes, ontology_dir=settings.ontology_dir,
        )  # fmt: skip
        pages.append((href, label, degree))
    return pages


def _index_page(
    title: str,
    counts: Stats,
    pages: dict[EntityType, list[tuple[str, str, int]]],
    settings: Settings,
) -> str:
    looks = load_looks(settings.ontology_dir)
    e = html.escape
    docs = "".join(
        f"<tr><td>{e(d.path)}</td><td>{e(d.title)}</td><td class=n>{d.sentences:,}</td>"
        f"<td class=n>{d.entities:,}</td><td class=n>{d.relations:,}</td></tr>"
        for d in counts.documents
    )
    body = [
        f"<h1>{e(title)}</h1>",
        f"<p>{len(counts.documents):,} documents · {sum(counts.types.values()):,} entities ·"
        f" {sum(counts.relations.values()):,} relations ·"
        ' <a href="overview.html">overview network</a> · <a href="ontology.html">ontology</a></p>',
        '<iframe src="overview.html" title="overview network"></iframe>',
    ]
    for kind, listed in pages.items():
        items = "".join(
            f'<li><a href="{e(href)}">{e(label)}</a> <small>{n}</small></li>'
            for href, label, n in listed
        )
        body.append(f"<h2>{e(looks[kind].zh)} {e(looks[kind].en)}</h2><ul class=pages>{items}</ul>")
    body.append(
        "<h2>Documents</h2><table><tr><th>file</th><th>title</th><th>sentences</th>"
        f"<th>entities</th><th>relations</th></tr>{docs}</table>"
    )
    links = "".join(f'<li><a href="{href}">{href}</a> {e(what)}</li>' for href, what in _DOWNLOADS)
    body.append(f"<h2>Download</h2><ul>{links}</ul>")
    return _INDEX.substitute(title=e(title), body="\n".join(body))


def _ontology_page(title: str, counts: Stats, settings: Settings) -> str:
    looks = load_looks(settings.ontology_dir)
    e = html.escape

    def rows(names: dict[str, int]) -> str:
        return "".join(
            f'<tr><td style="color:{e(looks[n].colour)}">■</td><td>{e(looks[n].zh)}</td>'
            f"<td>{e(looks[n].en)}</td><td><code>kgo:{e(n)}</code></td>"
            f"<td class=n>{count:,}</td></tr>"
            for n, count in names.items()
        )

    head = "<tr><th></th><th>zh</th><th>en</th><th>term</th><th>count</th></tr>"
    body = (
        f'<p><a href="index.html">index</a></p><h1>{e(title)}: ontology</h1>'
        '<p>The terms are defined in <a href="data/kg.ttl">data/kg.ttl</a>'
        " (prefix <code>kgo:</code> = https://w3id.org/policy-kg/ontology#).</p>"
        f"<h2>Entity types</h2><table>{head}{rows(counts.types)}</table>"
        f"<h2>Relations</h2><table>{head}{rows(counts.relations)}</table>"
    )
    return _INDEX.substitute(title=e(f"{title}: ontology"), body=body)


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _swap(part: Path, site: Path) -> None:
    """Put the new site in place of the old one; the old one is removed after."""
    old = None
    if site.exists():
        old = site.with_name(f".{site.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        site.rename(old)
    part.chmod(0o755)  # mkdtemp makes it private; a site is for reading
    part.rename(site)
    if old is not None:
        shutil.rmtree(old)
