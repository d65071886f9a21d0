"""The explorer's HTML pages: home, search, entity, document, path, query, and network views.

Pages are rendered on the server from Jinja templates beside this module, with
autoescaping on: every text from a document reaches the page escaped. They read the
graph through the app's ``kg.explore.Source``: a build's store and search index, or a
SPARQL server, whose pages say where they answer differently. Network views
are ``kg.views`` pages of a part of the entity network, shown in a frame; vis-network
comes from the pyvis wheel (``/assets/``), nothing from elsewhere.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlencode

import networkx as nx
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.templating import Jinja2Templates

from kg import explore
from kg.query import first_documents, relation_counts, type_counts
from kg.search import DocumentText
from kg.server.results import Answer
from kg.server.sparql import run_query
from kg.views import load_looks, view_html
from kg.vocab import KGR_IRI, PREFIXES

__all__ = ["PAGES", "doc_url", "entity_url", "error_page", "examples"]

_HERE = Path(__file__).parent
_DOC = KGR_IRI + "doc/"
_MAX_VIEW = 150  # entities drawn in a frame
_LISTED = 50  # documents listed on the home page, the first by path
_ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"


def entity_url(iri: str) -> str:
    """Return the page of an entity: ``/entity/Type/name`` (the IRI's own escapes kept).

    >>> entity_url(KGR_IRI + "Region/A%20B")
    '/entity/Region/A%2520B'
    """
    return "/entity/" + quote(iri.removeprefix(KGR_IRI), safe="/")


def doc_url(doc_id: str, sentence: int | None = None) -> str:
    """Return the page of a document, at a sentence if given.

    >>> doc_url("a b/c.txt", 3)
    '/doc/a%20b/c.txt#s3'
    """
    return "/doc/" + quote(doc_id, safe="/") + (f"#s{sentence}" if sentence is not None else "")


def examples() -> list[tuple[str, str]]:
    """Return the example queries, ``(title, query)``, from ``examples/*.rq``.

    Each file's first line is a comment holding its title.
    """
    found = []
    for path in sorted((_HERE / "examples").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        title, _, body = text.partition("\n")
        found.append((title.lstrip("# ").strip(), body.strip() + "\n"))
    return found


# NUL and the other control characters cannot be written in HTML, escaped or not (a
# parser drops or replaces them): every value a page shows has them replaced, as a
# parser would, before it is escaped.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _shown(value: Any) -> Any:
    r"""Return a value for a page: a plain string without control characters.

    >>> _shown("甬江\x00科创区") == "甬江\ufffd科创区", _shown(Markup("<b>\x00</b>")), _shown(3)
    (True, Markup('<b>\x00</b>'), 3)
    """
    if isinstance(value, str) and not isinstance(value, Markup):
        return _CONTROLS.sub("\ufffd", value)
    return value


_templates = Jinja2Templates(
    env=Environment(loader=FileSystemLoader(_HERE / "templates"), autoescape=True, finalize=_shown)
)
_templates.env.globals.update(
    entity_url=entity_url, doc_url=doc_url, urlencode=urlencode, looks=lambda: load_looks(),
    query_url=lambda sparql: "/query?" + urlencode({"query": sparql}),
    group_query=explore.group_query, evidence_query=explore.evidence_query,
    documents_query=explore.documents_query,
)  # fmt: skip
_templates.env.filters["thousands"] = "{:,}".format


def _page(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    return _templates.TemplateResponse(request, name, context, status_code=status)


async def home(request: Request) -> Response:
    """Counts, a search box, example questions and the most linked entities."""
    source = request.app.state.source
    where = source.location
    counts = await run_in_threadpool(
        lambda: (type_counts(where), relation_counts(where), first_documents(where, limit=_LISTED))
    )
    total, documents = counts[2]
    top = await run_in_threadpool(explore.rank, source, limit=12)
    return _page(request, "home.html", types=counts[0], relations=counts[1], total=total,
                 documents=documents, top=top, examples=examples())  # fmt: skip


async def search_page(request: Request) -> Response:
    """Entities by label or alias, and sentences in full text with the match marked."""
    source, q = request.app.state.source, request.query_params.get("q", "").strip()[:200]
    entities = await run_in_threadpool(source.find_entities, q, limit=50) if q else []
    sentences = await run_in_threadpool(source.find_sentences, q, limit=100) if q else []
    return _page(request, "search.html", q=q, entities=entities, sentences=sentences,
                 remote=source.remote)  # fmt: skip


async def entity_page(request: Request) -> Response:
    """An entity's card, with its neighbourhood drawn in a frame.

    The card is bounded (``explore.entity_card``); what it leaves out links to the query
    page with the SPARQL that lists it all.
    """
    key = request.path_params["key"]
    card = await run_in_threadpool(explore.entity_card, request.app.state.source, KGR_IRI + key)
    view = "/view/entity/" + quote(card.entity.key, safe="/")
    return _page(request, "entity.html", card=card, view=view)


async def document_page(request: Request) -> Response:
    """A document's text with its entities marked by type, each linking to its page."""
    doc_id = request.path_params["doc_id"]
    source = request.app.state.source
    doc = await run_in_threadpool(source.read_document, doc_id)
    if doc is None:
        return _page(request, "error.html", 404, message=f"no document {doc_id!r} in this graph")
    return _page(request, "document.html", doc=doc, parts=_parts(doc), remote=source.remote)


async def path_page(request: Request) -> Response:
    """The chains of relations from one entity to another."""
    source, params = request.app.state.source, request.query_params
    a, b = params.get("from", "").strip(), params.get("to", "").strip()
    hops = _int(params.get("max_hops"), 6, 1, 10)
    chains: list[explore.Chain] = []
    if a and b:
        chains = await run_in_threadpool(explore.paths, source, a, b, max_hops=hops)
    view = "/view/path?" + urlencode({"from": a, "to": b, "max_hops": hops}) if chains else ""
    return _page(request, "path.html", a=a, b=b, hops=hops, chains=chains, view=view)


async def query_page(request: Request) -> Response:
    """A query editor, an examples gallery, and the result as a table or a network."""
    state, params = request.app.state, request.query_params
    sparql, shown = params.get("query", ""), params.get("view", "table")
    result: dict[str, Any] = {}
    if sparql.strip():
        answer = await run_query(state.pool, state.limits, sparql, _ACCEPT, None, state.max_rows)
        result = await run_in_threadpool(_table, state.source, answer)
    links = {v: "/query?" + urlencode({"query": sparql, "view": v}) for v in ("table", "network")}
    downloads = {
        f: "/sparql?" + urlencode({"query": sparql, "format": f, "download": 1})
        for f in ("csv", "json")
    }
    view = "/view/query?" + urlencode({"query": sparql}) if shown == "network" else ""
    return _page(request, "query.html", sparql=sparql, result=result, links=links, shown=shown,
                 downloads=downloads, view=view, examples=examples())  # fmt: skip


async def entity_view(request: Request) -> Response:
    """The network view of an entity's neighbourhood (shown in the entity page's frame)."""
    source = request.app.state.source
    card = await run_in_threadpool(
        explore.find_entity, source, KGR_IRI + request.path_params["key"]
    )
    return await run_in_threadpool(_neighbourhood_view, source, card.iri, card.label)


def _neighbourhood_view(source: explore.Source, iri: str, label: str) -> Response:
    """Draw an entity's neighbours: read them, their links and the drawn links' evidence."""
    graph = source.neighbourhood(iri, 1)
    return _view(graph, label, iri, evidence=source.add_evidence)


async def path_view(request: Request) -> Response:
    """The network view of the chains between two entities."""
    source, params = request.app.state.source, request.query_params
    hops = _int(params.get("max_hops"), 6, 1, 10)
    chains = await run_in_threadpool(
        explore.paths, source, params.get("from", ""), params.get("to", ""), max_hops=hops
    )
    nodes = {e.iri for chain in chains for e in chain.entities}
    network = await run_in_threadpool(source.network)
    title = f"{params.get('from', '')} → {params.get('to', '')}"
    return await run_in_threadpool(_view, network.subgraph(nodes), title, None, source.add_evidence)


async def query_view(request: Request) -> Response:
    """The network view of a query's result: its entities and the relations among them."""
    state = request.app.state
    sparql = request.query_params.get("query", "")
    answer = await run_query(state.pool, state.limits, sparql, _ACCEPT, None, state.max_rows)
    if answer.status != 200:
        return Response(answer.body, answer.status, media_type=answer.media_type)
    network = await run_in_threadpool(state.source.network)
    found = network.subgraph([iri for iri in _iris(answer) if iri in network])
    return await run_in_threadpool(_view, found, "query result", None, state.source.add_evidence)


def error_page(request: Request, status: int, message: str, candidates: Any) -> Response:
    """Return the error page: the message and, for a name, the closest entities."""
    return _page(request, "error.html", status, message=message, candidates=candidates)


def _view(
    graph: Any,
    title: str,
    focus: str | None = None,
    evidence: Callable[[nx.MultiDiGraph], None] | None = None,
) -> Response:
    page = view_html(
        graph, title=title, focus=focus, max_nodes=_MAX_VIEW, assets="/assets/", evidence=evidence
    )
    return HTMLResponse(page)


def _parts(doc: DocumentText) -> list[dict[str, Any]]:
    """Split a document's text into plain runs, sentence anchors and marked mentions."""
    anchors = sorted((start, index) for index, start, _ in doc.sentences)
    parts: list[dict[str, Any]] = []
    pos = 0

    def plain(end: int) -> None:
        nonlocal pos
        while anchors and anchors[0][0] <= end:
            start, index = anchors.pop(0)
            if start > pos:
                parts.append({"text": doc.text[pos:start]})
                pos = start
            parts.append({"anchor": f"s{index}"})
        if end > pos:
            parts.append({"text": doc.text[pos:end]})
            pos = end

    for m in doc.mentions:
        if m.start < pos:
            continue  # overlaps a longer mention already marked
        plain(m.start)
        parts.append({"text": doc.text[m.start : m.end], "href": entity_url(m.iri), "type": m.type})
        pos = m.end
    plain(len(doc.text))
    return parts


def _iris(answer: Answer) -> list[str]:
    """Return the IRIs in a result: SELECT bindings, or a CONSTRUCT's Turtle."""
    if answer.media_type.startswith("text/turtle"):
        return re.findall(r"<([^<>\s]*)>", answer.body.decode("utf-8"))
    data = json.loads(answer.body)
    rows = data.get("results", {}).get("bindings", [])
    return [v["value"] for row in rows for v in row.values() if v.get("type") == "uri"]


def _table(source: explore.Source, answer: Answer) -> dict[str, Any]:
    """Return a query's answer as table rows of cells with labels and links."""
    body = answer.body
    if answer.status != 200:
        return {"error": body.decode("utf-8", "replace"), "status": answer.status}
    if answer.media_type.startswith("text/turtle"):
        return {"turtle": body.decode("utf-8"), "note": answer.headers.get("KG-Truncated", "")}
    data = json.loads(body)
    if "boolean" in data:
        return {"boolean": data["boolean"]}
    network = source.network()
    names = data["head"]["vars"]
    rows = [[_cell(row.get(n), network) for n in names] for row in data["results"]["bindings"]]
    return {"names": names, "rows": rows, "note": data.get("kg:truncated", "")}


def _cell(value: dict[str, str] | None, network: Any) -> dict[str, str]:
    if value is None:
        return {"text": ""}
    text = value["value"]
    if value["type"] != "uri":
        return {"text": text, "lang": value.get("xml:lang", "")}
    if text in network:
        node = network.nodes[text]
        return {
            "text": node["label"],
            "href": entity_url(text),
            "title": text,
            "type": node["type"],
        }
    if text.startswith(_DOC):
        doc, _, fragment = text.removeprefix(_DOC).partition("#")
        anchor = "#" + fragment if fragment.startswith("s") else ""
        return {"text": _compact(text), "href": doc_url(unquote(doc)) + anchor, "title": text}
    return {"text": _compact(text), "title": text}


def _compact(iri: str) -> str:
    """Return an IRI prefixed when a known prefix fits.

    >>> _compact("https://w3id.org/policy-kg/ontology#supports"), _compact("http://example.org/x")
    ('kgo:supports', '<http://example.org/x>')
    """
    for prefix, base in PREFIXES.items():
        if iri.startswith(base):
            return f"{prefix}:{iri[len(base) :]}"
    return f"<{iri}>"


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(value or default), low), high)
    except ValueError:
        return default


#: (path, handler) of every page
PAGES = (
    ("/", home),
    ("/search", search_page),
    ("/entity/{key:path}", entity_page),
    ("/doc/{doc_id:path}", document_page),
    ("/path", path_page),
    ("/query", query_page),
    ("/view/entity/{key:path}", entity_view),
    ("/view/path", path_view),
    ("/view/query", query_view),
)
