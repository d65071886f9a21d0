"""Run one query in a worker process and write its results, cut at a row limit.

Runs inside the worker processes of ``kg.server.pool``: it opens the store read-only
through ``kg.store`` and returns an ``Answer`` (status, media type, body), never
raising. ``forward`` does the same with a remote SPARQL server's answer
(``kg.server.forward``), so that both are written, and cut, alike. Results are written
here rather than by the engine's serializers so that a result can stop at ``max_rows``;
a cut result says so in a header and, where the format has room for it, in the body (a
comment, or a ``kg:truncated`` member in JSON).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    RdfFormat,
    Triple,
    serialize,
)

from kg import store
from kg.errors import KgError, QueryError
from kg.vocab import PREFIXES

__all__ = ["GRAPH_FORMATS", "RESULT_FORMATS", "Answer", "Job", "answer", "choose", "forward"]

#: short name -> media type, for SELECT and ASK results (the first is the default)
RESULT_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
#: short name -> media type, for CONSTRUCT and DESCRIBE results (the first is the default)
GRAPH_FORMATS = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}
_ALSO = {
    "application/json": "json", "text/javascript": "json", "application/javascript": "json",
    "application/xml": "xml", "text/xml": "xml", "application/x-turtle": "turtle",
    "text/plain": "ntriples", "text/n3": "turtle",
}  # fmt: skip
#: other short names clients send as ``format`` (SPARQLWrapper sends ``xml`` for RDF/XML)
_SHORT = {"xml": "rdfxml", "rdf": "rdfxml", "json": "jsonld", "ttl": "turtle", "nt": "ntriples"}
_RDF = {
    "turtle": RdfFormat.TURTLE, "ntriples": RdfFormat.N_TRIPLES,
    "rdfxml": RdfFormat.RDF_XML, "jsonld": RdfFormat.JSON_LD,
}  # fmt: skip
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class Job:
    """A checked query for a worker: the text, the client's wishes and the limits."""

    sparql: str
    accept: str = "*/*"
    format: str | None = None
    max_rows: int = 10_000
    graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """What to send back: status, media type, body and extra headers."""

    status: int
    media_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def error(cls, status: int, message: str) -> Answer:
        """Return a plain-text error answer."""
        return cls(status, "text/plain; charset=utf-8", (message + "\n").encode())


def answer(folder: Path, job: Job) -> Answer:
    """Run ``job`` on the store at ``folder``; errors become 4xx or 5xx answers."""
    try:
        for graph in job.graphs:
            if not store.open_store(folder).contains_named_graph(NamedNode(graph)):
                return Answer.error(400, f"FROM <{graph}>: no such graph in this store")
        result = store.query(folder, job.sparql)
        return _write(result, job)
    except QueryError as exc:
        return Answer.error(400, str(exc))
    except KgError as exc:
        return Answer.error(500, str(exc))
    except (OSError, RuntimeError, ValueError) as exc:  # raised while results stream
        return Answer.error(500, f"the query failed: {exc}")


def forward(url: str, job: Job, timeout: float) -> Answer:
    """Run ``job`` on the SPARQL server at ``url``; its refusals and failures become answers.

    A query the server refuses is answered 400 with the server's message; a server
    that cannot be reached, times out or sends a partial or unreadable answer, 502.
    Nothing of the answer names the credentials (``kg.remote`` redacts them).
    """
    from kg.remote import RemoteError
    from kg.remote.sparql import query

    try:
        result = query(url, job.sparql, timeout=timeout)
        return _write(result, job)
    except QueryError as exc:
        return Answer.error(400, str(exc))
    except RemoteError as exc:
        return Answer.error(502, f"the SPARQL server gave no answer: {exc}")
    except (OSError, RuntimeError, ValueError) as exc:  # raised while results are written
        return Answer.error(500, f"the query failed: {exc}")


def choose(accept: str, fmt: str | None, formats: dict[str, str]) -> str | None:
    """Return the short name of the format to answer in, or None if none fits.

    ``fmt`` (a ``format`` parameter: short name or media type) wins over the Accept
    header; ``*/*``, an empty header or none fits gives the default.

    >>> choose("text/csv;q=0.5, application/sparql-results+xml", None, RESULT_FORMATS)
    'xml'
    >>> choose("*/*", "tsv", RESULT_FORMATS)
    'tsv'
    """
    by_type = {media: name for name, media in formats.items()}
    by_type |= {media: name for media, name in _ALSO.items() if name in formats}
    if fmt:
        fmt = fmt.strip().lower()
        fmt = fmt if fmt in formats else _SHORT.get(fmt, fmt)
        return fmt if fmt in formats else by_type.get(fmt)
    wanted = []
    for i, part in enumerate(accept.split(",")):
        media, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        wanted.append((-q, i, media.strip().lower()))
    for q, _, media in sorted(wanted):
        if q < 0 and (media in by_type or media in ("*/*", "", "application/*", "text/*")):
            return by_type.get(media, next(iter(formats)))
    return next(iter(formats))


def _write(result: Any, job: Job) -> Answer:
    graph = not isinstance(result, QuerySolutions | QueryBoolean)
    formats = GRAPH_FORMATS if graph else RESULT_FORMATS
    name = choose(job.accept, job.format, formats)
    if name is None:
        return Answer.error(406, f"unknown format {job.format!r}; choose {', '.join(formats)}")
    media = formats[name] + ("; charset=utf-8" if name in ("csv", "tsv", "turtle") else "")
    if isinstance(result, QueryBoolean):
        return Answer(200, media, _boolean(bool(result), name))
    rows = list(islice(result, job.max_rows + 1))
    cut = len(rows) > job.max_rows
    rows = rows[: job.max_rows]
    note = f"result cut at {job.max_rows:,} rows (the server's limit)" if cut else ""
    headers = {"KG-Truncated": "true", "KG-Row-Limit": str(job.max_rows)} if cut else {}
    if graph:
        body = serialize(rows, format=_RDF[name], prefixes=PREFIXES if name == "turtle" else None)
        comment = f"# {note}\n".encode() if note and name in ("turtle", "ntriples") else b""
        return Answer(200, media, comment + (body or b""), headers)
    names = [v.value for v in result.variables]
    return Answer(200, media, _solutions(names, rows, name, note).encode(), headers)


def _boolean(value: bool, name: str) -> bytes:
    if name == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if name == "xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{str(value).lower()}</boolean></sparql>\n"
        ).encode()
    return f"{str(value).lower()}\n".encode()


def _solutions(names: list[str], rows: list[Any], name: str, note: str) -> str:
    if name == "json":
        bindings = [{n: _json(row[n]) for n in names if row[n] is not None} for row in rows]
        data: dict[str, Any] = {"head": {"vars": names}, "results": {"bindings": bindings}}
        if note:
            data["kg:truncated"] = note
        return json.dumps(data, ensure_ascii=False)
    if name == "xml":
        return _xml(names, rows, note)
    out = io.StringIO()
    if name == "csv":
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(names)
        writer.writerows([_plain(row[n]) for n in names] for row in rows)
        return out.getvalue()
    lines = ["\t".join(f"?{n}" for n in names)]
    lines += ["\t".join("" if row[n] is None else str(row[n]) for n in names) for row in rows]
    return "\n".join(lines) + "\n"


def _json(term: Any) -> dict[str, Any]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Triple):
        parts = zip(("subject", "predicate", "object"), term, strict=True)
        return {"type": "triple", "value": {k: _json(v) for k, v in parts}}
    value: dict[str, Any] = {"type": "literal", "value": term.value}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype.value not in (_XSD_STRING, _LANG_STRING):
        value["datatype"] = term.datatype.value
    return value


def _plain(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, NamedNode | Literal) else str(term)


def _xml(names: list[str], rows: Iterable[Any], note: str) -> str:
    parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    parts.append("<head>" + "".join(f"<variable name={quoteattr(n)}/>" for n in names) + "</head>")
    if note:
        parts.append(f"<!-- {escape(note)} -->")
    parts.append("<results>")
    for row in rows:
        parts.append("<result>")
        for n in names:
            if row[n] is not None:
                parts.append(f"<binding name={quoteattr(n)}>{_xml_term(row[n])}</binding>")
        parts.append("</result>")
    parts.append("</results></sparql>\n")
    return "\n".join(parts)


def _xml_term(term: Any) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f'<literal xml:lang="{escape(term.language)}">{escape(term.value)}</literal>'
        if term.datatype.value not in (_XSD_STRING, _LANG_STRING):
            return (
                f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
            )
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"
