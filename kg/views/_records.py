"""Build vis-network's node, edge and option records for a graph, with pyvis."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from pyvis.edge import Edge
from pyvis.network import Network
from pyvis.node import Node

from kg.layout import Kept, positions
from kg.model import EntityType
from kg.views._legend import COMMUNITY_COLOURS, Look

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["network_data"]

#: views up to this many nodes keep vis-network's physics, so nodes can be dragged apart
PHYSICS_MAX = 150
#: edges drawn with a text label up to this many; beyond, the colour alone tells the relation
EDGE_LABELS_MAX = 1_500
_EVIDENCE_MAX = 3
_SENTENCE_CHARS = 160
_ALIASES_MAX = 8
_TYPES = frozenset(t.value for t in EntityType)


def network_data(
    graph: nx.MultiDiGraph,
    looks: Mapping[str, Look],
    groups: Mapping[str, int],
    focus: str | None = None,
    layout: Kept | None = None,
) -> dict[str, Any]:
    """Return ``{"nodes": [...], "edges": [...], "options": {...}}`` for vis-network.

    Nodes are numbered in graph order and placed ahead (their layout kept where
    ``layout`` says); titles are plain text.
    """
    nodes = list(graph)
    ids = {n: i for i, n in enumerate(nodes)}
    pos = positions(nodes, graph.edges(), kept=layout)
    net = Network(directed=True, cdn_resources="remote")
    # Records are built and assigned in bulk: pyvis's add_node/add_edge scan every
    # record already added, which is quadratic on large graphs.
    net.nodes = [_node(graph, n, ids[n], pos[n], looks, groups) for n in nodes]
    net.node_ids = list(range(len(nodes)))
    net.node_map = dict(zip(net.node_ids, net.nodes, strict=True))
    if focus in ids:  # marked by a thick border and a larger label
        net.nodes[ids[focus]].update(borderWidth=5, font={"size": 20})
    labelled = graph.number_of_edges() <= EDGE_LABELS_MAX
    net.edges = [_edge(graph, edge, ids, looks, labelled) for edge in graph.edges(data=True)]
    net.options = _options(len(nodes), looks)
    records, links, *_, options = net.get_network_data()
    return {"nodes": records, "edges": links, "options": json.loads(options)}


def _node(
    graph: nx.MultiDiGraph,
    node: str,
    id_: int,
    xy: tuple[float, float],
    looks: Mapping[str, Look],
    groups: Mapping[str, int],
) -> dict[str, Any]:
    attrs = graph.nodes[node]
    label = str(attrs.get("label") or node.rsplit("/", 1)[-1])
    type_ = str(attrs.get("type", ""))
    look = looks.get(type_, Look(type_, type_, "#bab0ac", "dot"))
    degree = graph.degree(node)
    incident = (*graph.out_edges(node, data="evidence"), *graph.in_edges(node, data="evidence"))
    lines = [label, f"{look.zh} {look.en}"]
    if attrs.get("aliases"):
        lines.append("aliases: " + ", ".join(map(str, list(attrs["aliases"])[:_ALIASES_MAX])))
    lines.append(f"links: {degree}")
    lines += _evidence_lines(ev for *_, evs in incident for ev in evs or ())
    options: dict[str, Any] = {"title": "\n".join(lines), "x": xy[0], "y": xy[1]}
    options["size"] = round(min(60.0, 10 + 5 * math.sqrt(degree)), 1)
    if type_ in _TYPES:
        options["group"] = type_
    else:  # an entity without a known type: grey, outside the six groups
        options["color"] = look.colour
    if groups:
        options["color"] = COMMUNITY_COLOURS[groups[node] % len(COMMUNITY_COLOURS)]
    return Node(id_, look.shape or "dot", label, **options).options


def _edge(
    graph: nx.MultiDiGraph,
    edge: tuple[str, str, Mapping[str, Any]],
    ids: Mapping[str, int],
    looks: Mapping[str, Look],
    labelled: bool,
) -> dict[str, Any]:
    u, v, attrs = edge
    relation = str(attrs.get("relation", ""))
    look = looks.get(relation, Look(relation, relation, "#9d9d9d"))
    ends = f"{graph.nodes[u].get('label', u)} → {graph.nodes[v].get('label', v)}"
    lines = [ends, f"{look.zh} {look.en}", *_evidence_lines(attrs.get("evidence") or ())]
    options: dict[str, Any] = {"color": look.colour, "title": "\n".join(lines)}
    if labelled:
        options["label"] = look.zh
    return Edge(ids[u], ids[v], directed=True, **options).options


def _evidence_lines(evidence: Iterable[Any]) -> list[str]:
    """Return up to three distinct evidence sentences, each with its document."""
    seen: list[tuple[str, str]] = []
    for sentence, document in evidence:
        item = (" ".join(str(sentence).split()), str(document))
        if item not in seen:
            seen.append(item)
        if len(seen) == _EVIDENCE_MAX:
            break
    lines = ["evidence:"] if seen else []
    for text, document in seen:
        short = text if len(text) <= _SENTENCE_CHARS else text[: _SENTENCE_CHARS - 1] + "…"
        lines.append(f"• {short} ({document})")
    return lines


# Labels are Chinese: a font that has the glyphs comes first, so that the browser does
# not fall back glyph by glyph (vis.js measures every label when it builds the network:
# the hub's 2,000-entity view at 100 MB opened in 0.70 s instead of 0.93 s).
_LABEL_FONT = (
    '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", '
    '"WenQuanYi Micro Hei", sans-serif'
)


def _options(n_nodes: int, looks: Mapping[str, Look]) -> dict[str, Any]:
    small = n_nodes <= PHYSICS_MAX
    groups = {t.value: {"shape": looks[t].shape, "color": looks[t].colour} for t in EntityType}
    return {
        "groups": groups,
        "nodes": {"font": {"size": 14, "strokeWidth": 3, "face": _LABEL_FONT}, "borderWidth": 1},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "font": {"size": 10, "align": "middle", "strokeWidth": 3, "face": _LABEL_FONT},
            "smooth": {"enabled": small, "type": "continuous"},
            "width": 1,
        },
        "physics": {
            "enabled": small,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -4000, "springLength": 110},
            "stabilization": {"iterations": 150, "fit": True},
        },
        "interaction": {
            "hover": small,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": not small,
            "hideEdgesOnZoom": n_nodes > 1_000,
        },
        "layout": {"improvedLayout": False},
    }
