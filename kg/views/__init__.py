"""Write an entity graph as one self-contained HTML network view that works offline.

pyvis builds the node and edge records (``_records``); the page around them is this
package's own (``page.html``, ``page.js``), because pyvis 0.3.2's pages fetch Bootstrap
and vis-network from CDNs, copy ``lib/`` into the working directory, write the heading as
raw HTML, switch to a popup that inserts titles as live HTML when one contains ``href``,
and write without an explicit encoding. Here vis-network's script and style, shipped in
the pyvis wheel, are inlined; every text from a document reaches the page HTML-escaped or
inside a JSON block whose ``<``, ``>`` and ``&`` are escaped, and vis-network shows
string tooltips as plain text. A content policy lets only the page's own scripts run and
fetches nothing. Positions are computed ahead (``kg.layout``) and physics runs only on
small views, so large graphs draw at once.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Any

import pyvis

from kg.config import ONTOLOGY_DIR, Settings
from kg.layout import Kept
from kg.subgraph import communities, filter_graph, strongest
from kg.views._legend import Look, legend_html, load_looks
from kg.views._modes import Drawn, make_view
from kg.views._records import network_data

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "COLOUR_BY",
    "Drawn",
    "Look",
    "load_looks",
    "make_view",
    "view_html",
    "write_assets",
    "write_view",
]

_HERE = Path(__file__).parent
_VIS = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
_VIS_FILES = ("vis-network.min.js", "vis-network.css")
COLOUR_BY = ("type", "community")


def write_view(
    graph: nx.MultiDiGraph,
    path: Path,
    *,
    title: str,
    colour_by: str = "type",
    note: str = "",
    max_nodes: int | None = None,
    isolated: bool = False,
    focus: str | None = None,
    links: Sequence[tuple[str, str]] = (),
    assets: str | None = None,
    ontology_dir: Path = ONTOLOGY_DIR,
    evidence: Callable[[nx.MultiDiGraph], None] | None = None,
    layout: Kept | None = None,
) -> None:
    """Write an entity graph as one HTML file that opens offline, from disk or a server.

    Args:
        graph: an entity graph as ``analysis.entity_graph`` returns it.
        path: the HTML file to write; written whole or not at all, nothing else is
            written (the folder is created if need be).
        title: the page's heading.
        colour_by: ``"type"`` (one colour per entity type) or ``"community"``.
        note: a line shown under the heading.
        max_nodes: beyond this many entities only the most linked are drawn, with a
            note saying how many were left out (default ``Settings.view_max_nodes``).
        isolated: also draw entities without any link; by default they are left out
            (with a note saying how many) unless the graph has no link at all.
        focus: IRI of an entity to mark (a focus or programme view).
        links: ``(relative URL, text)`` pairs shown above the heading, for a site.
        assets: relative URL of a folder where ``write_assets`` put vis-network, to
            share it between the pages of a site; by default it is inlined.
        ontology_dir: where ``view_style.tsv`` is.
        evidence: adds evidence to the edges of the part drawn, a copy of ``graph``'s
            (the explorer's ``Source.add_evidence``), for a graph read without it: a
            large graph's cut draws a fraction of its links, and only theirs is read.
        layout: where to keep the layout drawn, and where an earlier drawing kept its
            own, taken if it drew the same entities and links (``kg.layout.Kept``).

    Raises:
        ValueError: ``colour_by`` is neither ``"type"`` nor ``"community"``.
        OntologyError: ``view_style.tsv`` is missing or incomplete.

    >>> import tempfile, networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("kgr:Region/Ningbo", label="Ningbo", type="Region", aliases=[])
    >>> out = Path(tempfile.mkdtemp()) / "view.html"
    >>> write_view(g, out, title="Ningbo")
    >>> "Ningbo" in out.read_text(encoding="utf-8")
    True
    """
    page = view_html(
        graph, title=title, colour_by=colour_by, note=note, max_nodes=max_nodes,
        isolated=isolated, focus=focus, links=links, assets=assets, ontology_dir=ontology_dir,
        evidence=evidence, layout=layout,
    )  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part")
    try:
        # Explicit UTF-8: under LANG=C the locale's encoding is ASCII.
        part.write_text(page, encoding="utf-8")
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


def view_html(
    graph: nx.MultiDiGraph,
    *,
    title: str,
    colour_by: str = "type",
    note: str = "",
    max_nodes: int | None = None,
    isolated: bool = False,
    focus: str | None = None,
    links: Sequence[tuple[str, str]] = (),
    assets: str | None = None,
    ontology_dir: Path = ONTOLOGY_DIR,
    evidence: Callable[[nx.MultiDiGraph], None] | None = None,
    layout: Kept | None = None,
) -> str:
    """Return the page ``write_view`` writes; the arguments are the same."""
    if colour_by not in COLOUR_BY:
        raise ValueError(f"unknown colour_by {colour_by!r}; choose {' or '.join(COLOUR_BY)}")
    looks = load_looks(ontology_dir)
    limit = Settings().view_max_nodes if max_nodes is None else max_nodes
    shown, notes = _fit(graph, limit, isolated)
    if evidence is not None:
        evidence(shown)
    notes = [note, *notes] if note else notes
    groups = communities(shown) if colour_by == "community" else {}
    counts = f"{_count(len(shown), 'entity')} · {_count(shown.number_of_edges(), 'link')}"
    # _top: a view shown in a site's frame leaves the frame when a link is followed
    nav = "".join(
        f'<a href="{html.escape(url)}" target="_top">{html.escape(text)}</a>' for url, text in links
    )
    return _page().substitute(
        **_vis(assets),
        title=html.escape(title),
        nav=f"<nav>{nav}</nav>" if nav else "",
        notes="".join(f'<p class="kg-note">{html.escape(n)}</p>' for n in notes),
        legend=legend_html(looks, shown, groups),
        counts=html.escape(counts),
        data=_script_json(network_data(shown, looks, groups, focus, layout)),
    )


def write_assets(folder: Path) -> None:
    """Copy vis-network's script and style into ``folder``, for views made with ``assets``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in _VIS_FILES:
        (folder / name).write_text(_script(_VIS / name), encoding="utf-8")


def _vis(assets: str | None) -> dict[str, str]:
    """Return vis-network's elements, inline or linked, and the policy that admits them."""
    app_js = _script(_HERE / "page.js")
    if assets is None:
        vis_js = _script(_VIS / "vis-network.min.js")
        return {
            "csp": _csp([vis_js, app_js], shared=False),
            "vis_style": f"<style>{_script(_VIS / 'vis-network.css')}</style>",
            "vis_script": f"<script>{vis_js}</script>",
            "app_js": app_js,
        }
    base = html.escape(assets.rstrip("/") + "/")
    return {
        "csp": _csp([app_js], shared=True),
        "vis_style": f'<link rel="stylesheet" href="{base}vis-network.css">',
        "vis_script": f'<script src="{base}vis-network.min.js"></script>',
        "app_js": app_js,
    }


def _fit(graph: nx.MultiDiGraph, limit: int, isolated: bool) -> tuple[nx.MultiDiGraph, list[str]]:
    """Return the part of the graph to draw, and notes on what was left out."""
    notes = []
    # Counting a multigraph's links or degrees walks all of it, and a subgraph view
    # walks it more slowly: count each once, on the graph itself.
    edges, total, pool = graph.number_of_edges(), graph.number_of_nodes(), graph
    if not isolated and edges:
        linked = [n for n, d in graph.degree() if d > 0]
        if len(linked) < total:
            notes.append(f"Not drawn: {_count(total - len(linked), 'entity')} without any link.")
            # When more entities have links than are drawn, the most linked all have
            # links: the whole graph gives the same pick.
            pool = filter_graph(graph, min_degree=1) if len(linked) < limit else graph
            total = len(linked)
    shown = strongest(pool, limit)
    if shown.number_of_nodes() < total:
        left = total - shown.number_of_nodes()
        links = edges - shown.number_of_edges()
        notes.append(
            f"Showing the {shown.number_of_nodes():,} most linked of"
            f" {total:,} entities; left out: {_count(left, 'entity')} and"
            f" {_count(links, 'link')}. Focus on an entity or raise the minimum degree to see"
            " the rest."
        )
    return shown, notes


def _count(n: int, noun: str) -> str:
    """Return ``n noun`` in the right number.

    >>> _count(1, "entity"), _count(2_000, "entity"), _count(3, "link")
    ('1 entity', '2,000 entities', '3 links')
    """
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{n:,} {noun if n == 1 else plural}"


def _script_json(value: Any) -> str:
    """Return JSON that is inert inside a <script> element: no ``</script>``, no ``<!--``.

    >>> _script_json({"label": "</script><!--&"})
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003c!--\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _csp(scripts: Sequence[str], *, shared: bool) -> str:
    """Return a content policy that runs only these inline scripts and fetches nothing.

    Inline event handlers (``onerror=``) and unlisted scripts are refused, so markup that
    slipped past the escaping could still not run. A page of a site (``shared``) may also
    load scripts and styles from its own site, nothing from elsewhere.
    """
    digests = (hashlib.sha256(s.encode("utf-8")).digest() for s in scripts)
    allowed = " ".join(f"'sha256-{base64.b64encode(d).decode()}'" for d in digests)
    own = "'self' " if shared else ""
    return (
        f"default-src 'none'; script-src {own}{allowed}; style-src {own}'unsafe-inline';"
        " img-src data:; base-uri 'none'; form-action 'none'"
    )


@cache
def _page() -> Template:
    return Template((_HERE / "page.html").read_text(encoding="utf-8"))


@cache
def _script(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    # The bundle never closes its own element today; keep it so if pyvis ships a new one.
    return re.sub(r"</(script|style)", r"<\\/\1", text, flags=re.IGNORECASE)
