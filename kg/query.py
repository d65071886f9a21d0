"""Run SPARQL over a built graph, format the results, and answer the stock questions.

``run`` returns text in one of ``FORMATS``: a table for people, CSV and TSV, the
SPARQL 1.1 Query Results JSON format for programs, and Turtle or N-Triples for
``CONSTRUCT`` and ``DESCRIBE``. ``stats`` counts entities per type, relations per
type and what each document holds.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Triple,
    serialize,
)

from kg import store
from kg.errors import QueryError
from kg.model import EntityType, RelationType
from kg.remote import is_url
from kg.vocab import KGR_IRI, PREFIXES

__all__ = [
    "FORMATS",
    "DocumentStats",
    "Stats",
    "compact",
    "first_documents",
    "format_stats",
    "relation_counts",
    "render",
    "run",
    "stats",
    "type_counts",
]

_RESULTS = {"csv": QueryResultsFormat.CSV, "tsv": QueryResultsFormat.TSV}
_RESULTS["json"] = QueryResultsFormat.JSON
_GRAPHS = {"turtle": RdfFormat.TURTLE, "ntriples": RdfFormat.N_TRIPLES}
#: Output formats: ``table`` and the keys of the results formats for SELECT and ASK,
#: ``turtle`` and ``ntriples`` for CONSTRUCT and DESCRIBE.
FORMATS = ("table", *_RESULTS, *_GRAPHS)

_TYPES = " ".join(f"kgo:{t.value}" for t in EntityType)
_RELATIONS = " ".join(f"kgo:{r.value}" for r in RelationType)

_TYPE_COUNTS = f"""
SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE {{ VALUES ?type {{ {_TYPES} }} ?e a ?type }}
GROUP BY ?type"""
_RELATION_COUNTS = f"""
SELECT ?rel (COUNT(*) AS ?n) WHERE {{
  {{ SELECT DISTINCT ?h ?rel ?t WHERE {{ VALUES ?rel {{ {_RELATIONS} }} ?h ?rel ?t }} }}
}} GROUP BY ?rel"""
_STATISTICS = f"<{KGR_IRI}graph/statistics>"
_STORED_TYPES = f"""
SELECT ?type ?n WHERE {{ GRAPH {_STATISTICS} {{
  kgr:dataset void:classPartition ?p . ?p void:class ?type ; void:entities ?n }} }}"""
_STORED_RELATIONS = f"""
SELECT ?rel ?n WHERE {{ GRAPH {_STATISTICS} {{
  kgr:dataset void:propertyPartition ?p . ?p void:property ?rel ; void:triples ?n }} }}"""
# ``{some}``: nothing, or a VALUES block naming the documents' graphs to count in.
_DOCUMENT_COUNTS = """
SELECT ?path ?title ?sentences ?mentions ?entities ?relations WHERE {{ {some}
  GRAPH ?g {{ ?g a kgo:Document ; kgo:sourcePath ?path . OPTIONAL {{ ?g dcterms:title ?title }} }}
  OPTIONAL {{ SELECT ?g (COUNT(*) AS ?sentences)
             WHERE {{ {some} GRAPH ?g {{ ?x a kgo:Sentence }} }} GROUP BY ?g }}
  OPTIONAL {{ SELECT ?g (COUNT(*) AS ?mentions)
             WHERE {{ {some} GRAPH ?g {{ ?x a kgo:Mention }} }} GROUP BY ?g }}
  OPTIONAL {{ SELECT ?g (COUNT(*) AS ?entities)
             WHERE {{ {some} GRAPH ?g {{ ?g kgo:mentions ?x }} }} GROUP BY ?g }}
  OPTIONAL {{ SELECT ?g (COUNT(*) AS ?relations)
             WHERE {{ {some} GRAPH ?g {{ ?x a kgo:RelationAssertion }} }} GROUP BY ?g }}
}} ORDER BY ?path"""
_DOCUMENT_TOTAL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?g a kgo:Document } }"
_FIRST_DOCUMENTS = """
SELECT ?g WHERE {{ GRAPH ?g {{ ?g a kgo:Document ; kgo:sourcePath ?path }} }}
ORDER BY ?path LIMIT {limit}"""


@dataclass(frozen=True)
class DocumentStats:
    """What one document's graph holds.

    ``sentences`` counts the sentences the graph cites: those with a mention.
    """

    path: str
    title: str
    sentences: int
    mentions: int
    entities: int
    relations: int


@dataclass(frozen=True)
class Stats:
    """Counts over a whole graph."""

    types: dict[str, int]
    relations: dict[str, int]
    documents: tuple[DocumentStats, ...]


def run(folder: Path | str, sparql: str, *, fmt: str | None = None) -> str:
    """Run a query on the graph at ``folder`` and return its results as text.

    Args:
        folder: the output folder of a build, or the URL of a SPARQL endpoint
            (a ``str`` starting with ``http://`` or ``https://``; see ``kg.remote``).
        sparql: a SPARQL 1.1 query; the prefixes of ``kg.vocab.PREFIXES`` are declared.
        fmt: one of ``FORMATS``; by default ``table`` for SELECT and ASK, ``turtle``
            for CONSTRUCT and DESCRIBE.

    Raises:
        QueryError: the query is malformed, names an unknown prefix, or the format
            does not fit the kind of query.
        StoreError: no graph has been built at ``folder``.
        RemoteError: the SPARQL endpoint cannot be reached or answers wrongly.
    """
    if fmt is not None and fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; choose {', '.join(FORMATS)}")
    if is_url(folder):
        from kg.remote.sparql import query as remote_query  # loads an HTTP client

        return render(remote_query(str(folder), sparql), fmt)
    return render(store.query(Path(folder), sparql), fmt)


def render(
    result: QuerySolutions | QueryBoolean | QueryTriples | list[Triple], fmt: str | None = None
) -> str:
    """Format a query result as text in one of ``FORMATS``.

    ``result`` may also be the triples of a CONSTRUCT answer from a remote endpoint.

    >>> from pyoxigraph import Store
    >>> print(render(Store().query("SELECT ?x WHERE { VALUES ?x { 'a' } }"), "json"), end="")
    {"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"a"}}]}}
    """
    if isinstance(result, QueryTriples | list):
        fmt = fmt or "turtle"
        if fmt not in _GRAPHS:
            raise QueryError(f"CONSTRUCT and DESCRIBE results come as {' or '.join(_GRAPHS)}")
        data = serialize(result, format=_GRAPHS[fmt], prefixes=_prefixes(fmt))
        return (data or b"").decode()
    fmt = fmt or "table"
    if fmt in _GRAPHS:
        raise QueryError(f"SELECT and ASK results come as {', '.join(['table', *_RESULTS])}")
    if fmt == "table":
        if isinstance(result, QueryBoolean):
            return "true\n" if bool(result) else "false\n"
        return _table(result)
    text = (result.serialize(format=_RESULTS[fmt]) or b"").decode()
    end = "\r\n" if fmt == "csv" else "\n"  # so that a shell prompt starts on its own line
    return text if text.endswith(end) else text + end


def compact(term: object) -> str:
    """Return a term as people read it: a prefixed IRI or a literal's text.

    >>> compact(NamedNode("https://w3id.org/policy-kg/id/Region/A"))
    'kgr:Region/A'
    >>> compact(Literal("A", language="zh"))
    'A'
    """
    if isinstance(term, NamedNode):
        for prefix, base in PREFIXES.items():
            if term.value.startswith(base):
                return f"{prefix}:{term.value[len(base) :]}"
        return f"<{term.value}>"
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        return term.value
    return "" if term is None else str(term)


def type_counts(folder: Path | str) -> dict[str, int]:
    """Count the entities of each type, every type listed.

    ``folder`` is an output folder or a SPARQL endpoint's URL, as for ``run``. The
    counts come from the statistics the build stored (VoID class partitions), or are
    counted in the graph if it has none.
    """
    rows = list(_select(folder, _STORED_TYPES)) or _select(folder, _TYPE_COUNTS)
    found = {compact(row["type"]): int(row["n"].value) for row in rows}
    return {t.value: found.get(f"kgo:{t.value}", 0) for t in EntityType}


def relation_counts(folder: Path | str) -> dict[str, int]:
    """Count the distinct facts of each relation, every relation listed.

    ``folder`` is an output folder or a SPARQL endpoint's URL, as for ``run``. The
    counts come from the statistics the build stored (VoID property partitions), or
    are counted in the graph if it has none.
    """
    rows = list(_select(folder, _STORED_RELATIONS)) or _select(folder, _RELATION_COUNTS)
    found = {compact(row["rel"]): int(row["n"].value) for row in rows}
    return {r.value: found.get(f"kgo:{r.value}", 0) for r in RelationType}


def stats(folder: Path | str) -> Stats:
    """Count entities per type, relations per type, and what each document holds.

    ``folder`` is an output folder or a SPARQL endpoint's URL, as for ``run``.
    """
    return Stats(type_counts(folder), relation_counts(folder), _documents(folder, ""))


def first_documents(
    folder: Path | str, *, limit: int = 50
) -> tuple[int, tuple[DocumentStats, ...]]:
    """Return how many documents the graph holds, and what the first ``limit`` by path hold.

    A page's worth of ``stats(folder).documents``, whose counts over every document
    take seconds for an archive of thousands. ``folder`` is as for ``run``.
    """
    [total] = _select(folder, _DOCUMENT_TOTAL)
    first = [str(row["g"]) for row in _select(folder, _FIRST_DOCUMENTS.format(limit=int(limit)))]
    some = f"VALUES ?g {{ {' '.join(first)} }}"
    return int(total["n"].value), _documents(folder, some) if first else ()


def _documents(folder: Path | str, some: str) -> tuple[DocumentStats, ...]:
    """Return what each document holds, of those ``some`` names (a VALUES block) or all."""
    return tuple(
        DocumentStats(
            path=row["path"].value,
            title=compact(row["title"]),
            **{key: int(row[key].value) if row[key] else 0 for key in _DOCUMENT_FIELDS},
        )
        for row in _select(folder, _DOCUMENT_COUNTS.format(some=some))
    )


_DOCUMENT_FIELDS = ("sentences", "mentions", "entities", "relations")


def _select(folder: Path | str, sparql: str) -> QuerySolutions:
    """Run a SELECT query on a build's store or on a SPARQL endpoint."""
    if not is_url(folder):
        return store.select(Path(folder), sparql)
    from kg.remote.sparql import query as remote_query  # loads an HTTP client

    result = remote_query(str(folder), sparql)
    if not isinstance(result, QuerySolutions):
        raise QueryError("expected a SELECT query")
    return result


def _prefixes(fmt: str) -> dict[str, str] | None:
    return PREFIXES if fmt == "turtle" else None


def format_stats(counts: Stats) -> str:
    """Format ``stats`` as three tables: types, relations, documents (titles left out)."""
    documents = [
        [d.path, *map(str, (d.sentences, d.mentions, d.entities, d.relations))]
        for d in counts.documents
    ]
    columns = ["document", *_DOCUMENT_FIELDS]
    note = "sentences: those the graph keeps, with at least one mention"
    return "".join(
        [
            _render(["type", "entities"], [[k, str(n)] for k, n in counts.types.items()]),
            _render(["relation", "facts"], [[k, str(n)] for k, n in counts.relations.items()]),
            _render(columns, documents, caption=note, no_wrap=("document",)),
        ]
    )


def _table(solutions: QuerySolutions) -> str:
    names = [v.value for v in solutions.variables]
    rows = [[compact(row[name]) for name in names] for row in solutions]
    return _render(names, rows, caption=f"{len(rows)} row" + ("" if len(rows) == 1 else "s"))


def _render(
    columns: list[str],
    rows: list[list[str]],
    caption: str | None = None,
    no_wrap: tuple[str, ...] = (),
) -> str:
    from rich.console import Console  # rich costs start-up time; only tables need it
    from rich.table import Table

    table = Table(caption=caption)
    for column in columns:
        if column in no_wrap:
            table.add_column(column, no_wrap=True, overflow="ellipsis", min_width=len(column))
        else:
            table.add_column(column, overflow="fold")  # wrap long sentences, never cut them
    for row in rows:
        table.add_row(*row)
    width = shutil.get_terminal_size((120, 24)).columns
    console = Console(file=io.StringIO(), width=width, color_system=None, highlight=False)
    console.print(table)
    return console.file.getvalue()  # type: ignore[attr-defined]
