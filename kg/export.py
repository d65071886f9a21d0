"""Export a built graph: RDF for triple stores, GraphML and GEXF for network tools.

The RDF formats come straight from the store (pyoxigraph writes JSON-LD itself, so
no second RDF library is loaded); Turtle gets the union of the named graphs, TriG,
N-Quads and JSON-LD keep them. GraphML and GEXF are the entity network of
``kg.analysis.entity_graph``: nodes with type and label, edges with relation.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO

from pyoxigraph import RdfFormat

from kg import store
from kg.errors import KgError

__all__ = ["FORMATS", "export"]


def _rdf(fmt: RdfFormat) -> Callable[[Path, IO[bytes] | Path], None]:
    def write(folder: Path, output: IO[bytes] | Path) -> None:
        store.dump(folder, output, fmt)

    return write


def _network(fmt: str) -> Callable[[Path, IO[bytes] | Path], None]:
    def write(folder: Path, output: IO[bytes] | Path) -> None:
        from kg.analysis import entity_graph, write_network  # networkx only when asked

        write_network(entity_graph(folder), output, fmt)

    return write


#: Export formats and their writers: ``writer(folder, output)``.
FORMATS: dict[str, Callable[[Path, IO[bytes] | Path], None]] = {
    "turtle": _rdf(RdfFormat.TURTLE),
    "trig": _rdf(RdfFormat.TRIG),
    "nquads": _rdf(RdfFormat.N_QUADS),
    "jsonld": _rdf(RdfFormat.JSON_LD),
    "graphml": _network("graphml"),
    "gexf": _network("gexf"),
}


def export(folder: Path, fmt: str, output: IO[bytes] | Path) -> None:
    """Write the graph built at ``folder`` in format ``fmt``.

    Args:
        folder: the output folder of a build.
        fmt: one of ``FORMATS``.
        output: a binary file or a path to write.

    Raises:
        KgError: ``fmt`` is not a known format (the message lists them).
        StoreError: no graph has been built at ``folder``.
    """
    if fmt not in FORMATS:
        raise KgError(f"unknown format {fmt!r}; choose {', '.join(FORMATS)}")
    FORMATS[fmt](folder, output)
