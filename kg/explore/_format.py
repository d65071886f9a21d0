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
    """Return an entity card as text: names, facts grouped by relation, documents.

    Each part says how many it leaves out; a card that leaves something out ends by
    naming ``kg entity --all``, which shows everything.
    """
    e = card.entity
    lines = [
        f"{e.label}  ({e.type})",
        f"IRI      {e.iri}",
        f"aliases  {', '.join(card.aliases) or '-'}",
        f"facts    {card.degree:,}",
        f"mentions {card.mention_total:,} in {_count(card.document_total, 'document')}",
        "",
        "relations" if card.groups else "relations: none",
    ]
    for group in card.groups:
        arrow = f"—{group.relation}→" if group.direction == "out" else f"←{group.relation}—"
        lines.append(f"  {arrow}  ({group.total:,})")
        for fact in group.facts:
            other = fact.tail if group.direction == "out" else fact.head
            lines.append(f"    {_name(other)}  ({_count(fact.documents, 'document')})")
            lines += _evidence(fact)
            if fact.hidden_documents:
                lines.append(f"{_INDENT}… and {_count(fact.hidden_documents, 'more document')}")
        if group.hidden:
            lines.append(f"    … and {group.hidden:,} more")
    lines += ["", "documents" if card.documents else "documents: none"]
    for doc in card.documents:
        lines.append(f"  {doc.document}  {_count(doc.mentions, 'mention')}  {doc.title}".rstrip())
    if card.hidden_documents:
        lines.append(f"  … and {card.hidden_documents:,} more")
    if not card.complete:
        lines += [
            "",
            f"not all shown: kg entity {e.key} --all lists every fact, sentence and document",
        ]
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


def _count(n: int, noun: str) -> str:
    """Return ``n noun``, the noun plural when it has to be.

    >>> _count(1, "document"), _count(1234, "more document")
    ('1 document', '1,234 more documents')
    """
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _name(entity: EntityRef) -> str:
    return f"{entity.label} ({entity.type})" if entity.type else entity.label
