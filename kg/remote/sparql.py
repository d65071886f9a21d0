"""Query a server's SPARQL endpoint as if it were the local store.

The query goes out by POST (SPARQL 1.1 Protocol) with the prefixes of
``kg.vocab.PREFIXES`` declared on its first line, so that line numbers in the
server's messages stay those of the query. SELECT and ASK answers are asked for as
SPARQL JSON results and CONSTRUCT and DESCRIBE ones as N-Triples; both are parsed
into the engine's own types, so ``kg.query.render`` prints them as it prints local
results. With no dataset named, a server queries the union of its graphs (Virtuoso,
Fuseki with ``unionDefaultGraph``, GraphDB), as the local store does; a server that
holds other graphs as well answers over those too.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kg.errors import QueryError
from kg.remote import RemoteError, redact
from kg.remote._http import Connection
from kg.remote._rdf import parse_graph, parse_results
from kg.vocab import PREFIXES

if TYPE_CHECKING:
    from pyoxigraph import QueryBoolean, QuerySolutions, Triple

__all__ = ["query", "query_form"]

_RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
_GRAPH = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
# Tokens of a query's prologue that may contain a form's keyword without being one.
_TOKENS = re.compile(
    r"""<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\#[^\n]*|[?$]\w+"""
    r"""|[\w-]+:|(?P<form>\b(?:SELECT|ASK|CONSTRUCT|DESCRIBE)\b)""",
    re.IGNORECASE,
)


def query_form(sparql: str) -> str:
    """Return the form of a query: SELECT, ASK, CONSTRUCT or DESCRIBE.

    Raises:
        QueryError: the text is not a query (an update, or no query at all).

    >>> query_form("PREFIX select: <http://e/#> # ask\\nconstruct { ?s ?p ?o } WHERE {}")
    'CONSTRUCT'
    """
    for token in _TOKENS.finditer(sparql):
        if token["form"]:
            return token["form"].upper()
    raise QueryError("malformed query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")


def query(
    url: str, sparql: str, *, timeout: float = 60.0
) -> QuerySolutions | QueryBoolean | list[Triple]:
    """Run a query on the SPARQL endpoint at ``url``; the prefixes of ``PREFIXES`` are declared.

    Args:
        url: the endpoint, e.g. Virtuoso's ``http://host:8890/sparql``.
        sparql: a SPARQL 1.1 query.
        timeout: seconds to wait for the server.

    Returns:
        Solutions or a boolean, as ``kg.store.query`` returns them, or the triples of a
        CONSTRUCT or DESCRIBE query.

    Raises:
        QueryError: the query is malformed (the server's message), or is an update.
        RemoteError: the server cannot be reached, times out, refuses the credentials,
            or answers with a partial or unreadable result.
    """
    form = query_form(sparql)
    accept = _RESULTS if form in ("SELECT", "ASK") else _GRAPH
    prologue = " ".join(f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items())
    with Connection(url, timeout=timeout) as conn:
        answer = conn.request(
            "POST", url, data={"query": f"{prologue} {sparql}"}, headers={"Accept": accept}
        )
    if answer.status == 400:
        raise QueryError(f"the server refused the query: {_message(answer.body)}")
    if answer.problem:
        raise RemoteError(f"{redact(url)}: {answer.problem}")
    try:
        if form in ("SELECT", "ASK"):
            return parse_results(answer.body, answer.media_type)
        return parse_graph(answer.body, answer.media_type)
    except ValueError as exc:
        raise RemoteError(f"{redact(url)}: {exc}") from None


def _message(body: bytes) -> str:
    """Return the gist of a server's error page: its first paragraph, on one line."""
    text = body.decode("utf-8", "replace").strip()
    first = re.split(r"\n\s*\n|SPARQL query:", text, maxsplit=1)[0]
    return " ".join(first.split())[:500] or "no reason given"
