"""Turn mentions into entities: one entity per real thing, with a stable key.

A name's canonical form comes from the lexicon (宁波市 -> 宁波) or, for names the
lexicon does not know, from expanding standard short forms (自贸区 -> 自由贸易试验区).
Within a document, a short form of a longer name of the same type (宁波片区 in a
text that also says 浙江自贸区宁波片区) is the same entity. The key depends only on
type and canonical name, so every build and every worker gives the same IRI.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from functools import cache

from kg.lexicon import LIST_MARK, Lexicon
from kg.model import Document, Entity, EntityType, Mention, Relation, RelationType
from kg.vocab import entity_key

__all__ = ["canonical_name", "oriented", "resolve"]

# Types whose short forms resolve to a longer name of the same document.
_SHORTENED = (
    EntityType.PLATFORM,
    EntityType.PROJECT,
    EntityType.PROGRAMME,
    EntityType.ORGANIZATION,
)


def canonical_name(name: str, type_: EntityType, lexicon: Lexicon) -> str:
    """Return the canonical form of a name.

    Args:
        name: a name as written, without quotation marks.
        type_: its entity type.
        lexicon: the loaded lexicon.

    Returns:
        The lexicon's canonical name for a known name of the same type, else the name
        with standard short forms expanded.
    """
    # a formula's parts may be written as a list (“千村示范、万村整治”工程)
    known = lexicon.names.get(name) or lexicon.names.get(name.replace(LIST_MARK, ""))
    if known is not None and known.type is type_:
        return known.canonical
    if type_ is EntityType.ORGANIZATION:
        # a known company with its legal form is the company (中国第一汽车集团有限公司)
        form = next((f for f in _legal_forms(lexicon) if name.endswith(f)), "")
        known = lexicon.names.get(name[: len(name) - len(form)]) if form else None
        if known is not None and known.type is type_:
            return known.canonical
    if type_ is EntityType.PROJECT:
        name = _whole_line(name, lexicon)
    if type_ is EntityType.PLATFORM:
        name = _unranked(name, lexicon)
        addressed = _addressed(name, lexicon)
        if addressed is not None:
            return addressed
    return lexicon.expand(name)


@cache
def _legal_forms(lexicon: Lexicon) -> tuple[str, ...]:
    """Return the legal forms of companies (股份有限公司, 有限公司), longest first."""
    return tuple(sorted(lexicon.modifiers.get("legal", ()), key=len, reverse=True))


def _addressed(name: str, lexicon: Lexicon) -> str | None:
    """Return the known platform a name gives with its place before it (贵州省贵安新区 ->
    贵安新区), else None."""
    for cut in range(2, len(name) - 2):
        if lexicon.is_place(name[:cut]):
            known = lexicon.names.get(name[cut:])
            if known is not None and known.type is EntityType.PLATFORM:
                return known.canonical
    return None


def _unranked(name: str, lexicon: Lexicon) -> str:
    """Return a place's zone without its rank (宁波国家高新区 -> 宁波高新区), else ``name``.

    Documents name a zone with or without its rank: both spellings are one entity.
    """
    typed = lexicon.suffix_type(name)
    if typed is None or typed[1] not in lexicon.zone_suffixes:
        return name
    body = name[: len(name) - len(typed[1])]
    for cut in range(len(body) - 1, 1, -1):
        if lexicon.is_place(body[:cut]) and body[cut:] in lexicon.ranks:
            return body[:cut] + typed[1]
    return name


def _whole_line(name: str, lexicon: Lexicon) -> str:
    """Return the line a section names (通苏嘉甬铁路浙江段 -> 通苏嘉甬铁路), else ``name``.

    The guidelines keep a section qualifier with the base name as an alias: both
    spellings are one entity, in every document.
    """
    for section in lexicon.modifiers.get("section", ()):
        if not name.endswith(section):
            continue
        rest = name[: -len(section)]
        for cut in range(len(rest) - 2, 1, -1):
            base = rest[:cut]
            if _places(rest[cut:], lexicon) and lexicon.suffix_type(base):
                return base
    return name


def _places(text: str, lexicon: Lexicon) -> bool:
    """Return True when ``text`` is a place, or two joined by a span word (雅安至林芝)."""
    if lexicon.is_place(text):
        return True
    for span in lexicon.modifiers.get("span", ()):
        left, found, right = text.partition(span)
        if found and lexicon.is_place(left) and lexicon.is_place(right):
            return True
    return False


def _longer_form(short: str, longer: str, lexicon: Lexicon) -> bool:
    """Return True when ``short`` names the same thing as ``longer``."""
    if len(short) < 3 or short == longer:
        return False
    if longer.endswith(short) and short not in lexicon.generic_phrases:
        return lexicon.suffix_type(short) is not None
    rest = longer[len(short) :] if longer.startswith(short) else ""
    return rest in lexicon.heads


def _extending(names: set[str], lexicon: Lexicon) -> dict[str, set[str]]:
    """Index names by the name they extend with a head suffix (软件产业 under 软件)."""
    index: dict[str, set[str]] = defaultdict(set)
    lengths = {len(head) for head in lexicon.heads}
    for name in names:
        for n in lengths:
            if len(name) > n and name[-n:] in lexicon.heads:
                index[name[:-n]].add(name)
    return index


def _ending_with(names: set[str]) -> dict[str, set[str]]:
    """Index names by each of their proper endings of three characters or more."""
    index: dict[str, set[str]] = defaultdict(set)
    for name in names:
        for cut in range(1, len(name) - 2):
            index[name[cut:]].add(name)
    return index


def resolve(doc: Document, mentions: list[Mention], lexicon: Lexicon) -> dict[Mention, Entity]:
    """Return the entity each mention of a document stands for.

    Args:
        doc: the document the mentions come from.
        mentions: its mentions (from ``extract_mentions``).
        lexicon: the loaded lexicon.

    Returns:
        A mapping from each mention to its entity; mentions of one thing share one.
    """
    canon = {m: canonical_name(m.name, m.type, lexicon) for m in mentions}
    by_type: dict[EntityType, set[str]] = defaultdict(set)
    for m, name in canon.items():
        by_type[m.type].add(name)
    target: dict[tuple[EntityType, str], str] = {}
    for type_, names in by_type.items():
        if type_ not in _SHORTENED:
            target.update(((type_, name), name) for name in names)
            continue
        # only names ending with a name, or extending it by a suffix, can be its longer
        # form: looking those up keeps resolution linear in the names of a document
        ending, extending = _ending_with(names), _extending(names, lexicon)
        for name in names:
            candidates = ending.get(name, set()) | extending.get(name, set())
            longer = [other for other in candidates if _longer_form(name, other, lexicon)]
            target[(type_, name)] = max(longer, key=lambda n: (len(n), n)) if longer else name
    groups: dict[tuple[EntityType, str], set[str]] = defaultdict(set)
    for m, name in canon.items():
        groups[(m.type, target[(m.type, name)])] |= {m.name, name} | (
            {m.surface} if m.decoded else set()
        )
    entities = {
        key: Entity(
            key=entity_key(key[0], key[1]),
            type=key[0],
            label=key[1],
            aliases=frozenset(n for n in names if n and n != key[1] and "\n" not in n),
        )
        for key, names in groups.items()
    }
    return {m: entities[(m.type, target[(m.type, canon[m])])] for m in mentions}


def oriented(relations: list[Relation], entities: dict[Mention, Entity]) -> list[Relation]:
    """Return the relations with each cooperation stated from the entity whose key sorts
    first: it is symmetric, so that 甲与乙合作 and 乙、甲合作 make one fact, in every
    document."""
    return [
        replace(r, head=r.tail, tail=r.head)
        if r.type is RelationType.COOPERATES_WITH and entities[r.tail].key < entities[r.head].key
        else r
        for r in relations
    ]
