"""Check a SPARQL query's text before any parser sees it.

Oxigraph 0.5 crashes the whole process (stack overflow) on a query with a few
thousand nested brackets, sends ``SERVICE`` and ``LOAD`` to the network, and has no
way to stop a running query. So the endpoint refuses, without parsing
(``check_query``): over-long queries, brackets nested deeper than a limit, updates,
``SERVICE``, ``LOAD``, and ``FROM`` / ``FROM NAMED`` clauses naming an IRI that is not
a graph of the store (checked by the worker, which has the store open). Queries then
run in worker processes (``kg.server.pool``), so a crash the checks miss costs one
worker, not the server. Every query run on a local store, from the command line or
from Python, is checked for ``SERVICE`` too (``check_local``, called by
``kg.store.query``): no query of kg's reaches the network. (``LOAD`` is an update,
which ``kg.store.query`` does not run.)

The scan is a small lexer: strings, IRIs and comments are skipped so that brackets
or keywords inside them do not count. SPARQL allows ``\\uXXXX`` escapes anywhere; the
text is scanned as written and once more with the escapes decoded, and the stricter
answer wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from kg.errors import QueryError
from kg.vocab import PREFIXES

__all__ = ["Limits", "QueryRefused", "check_local", "check_query", "is_update"]

_TOKEN = re.compile(
    r'''(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
    r"""|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
    r"""|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)"""
    r"|(?P<comment>\#[^\n]*)"
    r"|(?P<var>[?$]\w+)"
    r"|(?P<pname>(?P<prefix>[A-Za-z][\w.-]*)?:(?P<local>(?:[\w%.:-]|\\.)*))"
    r"|(?P<word>[A-Za-z_]\w*)"
    r"|(?P<open>[{(\[])|(?P<close>[})\]])"
    r"|(?P<other>\S)",
    re.DOTALL,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
_REMOTE = {"SERVICE", "LOAD"}


class QueryRefused(QueryError):
    """A query the endpoint will not run; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Limits:
    """How long and how deeply nested a query may be."""

    max_length: int = 20_000
    max_depth: int = 64


def check_query(text: str, limits: Limits = Limits()) -> tuple[str, ...]:
    """Refuse a query that must not reach the engine; return the graph IRIs it names.

    Args:
        text: the query as received.
        limits: the length and nesting limits.

    Returns:
        The IRIs of its ``FROM`` and ``FROM NAMED`` clauses, for the worker to check
        against the store's graphs.

    Raises:
        QueryRefused: 400 for an over-long, over-deep or malformed dataset clause,
            403 for an update, ``SERVICE`` or ``LOAD``.

    >>> check_query("SELECT * FROM <https://w3id.org/policy-kg/id/doc/a.txt> { ?s ?p ?o }")
    ('https://w3id.org/policy-kg/id/doc/a.txt',)
    >>> check_query("SELECT * { SERVICE <http://x> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    kg.guard.QueryRefused: SERVICE is refused: this endpoint never reaches the network
    """
    if len(text) > limits.max_length:
        raise QueryRefused(
            400, f"query too long: {len(text):,} characters; at most {limits.max_length:,}"
        )
    graphs: tuple[str, ...] = ()
    for version in _readings(text):
        graphs += _scan(version, limits)
    return tuple(dict.fromkeys(graphs))


def check_local(text: str) -> None:
    """Refuse a query that would reach the network (``SERVICE``), before a local store
    runs it.

    Raises:
        QueryRefused: the query holds ``SERVICE`` (status 403).

    >>> check_local("SELECT * { ?s rdfs:comment 'a SERVICE' }")
    >>> check_local("SELECT * { SERVICE <http://x> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    kg.guard.QueryRefused: SERVICE is refused: kg never sends a query to the network
    """
    if "service" not in text.casefold() and "\\u" not in text and "\\U" not in text:
        return  # the keyword is nowhere, even escaped: nothing to scan (kg's own queries)
    for version in _readings(text):
        for token in _TOKEN.finditer(version):
            if (token["word"] or "").upper() == "SERVICE":
                raise QueryRefused(403, "SERVICE is refused: kg never sends a query to the network")


def is_update(text: str) -> bool:
    """Return True when ``text`` is a SPARQL update: its first keyword after the PREFIX
    and BASE declarations is an update's.

    >>> is_update("PREFIX ex: <http://x/> INSERT DATA { ex:a ex:b ex:c }")
    True
    >>> is_update("SELECT ?insert { ?insert ?p 'DELETE' }")
    False
    """
    for token in _TOKEN.finditer(text):
        word = (token["word"] or "").upper()
        if word and word not in ("PREFIX", "BASE"):
            return word in _UPDATES
    return False


def _readings(text: str) -> tuple[str, ...]:
    """Return the text as written and, if it holds any, with its \\u escapes decoded."""
    decoded = _ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16)), text)
    return tuple(dict.fromkeys((text, decoded)))


def _scan(text: str, limits: Limits) -> tuple[str, ...]:
    """Check one reading of the text; return the IRIs of its dataset clauses."""
    if is_update(text):
        raise QueryRefused(403, "updates are refused: this endpoint is read-only")
    depth = deepest = 0
    prefixes = dict(PREFIXES)
    base = ""
    tokens = [t for t in _TOKEN.finditer(text) if not t["comment"]]
    graphs: list[str] = []
    for i, token in enumerate(tokens):
        if token["open"]:
            depth += 1
            deepest = max(deepest, depth)
            if deepest > limits.max_depth:
                raise QueryRefused(
                    400, f"query nested too deeply: more than {limits.max_depth} levels of brackets"
                )
        elif token["close"]:
            depth = max(depth - 1, 0)
        word = (token["word"] or "").upper()
        if not word:
            continue
        after = tokens[i + 1 : i + 3]
        if word == "PREFIX" and len(after) == 2 and after[0]["pname"] and after[1]["iri"]:
            prefixes[after[0]["prefix"] or ""] = after[1]["iri"][1:-1]
        elif word == "BASE" and after and after[0]["iri"]:
            base = after[0]["iri"][1:-1]
        if word in _REMOTE:
            raise QueryRefused(403, f"{word} is refused: this endpoint never reaches the network")
        if word == "FROM":
            graphs.append(_graph(after, prefixes, base))
    return tuple(graphs)


def _graph(after: list[re.Match[str]], prefixes: dict[str, str], base: str) -> str:
    """Return the absolute IRI a ``FROM`` or ``FROM NAMED`` clause names."""
    if after and (after[0]["word"] or "").upper() == "NAMED":
        after = after[1:]
    if not after or not (after[0]["iri"] or after[0]["pname"]):
        raise QueryRefused(400, "FROM must name a graph by its IRI")
    token = after[0]
    if token["iri"]:
        iri = token["iri"][1:-1]
        iri = iri if urlsplit(iri).scheme or not base else base + iri
    else:
        prefix = token["prefix"] or ""
        if prefix not in prefixes:
            raise QueryRefused(400, f"unknown prefix '{prefix}:' in FROM")
        iri = prefixes[prefix] + token["local"]
    if not urlsplit(iri).scheme:
        raise QueryRefused(400, f"FROM needs an absolute IRI, not <{iri}>")
    return iri
