"""Looks of entity types and relations (data in ``view_style.tsv``), and the legend."""

from __future__ import annotations

import csv
import html
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from kg.config import ONTOLOGY_DIR
from kg.errors import OntologyError
from kg.model import EntityType, RelationType

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["COMMUNITY_COLOURS", "Look", "legend_html", "load_looks"]

#: colours of communities, by community number (Tableau 10; numbers past ten repeat)
COMMUNITY_COLOURS = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
)  # fmt: skip
_GLYPHS = {"dot": "●", "square": "■", "triangle": "▲", "diamond": "◆", "star": "★", "hexagon": "⬢"}
_COMMUNITIES_LISTED = 10


@dataclass(frozen=True)
class Look:
    """How a view draws one entity type or relation, and its names in the legend."""

    zh: str
    en: str
    colour: str
    shape: str = ""


def load_looks(ontology_dir: Path = ONTOLOGY_DIR) -> dict[str, Look]:
    """Return the look of every entity type and relation, from ``view_style.tsv``.

    Raises:
        OntologyError: the file is missing, or lacks a type or a relation.

    >>> load_looks()["Region"].shape
    'dot'
    """
    return dict(_looks(ontology_dir))


@cache
def _looks(ontology_dir: Path) -> tuple[tuple[str, Look], ...]:
    path = ontology_dir / "view_style.tsv"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise OntologyError(f"{path}: cannot read view style ({exc.strerror})") from exc
    rows = csv.DictReader(
        (ln for ln in lines if ln.strip() and not ln.startswith("#")), delimiter="\t"
    )
    looks = {r["name"]: Look(r["zh"], r["en"], r["colour"], r["shape"] or "") for r in rows}
    missing = {*EntityType, *RelationType} - set(looks)
    if missing:
        raise OntologyError(f"{path}: no look for {', '.join(sorted(missing))}")
    return tuple(looks.items())


def legend_html(
    looks: Mapping[str, Look], graph: nx.MultiDiGraph, groups: Mapping[str, int]
) -> str:
    """Return the legend's list items: the six types, the six relations, the communities."""
    # Coloured by community, the types keep their shapes only: their glyphs turn grey.
    colour = {t: "#666" if groups else html.escape(looks[t].colour) for t in EntityType}
    items = [
        f'<li data-type="{t.value}"><span class="kg-glyph" style="color:{colour[t]}">'
        f"{_GLYPHS.get(looks[t].shape, '●')}</span>{html.escape(looks[t].zh)}"
        f" <small>{html.escape(looks[t].en)}</small></li>"
        for t in EntityType
    ]
    items += [
        f'<li data-relation="{r.value}"><span class="kg-line" style="background:'
        f'{html.escape(looks[r].colour)}"></span>{html.escape(looks[r].zh)}'
        f" <small>{html.escape(looks[r].en)}</small></li>"
        for r in RelationType
    ]
    if groups:
        items += _community_items(graph, groups)
    return "".join(items)


def _community_items(graph: nx.MultiDiGraph, groups: Mapping[str, int]) -> list[str]:
    members: dict[int, list[str]] = {}
    for node in sorted(graph, key=lambda n: -graph.degree(n)):
        members.setdefault(groups[node], []).append(str(graph.nodes[node].get("label", node)))
    listed = sorted(members)[:_COMMUNITIES_LISTED]
    items = [
        f'<li data-community="{c}"><span class="kg-glyph" style="color:'
        f'{COMMUNITY_COLOURS[c % len(COMMUNITY_COLOURS)]}">●</span>'
        f"{html.escape('、'.join(members[c][:3]))} <small>({len(members[c])})</small></li>"
        for c in listed
    ]
    if len(members) > len(listed):
        items.append(f"<li><small>+{len(members) - len(listed)} smaller communities</small></li>")
    return items
