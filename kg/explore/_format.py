"""Format the explore records as plain text for the terminal."""

from __future__ import annotations

from collections.abc import Sequence

from kg.explore._records import Card, Chain, Community, EntityRef, Fact, Neighbour, Ranked, Step

__all__ = [
    "format_card",
    "format_chains",
    "format_communities",
    "format_neighbours",
    "format_ranking",
]

_INDENT = "      "


def format_card(card: Card) -> str:
    """Return an entity card as text: names, facts grouped by relation, documents."""
    e = card.entity
    lines = [
        f"{e.label}  ({e.type})",
        f"IRI      {e.iri}",
        f"aliases  {', '.join(card.aliases) or '-'}",
        "",
        "relations" if card.outgoing or card.incoming else "relations: none",
    ]
    for relation, direction, facts in card.groups():
        arrow = f"—{relation}→" if direction == "out" else f"←{relation}—"
        lines.append(f"  {arrow}  ({len(facts)})")
        for fact in facts:
            other = fact.tail if direction == "out" else fact.head
            lines.append(f"    {_name(other)}")
            lines += _evidence(fact)
    lines += ["", "documents" if card.documents else "documents: none"]
    for doc in card.documents:
        plural = "" if doc.mentions == 1 else "s"
        lines.append(f"  {doc.document}  {doc.mentions} mention{plural}  {doc.title}".rstrip())
    return "\n".join(lines) + "\n"


def format_chains(chains: Sequence[Chain]) -> str:
    """Return chains as text, each step with its facts' direction and evidence."""
    lines: list[str] = []
    for number, chain in enumerate(chains, 1):
        hops = len(chain.steps)
        names = " – ".join(e.label for e in chain.entities)
        lines += [f"chain {number}: {hops} link{'' if hops == 1 else 's'}: {names}"]
        for step in chain.steps:
            lines += _step(step)
        lines.append("")
    return "\n".join(lines)


def format_neighbours(found: Sequence[Neighbour]) -> str:
    """Return neighbours as text: hops, entity, and the facts that reach it."""
    lines = []
    for n in found:
        links = "; ".join(_fact(f) for f in n.facts)
        lines.append(f"{n.hops}  {_name(n.entity)}  via {n.via.label}: {links}")
    return "\n".join(lines) + ("\n" if lines else "")


def format_ranking(ranked: Sequence[Ranked], by: str) -> str:
    """Return a ranking as text, one entity a line."""
    lines = [f"{'rank':>4}  {by:>11}  {'facts':>5}  entity"]
    for i, r in enumerate(ranked, 1):
        score = f"{r.score:.0f}" if by == "degree" else f"{r.score:.4f}"
        lines.append(f"{i:>4}  {score:>11}  {r.degree:>5}  {_name(r.entity)}")
    return "\n".join(lines) + "\n"


def format_communities(groups: Sequence[Community], *, members: int = 10) -> str:
    """Return communities as text: name, size and their first ``members`` members."""
    lines = []
    for group in groups:
        lines.append(f"{group.index}. {group.name}  ({len(group.members)} entities)")
        shown = ", ".join(m.label for m in group.members[:members])
        more = f", … {len(group.members) - members} more" if len(group.members) > members else ""
        lines.append(f"   {shown}{more}")
    return "\n".join(lines) + ("\n" if lines else "")


def _step(step: Step) -> list[str]:
    lines = []
    for fact in step.facts:
        forward = fact.head == step.source
        arrow = f"—{fact.relation}→" if forward else f"←{fact.relation}—"
        lines.append(f"  {_name(step.source)} {arrow} {_name(step.target)}")
        lines += _evidence(fact)
    return lines


def _fact(fact: Fact) -> str:
    return f"{fact.head.label} —{fact.relation}→ {fact.tail.label}"


def _evidence(fact: Fact) -> list[str]:
    return [f"{_INDENT}“{ev.text}”  [{ev.document}]" for ev in fact.evidence]


def _name(entity: EntityRef) -> str:
    return f"{entity.label} ({entity.type})" if entity.type else entity.label
