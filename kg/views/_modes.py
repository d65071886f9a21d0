"""The modes of ``kg view``: overview, focus, chain; filters; colour by community."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from kg import search, store
from kg.analysis import add_kept_evidence, bare_network, entity_graph, find_entity
from kg.config import Settings
from kg.errors import QueryError
from kg.subgraph import filter_graph, find_node, path_graph

__all__ = ["Drawn", "make_view"]


@dataclass(frozen=True)
class Drawn:
    """What ``make_view`` wrote: the file, its heading and the size of the graph shown."""

    path: Path
    title: str
    entities: int
    links: int


def make_view(
    folder: Path,
    output: Path,
    *,
    focus: str | None = None,
    hops: int = 1,
    between: tuple[str, str] | None = None,
    types: Collection[str] = (),
    relations: Collection[str] = (),
    min_degree: int = 0,
    community: bool = False,
    settings: Settings | None = None,
) -> Drawn:
    """Write a view of the graph built at ``folder``: the overview, a focus or a chain.

    Args:
        folder: the output folder of ``kg build``.
        output: the HTML file to write.
        focus: name (label, alias or IRI) of an entity: draw its neighbourhood.
        hops: how many links away from ``focus`` to go.
        between: two entity names: draw the shortest chains of links joining them.
        types: keep only entities of these types.
        relations: keep only links of these relations.
        min_degree: keep only entities with at least this many links (after filtering).
        community: colour entities by community instead of by type.
        settings: the view's node limit (``view_max_nodes``) and ontology folder.

    Raises:
        QueryError: both ``focus`` and ``between``, a negative ``hops``, an unknown
            name, type or relation, or no chain between the two entities.
        StoreError: no graph has been built at ``folder``.
    """
    from kg.views import write_view  # the package imports this module

    settings = settings or Settings()
    if focus is not None and between is not None:
        raise QueryError("choose a focus or a path between two entities, not both")
    if hops < 0:
        raise QueryError(f"hops must be 0 or more, not {hops}")
    title, marked = "overview", None
    select = partial(store.select, folder)
    if focus is not None:
        # only the neighbourhood is read: the whole network of a large graph takes seconds
        marked = find_entity(select, focus)
        graph = bare_network(*search.neighbourhood(folder, marked, hops))
        title = f"{graph.nodes[marked]['label']} · {hops} {'hop' if hops == 1 else 'hops'}"
    elif between is not None:
        graph = entity_graph(folder, evidence=False)
        a, b = (find_node(graph, name) for name in between)
        graph = path_graph(graph, a, b)
        title = f"{graph.nodes[a]['label']} ↔ {graph.nodes[b]['label']}"
    else:
        graph = entity_graph(folder, evidence=False)
    if types or relations or min_degree:  # a copy of the whole otherwise (2 s at 100 MB)
        graph = filter_graph(graph, types=types, relations=relations, min_degree=min_degree)
    kept = [f"types: {', '.join(types)}"] if types else []
    kept += [f"relations: {', '.join(relations)}"] if relations else []
    kept += [f"at least {min_degree} links each"] if min_degree else []
    write_view(
        graph, output, title=title, colour_by="community" if community else "type",
        note=f"Only {'; '.join(kept)}." if kept else "",
        focus=marked, max_nodes=settings.view_max_nodes,
        ontology_dir=settings.ontology_dir,
        evidence=partial(add_kept_evidence, folder),
    )  # fmt: skip
    return Drawn(output, title, graph.number_of_nodes(), graph.number_of_edges())
