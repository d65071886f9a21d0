"""Find the typed relations a document states: mentions -> ``Relation``s with evidence.

Relations come from three sources, each a function in ``RULES``:
name structure (宁波前湾新区 locatedIn 宁波 when 宁波 is also named in the paragraph;
通苏嘉甬铁路 connects each place it lists), sentence patterns around cue words
(X融入Y: X supports Y; 甲与乙联动发展: cooperation), and the section a sentence
sits in (what a section headed by a programme builds supports that programme).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from itertools import combinations, groupby, pairwise, product, takewhile

from kg.chars import plain
from kg.lexicon import COOPERATION_REACH, LIST_MARK, Lexicon
from kg.model import (
    Document,
    EntityType,
    Evidence,
    Mention,
    Relation,
    RelationType,
    Sentence,
)

__all__ = ["RULES", "extract_relations"]

Rule = Callable[[Document, list[Mention], Lexicon], Iterator[Relation]]

_HOSTS = (EntityType.PLATFORM, EntityType.PROJECT, EntityType.ORGANIZATION)
_PARTNERS = (EntityType.REGION, EntityType.PLATFORM, EntityType.ORGANIZATION)
_SUPPORTERS = (*_HOSTS, EntityType.PROGRAMME)
#: the types whose entities have parts of their own type (partOf's domain and range)
_WHOLES = (EntityType.REGION, EntityType.PLATFORM, EntityType.PROGRAMME)
#: the marks that close and open a quotation or title, around the names they hold
_CLOSING = '”’」』》〉"'
_OPENING = '“‘「『《〈"'
#: how far after a cue of building its object starts: the cue and a short word (建设|一流)
_BUILT_WITHIN = 4
#: how far after a docking cue its partner starts: the cue itself and a word (主动接轨|上海)
_DOCKED_WITHIN = 4


def _evidence(doc: Document, head: Mention, tail: Mention) -> Evidence:
    """Return the sentence stating both ends, or the two sentences a paragraph states
    them in: the evidence must show both."""
    first, last = sorted((head.sentence, tail.sentence))
    start, end = doc.sentences[first].start, doc.sentences[last].end
    earlier = first if first != last else None
    return Evidence(doc.id, last, start, end, doc.text[start:end], earlier)


def _relation(doc: Document, head: Mention, type_: RelationType, tail: Mention) -> Relation:
    return Relation(head, type_, tail, _evidence(doc, head, tail))


def _by_paragraph(doc: Document, mentions: list[Mention]) -> dict[int, list[Mention]]:
    groups: dict[int, list[Mention]] = defaultdict(list)
    for m in mentions:
        groups[doc.sentences[m.sentence].paragraph].append(m)
    return groups


def _by_sentence(mentions: list[Mention]) -> dict[int, list[Mention]]:
    groups: dict[int, list[Mention]] = defaultdict(list)
    for m in mentions:
        groups[m.sentence].append(m)
    return groups


def _standalone(mentions: list[Mention]) -> list[Mention]:
    """Return the mentions not inside another, longer mention (decoded places count).

    One sweep in span order (start, then longest first): a mention is inside a longer
    one exactly when a name that starts earlier, or at the same place and is longer,
    reaches at least as far.
    """
    inside: set[int] = set()
    reach = -1  # the furthest end of the non-decoded names of the spans before
    ordered = sorted(mentions, key=lambda m: (m.start, -m.end))
    for _, same in groupby(ordered, key=lambda m: (m.start, m.end)):
        span = list(same)
        if reach >= span[0].end:
            inside.update(id(m) for m in span if not m.decoded)
        reach = max([reach, *(m.end for m in span if not m.decoded)])
    return [m for m in mentions if id(m) not in inside]


def _decoded_in(host: Mention, mentions: list[Mention]) -> list[Mention]:
    return [m for m in mentions if m.decoded and host.start <= m.start and m.end <= host.end]


def connected_places(
    doc: Document, mentions: list[Mention], lexicon: Lexicon
) -> Iterator[Relation]:
    """A transport project connects each place its name lists (甬台温福高铁)."""
    for group in _by_sentence(mentions).values():
        for host in group:
            if host.type is EntityType.PROJECT:
                for place in _decoded_in(host, group):
                    yield _relation(doc, host, RelationType.CONNECTS, place)


def decoded_cooperation(
    doc: Document, mentions: list[Mention], lexicon: Lexicon
) -> Iterator[Relation]:
    """Places decoded from one cooperation expression cooperate (沪甬合作)."""
    runs: list[list[Mention]] = []
    for group in _by_sentence(mentions).values():
        decoded = sorted((m for m in group if m.decoded), key=lambda m: m.start)
        hosts = [m for m in group if m.type is EntityType.PROJECT and not m.decoded]
        for m in decoded:
            if any(h.start <= m.start < h.end for h in hosts):
                continue
            if runs and runs[-1][-1].end == m.start and runs[-1][-1].sentence == m.sentence:
                runs[-1].append(m)
            else:
                runs.append([m])
    joins = lexicon.modifiers.get("join", frozenset())
    for run in runs:
        if _read(doc, run[0].start - 1, run[0].start) in joins:
            continue  # 加强与日韩合作: the partners of another, not of each other
        sentence = doc.sentences[run[0].sentence]
        # runs listed before one cue share it (沪苏、沪浙合作)
        after = _read(doc, run[-1].end, min(sentence.end, run[-1].end + 20))
        after = lexicon.after_listed_runs(after)[:COOPERATION_REACH]
        if not any(c in after for c in lexicon.cooperation_cues):
            continue
        for i, a in enumerate(run):
            for b in run[i + 1 :]:
                if a.name != b.name:
                    yield _relation(doc, a, RelationType.COOPERATES_WITH, b)


def _canonical(m: Mention, lexicon: Lexicon) -> str:
    known = lexicon.names.get(m.name)
    return known.canonical if known is not None and known.type is m.type else m.name


def named_places(doc: Document, mentions: list[Mention], lexicon: Lexicon) -> Iterator[Relation]:
    """A platform, project or body named after a place lies there, if the paragraph names
    it, as does one the place is written right before (北京|中关村)."""
    for group in _by_paragraph(doc, mentions).values():
        places: dict[str, Mention] = {}
        standalone = _standalone(group)
        for m, after in zip(standalone, [*standalone[1:], None], strict=True):
            if m.type is EntityType.REGION:
                name = places.setdefault(_canonical(m, lexicon), m).name
                if (
                    after is not None
                    and _addresses(m, after)
                    and not after.decoded
                    and not (lexicon.is_grouping(name) or lexicon.is_water(name))
                ):
                    yield _relation(doc, after, RelationType.LOCATED_IN, m)
        for host in group:
            if host.type in _HOSTS and not host.decoded:
                # a link's own ends (杭州至宁波高速铁路) are connected, not its location
                ends = {_canonical(m, lexicon) for m in _decoded_in(host, group)}
                for name, place in places.items():
                    at = host.name.find(name)
                    if (
                        at >= 0
                        and not lexicon.is_grouping(name)
                        and name not in ends
                        # the partner of a pair (中国—南亚博览会) is no location
                        and host.name[at - 1 : at] not in _PAIR_DASHES
                        # …nor the country before the bracketed province of a formal name
                        # (中国（云南）自由贸易试验区: 云南 is where it lies)
                        and host.name[at + len(name) : at + len(name) + 1] not in _BRACKETS
                    ):
                        yield _relation(doc, host, RelationType.LOCATED_IN, place)


def region_parts(doc: Document, mentions: list[Mention], lexicon: Lexicon) -> Iterator[Relation]:
    """A place is part of a larger place or grouping named in the same paragraph, link by
    link: 浙江省宁波市北仑区 gives 北仑 partOf 宁波 and 宁波 partOf 浙江, not 北仑 partOf 浙江;
    a grouping's members are its parts whatever lies between (宁波 partOf 长三角)."""
    for group in _by_paragraph(doc, mentions).values():
        places: dict[str, Mention] = {}
        starts: dict[str, set[int]] = defaultdict(set)
        ends: dict[str, set[int]] = defaultdict(set)
        for m in _standalone(group):
            if m.type is EntityType.REGION and not m.decoded:
                name = _canonical(m, lexicon)
                places.setdefault(name, m)
                starts[name].add(m.start)
                ends[name].add(m.end)
        wholes = {
            name: {area for area in places if area != name and lexicon.within(name, area)}
            for name in places
        }
        groupings = {name for name in places if lexicon.is_grouping(name)}
        for name, place in places.items():
            between = wholes[name] - groupings
            for area in wholes[name]:
                if lexicon.is_country(area) and not ends[area] & starts[name]:
                    continue  # a place lies in its country unsaid, unless addressed (中国上海)
                if area in groupings or not any(area in wholes[b] for b in between):
                    yield _relation(doc, place, RelationType.PART_OF, places[area])


def platform_parts(doc: Document, mentions: list[Mention], lexicon: Lexicon) -> Iterator[Relation]:
    """A platform whose name extends another's is part of it (…自贸区宁波片区 partOf …自贸区),
    also where the other's name has a place before (自贸区宁波片区 partOf 浙江自贸区)."""
    for group in _by_paragraph(doc, mentions).values():
        platforms = [m for m in _standalone(group) if m.type is EntityType.PLATFORM]
        expanded = {m: lexicon.expand(m.name) for m in platforms}
        forms = {m: _without_leading_place(expanded[m], lexicon) for m in platforms}
        for part in platforms:
            for whole in platforms:
                longer = expanded[part]
                for shorter in forms[whole]:
                    if len(shorter) >= 4 and longer != shorter and longer.startswith(shorter):
                        yield _relation(doc, part, RelationType.PART_OF, whole)
                        break


def _without_leading_place(name: str, lexicon: Lexicon) -> tuple[str, ...]:
    """Return a name, and the name without the place it starts with, if it does."""
    place = lexicon.place_prefix(name, len(name) - 1)
    return (name, name[place:]) if place else (name,)


def named_industries(
    doc: Document, mentions: list[Mention], lexicon: Lexicon
) -> Iterator[Relation]:
    """A programme or platform named after an industry the paragraph names focuses on it."""
    for group in _by_paragraph(doc, mentions).values():
        industries = [m for m in _standalone(group) if m.type is EntityType.INDUSTRY]
        for host in group:
            if host.type not in (EntityType.PROGRAMME, EntityType.PLATFORM):
                continue
            for industry in industries:
                if industry.start >= host.start and industry.end <= host.end:
                    continue
                if any(core in host.name for core in _cores(industry.name, lexicon)):
                    yield _relation(doc, host, RelationType.FOCUSES_ON, industry)


@lru_cache(maxsize=4096)
def _cores(name: str, lexicon: Lexicon) -> tuple[str, ...]:
    """Return an industry name and its distinctive part (软件 of 软件产业).

    Cached: the same industries meet many hosts, and each look-up reads every suffix.
    """
    cores = [name]
    for suffix, type_, _ in lexicon.suffixes:
        if type_ is EntityType.INDUSTRY and name.endswith(suffix) and len(name) - len(suffix) >= 2:
            cores.append(name[: -len(suffix)])
    return tuple(cores)


def _cue_positions(
    doc: Document, sentence: int, lexicon: Lexicon, role: str, mentions: list[Mention]
) -> list[tuple[int, RelationType]]:
    """Return where the sentence's cue words of a role stand, outside its names.

    A cue inside a name states nothing (提升 in 产业链提升工程), unless it is the whole
    name (杭州、宁波“双城记”). The sentence is read through the same one-for-one
    character maps as the extractor (traditional text).
    """
    s = doc.sentences[sentence]
    found = _document_cues(doc.text, lexicon).get(role, [])
    return [
        (at, relation)
        for at, end, relation in found[
            bisect_left(found, (s.start,)) : bisect_left(found, (s.end,))
        ]
        if end <= s.end
        if not any(
            m.start <= at < m.end and (m.start, m.end) != (at, end)
            for m in mentions
            if not m.decoded
        )
    ]


@lru_cache(maxsize=2)
def _document_cues(text: str, lexicon: Lexicon) -> dict[str, list[tuple[int, int, RelationType]]]:
    """Return where each role's cue words stand in a document, ``(start, end, relation)``
    in text order: the rules ask sentence by sentence, rule after rule."""
    plain = _plain(text)
    found: dict[str, list[tuple[int, int, RelationType]]] = defaultdict(list)
    for cue in lexicon.cues:
        found[cue.role] += [
            (at, at + len(cue.word), cue.relation) for at in _find_all(plain, cue.word)
        ]
    return {role: sorted(places, key=lambda place: place[:2]) for role, places in found.items()}


def _read(doc: Document, start: int, end: int) -> str:
    """Return a part of the text as the lexicons spell words: simplified, half-width
    (與 is 与), one character for one, as the extractor reads it."""
    return _plain(doc.text)[start:end]


@lru_cache(maxsize=2)
def _plain(text: str) -> str:
    return plain(text)  # the document's text, once for every rule that reads it


def _find_all(text: str, word: str) -> Iterator[int]:
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


#: the marks between the clauses of a sentence (one inside quotation marks may hold ；)
_CLAUSE_MARKS = "，,；;：:"
#: nothing between two names: written one right after the other (浙江桐乡)
_ADJOINING = frozenset({""})
#: the opening brackets of a place qualifying a formal name (中国（云南）…)
_BRACKETS = "（("
_PAIR_DASHES = frozenset("—–－‐-")
_DESCRIBED_WITHIN = 4  # 南岸的: a place's side and 的 before the name it locates


def _clause_start(doc: Document, position: int, sentence: int) -> int:
    s = doc.sentences[sentence]
    return max(doc.text.rfind(c, s.start, position) for c in _CLAUSE_MARKS) + 1 or s.start


def stated_support(doc: Document, mentions: list[Mention], lexicon: Lexicon) -> Iterator[Relation]:
    """What comes before a cue (融入, 对接, 为…抓手) supports the programmes after it."""
    nominal = _nominal_cues(doc, lexicon)
    sources = tuple(lexicon.modifiers.get("source", ()))
    for index, group in _by_sentence(mentions).items():
        cues = [
            (at, relation)
            for at, relation in _cue_positions(doc, index, lexicon, "before_after", group)
            if at not in nominal
        ]
        if not cues:
            continue
        for tail in group:
            if tail.type is not EntityType.PROGRAMME:
                continue
            cue = max((at for at, _ in cues if at < tail.start), default=None)
            if cue is None:
                continue
            clause = _clause_start(doc, cue, index)
            for head in group:
                if head.end > cue or head.decoded or head.type not in _SUPPORTERS:
                    continue
                if sources and _read(doc, head.end, head.end + 3).startswith(sources):
                    continue  # 记者从甲获悉: the news's source, not its subject
                # a programme after a cue in its own clause is that cue's object, not a
                # subject (融入“一带一路”、打造…); a platform or project built there still serves
                head_clause = _clause_start(doc, head.start, index)
                if head.type is EntityType.PROGRAMME and any(
                    head_clause <= at < head.start for at, _ in cues
                ):
                    continue
                if head.type is EntityType.PROGRAMME and head.start < clause:
                    continue
                if _side_by_side(_read(doc, head.end, cue), lexicon):
                    continue  # 建设甲、打造乙: two goals side by side, not a means and its end
                if _canonical(head, lexicon) != _canonical(tail, lexicon):
                    yield _relation(doc, head, RelationType.SUPPORTS, tail)


def _nominal_cues(doc: Document, lexicon: Lexicon) -> set[int]:
    """Return where the cues of role ``before_after`` are nouns: after 的, or right after
    such a cue (甲对乙的贯彻|落实), where they join no means to its end."""
    possessive = lexicon.modifiers.get("possessive", frozenset())
    nominal: set[int] = set()
    ends: set[int] = set()
    for at, end, _ in _document_cues(doc.text, lexicon).get("before_after", []):
        if _read(doc, at - 1, at) in possessive or at in ends:
            nominal.add(at)
            ends.add(end)
    return nominal


def _side_by_side(gap: str, lexicon: Lexicon) -> bool:
    """Return True when ``gap`` is a list mark, and a word that leads a verb phrase, if
    any (、努力|打造): the phrases before and after it are listed."""
    return gap[:1] == LIST_MARK and (
        len(gap) == 1 or "lead" in lexicon.modifier_kinds.get(gap[1:], ())
    )


def stated_roles(doc: Document, mentions: list[Mention], lexicon: Lexicon) -> Iterator[Relation]:
    """A sentence's subject supports the programme it is a carrier of (雄安新区…是京津冀协同
    发展的重要载体), or is part of the whole it is a component of (…是八八战略的重要组成部分):
    a cue of role ``of`` after the programme or the whole and its 的."""
    possessive = lexicon.modifiers.get("possessive", frozenset())
    as_words = tuple(lexicon.modifiers.get("as", ()))
    for index, cues, standalone in _cue_sentences(doc, mentions, lexicon, "of"):
        for tail in standalone:
            # the name's closing quotation mark and a trailing word may stand before 的
            # (“一带一路”建设的重要支撑)
            end = tail.end + len(_trailing(_read(doc, tail.end, tail.end + 6), lexicon))
            if _read(doc, end, end + 1) not in possessive:
                continue
            # 的, then at most one descriptor (重要, 核心) or the place of a practice
            # (乡村振兴战略的浙江实践), then the cue
            stated = {
                relation
                for at, relation in cues
                if end < at <= end + 4
                and (
                    (gap := _read(doc, end + 1, at)) == ""
                    or gap in lexicon.descriptors
                    or lexicon.is_place(gap)
                )
            }
            # the subject is the first name of the tail's clause, else of the sentence
            # (高水平建设“四大建设”，其中大湾区建设是“四大建设”的核心)
            clause = _clause_start(doc, tail.start, index)
            own = [m for m in standalone if m.start >= clause]
            # a part of the whole's type is part of it; anything else a component or a
            # carrier of a programme supports it (前湾新区是长三角一体化的重要组成部分)
            roles: list[tuple[RelationType, tuple[EntityType, ...]]] = []
            if RelationType.PART_OF in stated and tail.type in _WHOLES:
                roles.append((RelationType.PART_OF, (tail.type,)))
            if stated and tail.type is EntityType.PROGRAMME:
                roles.append((RelationType.SUPPORTS, _SUPPORTERS))
            found = next(
                (
                    (relation, subject)
                    for relation, types in roles
                    for names in (own, standalone)
                    if (subject := _subject(names, tail, types, lexicon)) is not None
                ),
                None,
            )
            if found is None and roles and doc.text.startswith(as_words, clause):
                # …or, in a clause that opens with 作为, the first name after it (作为乙的
                # 重要支撑，甲…)
                after = [m for m in standalone if m.start > _clause_end(doc, tail.end, index)]
                relation, types = roles[0]
                subject = _subject(after, tail, types, lexicon, before=False)
                found = (relation, subject) if subject is not None else None
            if found is not None:
                yield _relation(doc, found[1], found[0], tail)


def stated_provision(
    doc: Document, mentions: list[Mention], lexicon: Lexicon
) -> Iterator[Relation]:
    """A sentence's subject supports the programme it provides for (甲…为乙建设提供有力
    支撑): the programme right after 为 and right before a cue of role ``provides``."""
    marks = tuple(lexicon.modifiers.get("beneficiary", ()))
    leads = lexicon.modifiers.get("lead", frozenset())
    if not marks or not _document_cues(doc.text, lexicon).get("provides"):
        return  # most documents hold no such cue: their sentences are not grouped
    for _, cues, standalone in _cue_sentences(doc, mentions, lexicon, "provides"):
        for tail in standalone:
            if tail.type is not EntityType.PROGRAMME:
                continue
            # 为, then the name, perhaps quoted (为“一带一路”建设提供…), perhaps after a
            # verb of two characters (为共建“一带一路”提供…)
            before = _read(doc, tail.start - 5, tail.start).rstrip(_OPENING)
            verb = before[-2:] if before[-2:] in leads else ""
            if not before[: len(before) - len(verb)].endswith(marks):
                continue
            end = tail.end + len(_trailing(_read(doc, tail.end, tail.end + 6), lexicon))
            if not any(at == end for at, _ in cues):
                continue
            carrier = _subject(standalone, tail, _SUPPORTERS, lexicon)
            if carrier is not None:
                yield _relation(doc, carrier, RelationType.SUPPORTS, tail)


def _cue_sentences(
    doc: Document, mentions: list[Mention], lexicon: Lexicon, role: str
) -> Iterator[tuple[int, list[tuple[int, RelationType]], list[Mention]]]:
    """Yield each sentence that holds a cue of ``role``: its index, where its cues stand
    and its names that stand on their own, decoded abbreviations left out."""
    for index, group in _by_sentence(mentions).items():
        cues = _cue_positions(doc, index, lexicon, role, group)
        if cues:
            yield index, cues, [m for m in _standalone(group) if not m.decoded]


def _trailing(text: str, lexicon: Lexicon) -> str:
    """Return the closing quotation marks and the trailing word (建设, 工作) that ``text``
    starts with, which are no part of the name before them."""
    quotes = len(text) - len(text.lstrip(_CLOSING))
    word = next((w for w in lexicon.modifiers.get("tail", ()) if text.startswith(w, quotes)), "")
    return text[: quotes + len(word)]


def _subject(
    names: list[Mention],
    tail: Mention,
    types: tuple[EntityType, ...],
    lexicon: Lexicon,
    *,
    before: bool = True,
) -> Mention | None:
    """Return the first of ``names`` of one of ``types``, if it comes before ``tail``
    (``before=False``: wherever it stands) and is not the same thing."""
    first = next((m for m in names if m.type in types), None)
    if first is None or (before and first.end > tail.start):
        return None
    return first if _canonical(first, lexicon) != _canonical(tail, lexicon) else None


def stated_focus(doc: Document, mentions: list[Mention], lexicon: Lexicon) -> Iterator[Relation]:
    """A sentence that develops industries (以甲为主导, 大力发展乙) ties them to its platforms."""
    anaphors = tuple(sorted(lexicon.modifiers.get("anaphor", ()), key=len, reverse=True))
    platforms = [m for m in _standalone(mentions) if m.type is EntityType.PLATFORM]
    for index, group in _by_sentence(mentions).items():
        if not _cue_positions(doc, index, lexicon, "sentence", group):
            continue
        standalone = _standalone(group)
        joins = lexicon.modifiers.get("join", frozenset())
        sentence = doc.sentences[index]
        # a sentence that opens with a word for a zone (园区, 新区) speaks of the last
        # platform its paragraph named (苏州工业园区位于…。园区重点发展甲、乙)
        anaphor = next((w for w in anaphors if doc.text.startswith(w, sentence.start)), None)
        named = _named_before(doc, platforms, sentence, anaphor, lexicon) if anaphor else None
        for industry in (m for m in standalone if m.type is EntityType.INDUSTRY):
            before = [m for m in standalone if m.end <= industry.start and not m.decoded]
            if named is not None and all(m.type is EntityType.INDUSTRY for m in before):
                clause = _clause_start(doc, industry.start, index)
                if not _opens_clause(doc, industry, standalone, clause):
                    yield _relation(doc, named, RelationType.FOCUSES_ON, industry)
                continue
            if not before:
                continue
            clause = _clause_start(doc, industry.start, index)
            if _opens_clause(doc, industry, standalone, clause):
                continue  # 甲新区加快发展，乙、丙等产业持续壮大: the industries' own clause
            # a transport link (…高铁, …通道) carries traffic, it develops no industry
            carriers = [
                m
                for m in before
                if m.type is EntityType.PLATFORM
                or (m.type is EntityType.PROJECT and lexicon.link_head(m.name) is None)
                # …and an organisation that is its clause's subject (甲公司与乙大学签署…，
                # 双方将围绕丙…), not one a verb takes (集聚华为、腾讯等企业)
                or (
                    m.type is EntityType.ORGANIZATION
                    and _opens_run(doc, m, before, index, joins | {LIST_MARK})
                )
            ]
            # the nearest carrier, and those joined to it by 与/和 (甲港与乙港…功能布局);
            # carriers listed with 、 before it are the objects of another verb
            heads = _listed_before(doc, carriers, joins) if carriers else []
            # …unless those are the objects of an earlier clause's verb and a name opens the
            # sentence: its subject's industries (海口市推进甲、乙建设，聚焦丙)
            opener = before[0] if before[0].start == sentence.start else None
            # …the last of the places written one in the other there (吉林省长春市: 长春)
            if opener is not None and opener.type is EntityType.REGION:
                opener = list(takewhile(_is_region, _listed_after(doc, before, _ADJOINING)))[-1]
            if (
                heads
                and opener is not None
                and opener.type in _FOCUSED
                and heads[0].start > _clause_start(doc, heads[0].start, index)
                and _clause_start(doc, heads[-1].start, index) < clause
            ):
                heads = [opener]
            # with no carrier, the nearest place and those listed with it (在甲、乙布局丙)
            places = [
                m for m in before if m.type is EntityType.REGION and not lexicon.is_water(m.name)
            ]
            if not heads and places:
                heads = _listed_before(doc, places, joins | {LIST_MARK})
            for head in heads:
                yield _relation(doc, head, RelationType.FOCUSES_ON, industry)


def _named_before(
    doc: Document, platforms: list[Mention], sentence: Sentence, anaphor: str, lexicon: Lexicon
) -> Mention | None:
    """Return the last platform named before ``sentence`` in its paragraph that the word
    ``anaphor`` may stand for: one whose name ends in it or in its full form (新区, 高新区:
    …高新技术产业开发区), or any for a word that is no head (该区)."""
    ends = (anaphor, *(full for short, full in lexicon.expansions if short == anaphor))
    for m in reversed(platforms):
        if m.end > sentence.start:
            continue
        if doc.sentences[m.sentence].paragraph != sentence.paragraph:
            return None
        if anaphor not in lexicon.heads or m.name.endswith(ends) or m.surface.endswith(ends):
            return m
    return None


def _is_region(name: Mention) -> bool:
    return name.type is EntityType.REGION


def _opens_run(
    doc: Document, name: Mention, names: list[Mention], sentence: int, marks: frozenset[str]
) -> bool:
    """Return True when ``name``, or the first of the names that one of ``marks`` lists or
    joins with it, opens its clause."""
    first = _listed_before(doc, names[: names.index(name) + 1], marks)[0]
    return not _read(doc, _clause_start(doc, name.start, sentence), first.start).strip(_OPENING)


#: the types whose industries a sentence may name
_FOCUSED = (
    EntityType.REGION,
    EntityType.PLATFORM,
    EntityType.PROJECT,
    EntityType.ORGANIZATION,
)


def _opens_clause(doc: Document, name: Mention, names: list[Mention], clause: int) -> bool:
    """Return True when the clause of ``name``, not the sentence's first, opens with a name
    of its type: the clause's subject, which no carrier of an earlier clause acts on."""
    if clause == doc.sentences[name.sentence].start:
        return False
    first = next((m for m in names if m.start >= clause), None)
    return (
        first is not None
        and first.type is name.type
        and (first.start == clause or not _read(doc, clause, first.start).strip(_OPENING))
    )


def stated_cooperation(
    doc: Document, mentions: list[Mention], lexicon: Lexicon
) -> Iterator[Relation]:
    """Names joined by 与/和 cooperate when a cooperation cue follows (甲与乙联动发展)."""
    # 与, 和, or a verb of acting together between two names (甲联合乙、丙共建)
    joins = lexicon.modifiers.get("join", frozenset()) | lexicon.modifiers.get(
        "together", frozenset()
    )
    # a name followed by 沿线 or 周边 stands for the area around it, which no mention names
    around = tuple(lexicon.modifiers.get("around", ()))
    reach = max(map(len, around), default=0)
    parties = tuple(sorted(lexicon.modifiers.get("party", ()), key=len, reverse=True))
    join_words = tuple(joins)
    lasts = lexicon.modifiers.get("last", frozenset())
    for index, group in _by_sentence(mentions).items():
        cues = [at for at, _ in _cue_positions(doc, index, lexicon, "between", group)]
        docking = {at for at, _ in _cue_positions(doc, index, lexicon, "toward", group)}
        standalone = sorted(
            (
                m
                for m in _standalone(group)
                if m.type in _PARTNERS and not _read(doc, m.end, m.end + reach).startswith(around)
            ),
            key=lambda m: m.start,
        )
        for i, right in enumerate(standalone):
            joined = any(_read(doc, right.start - n, right.start) in joins for n in (1, 2))
            if not joined or not any(at > right.start for at in cues):
                continue
            # the nearest name before the join, of the partner's type or, right before
            # it, of another (哈尔滨新区与深圳开展对口合作)
            before = standalone[i - 1] if i else None
            same = next((m for m in reversed(standalone[:i]) if m.type is right.type), None)
            adjacent = before is not None and _read(doc, before.end, right.start) in joins
            left = before if adjacent else same
            clause = _clause_start(doc, right.start, index), _clause_end(doc, right.end, index)
            if _read(doc, clause[1] + 1, clause[1] + 4).startswith(parties):
                # the next clause speaks of the partners as their count (甲与乙举行会谈，
                # 双方将在…深化合作)
                clause = clause[0], _clause_end(doc, clause[1] + 1, index)
            if left is not None and left.start < clause[0]:
                # a partner before the clause is a subject: the last name of the type that
                # starts its clause (甲要立足乙，…，提升与丙的协同), else the sentence's first
                # (加快甲建设，…，与乙联动发展), never one listed as an object (对口支援甲、
                # 乙和丙，深化与丁对口合作: no partners)
                earlier = [m for m in standalone[:i] if m.type is right.type]
                left = next(
                    (m for m in reversed(earlier) if _clause_start(doc, m.start, index) == m.start),
                    earlier[0] if earlier else None,
                )
                if left is not None and _in_list(doc, left, standalone, joins):
                    left = None
            # the cue stands in the partners' clause
            if left is None or not any(right.start < at < clause[1] for at in cues):
                continue
            # …and the names listed with 、 right before it (甲、乙与丙共建)
            kin = [m for m in standalone[: standalone.index(left) + 1] if m.type is left.type]
            lefts = _listed_before(doc, kin, frozenset({LIST_MARK}))
            cue = min(at for at in cues if at > right.start)
            # the partner and those listed with it (与乙、丙签署…协同: not a place named later)
            rest = standalone[i + 1 :]
            if rest and right.type is EntityType.REGION and _addresses(right, rest[0]):
                right, rest = rest[0], rest[1:]  # 与北京中关村合作: the partner is 中关村
            kind = [m for m in rest if m.start < cue and m.type is right.type]
            listed = _listed_after(doc, [right, *kind], joins | {LIST_MARK, ""})
            partners = _addressed(listed, lexicon)
            pairs: Iterable[tuple[Mention, Mention]] = product(lefts, partners)
            if adjacent and _paired(doc, standalone, standalone.index(left), joins):
                # pairs listed (甲与乙、丙与丁结对合作): each with its own partner
                pairs = [(left, right)]
            elif adjacent and len(partners) == 1 and _read(doc, left.end, right.start) in lasts:
                # 和 ends one list of parties (甲、乙和丙协同发展: every two of them), the
                # other side of a join when one comes before it (与甲、乙和丙合作)
                if _read(doc, max(0, lefts[0].start - 2), lefts[0].start).endswith(join_words):
                    continue
                pairs = combinations([*lefts, *partners], 2)
            for one, partner in pairs:
                if _distinct_partners(one, partner, lexicon):
                    yield _relation(doc, one, RelationType.COOPERATES_WITH, partner)
        # names of one type listed with 、 right before the cue are its parties, every two
        # of them (重庆、四川两地联合实施; 江苏、浙江携手打造), unless the list is the
        # other side of a join (与上交所、深交所合作: each cooperates with the subject)
        for run in _listed(doc, standalone, lexicon):
            if _read(doc, max(0, run[0].start - 2), run[0].start).endswith(join_words):
                continue
            after = _read(doc, run[-1].end, run[-1].end + 6)
            quoted = len(after) - len(after.lstrip(_OPENING))  # 杭州、宁波“双城记”
            # the parties' count, quoted or not (广州、深圳“双城”联动)
            party = next((len(w) for w in parties if after.startswith(w, quoted)), 0)
            if party:
                party += quoted
                party += len(after[party:]) - len(after[party:].lstrip(_CLOSING))
            if run[-1].end + party not in cues and run[-1].end + quoted not in cues:
                continue
            if run[-1].end in docking and any(
                0 < m.start - run[-1].end <= _DOCKED_WITHIN for m in standalone
            ):
                continue  # 嘉兴、湖州对接上海: each docks with the partner after the cue
            for i, left in enumerate(run):
                for partner in run[i + 1 :]:
                    if _distinct_partners(left, partner, lexicon):
                        yield _relation(doc, left, RelationType.COOPERATES_WITH, partner)


def stated_docking(doc: Document, mentions: list[Mention], lexicon: Lexicon) -> Iterator[Relation]:
    """A partner that docks with the one right after a cue (嘉兴全面接轨上海) cooperates
    with it, when both stand in the cue's clause or the partner opens the sentence."""
    if not _document_cues(doc.text, lexicon).get("toward"):
        return  # most documents hold no such cue: their sentences are not grouped
    marks = lexicon.modifiers.get("join", frozenset()) | {LIST_MARK}
    for index, cues, standalone in _cue_sentences(doc, mentions, lexicon, "toward"):
        partners = [m for m in standalone if m.type in _PARTNERS]
        for at, _ in cues:
            after = [m for m in partners if m.start >= at]
            before = [m for m in partners if m.end <= at]
            if not after or not before or after[0].start - at > _DOCKED_WITHIN:
                continue
            # …and the names listed with each (嘉兴、湖州对接上海、苏州: four pairs)
            clause = _clause_start(doc, at, index)
            lefts = [m for m in _listed_before(doc, before, marks) if m.start >= clause]
            # …or, with none in the cue's clause, the sentence's subject: a name that opens
            # it (嘉兴加快建设甲，全面接轨上海)
            if not lefts and not _read(doc, doc.sentences[index].start, before[0].start):
                lefts = before[:1]
            rights = _listed_after(doc, after, marks)
            for left, right in product(lefts, rights):
                if _distinct_partners(left, right, lexicon):
                    yield _relation(doc, left, RelationType.COOPERATES_WITH, right)


def _addresses(place: Mention, name: Mention) -> bool:
    """Return True when ``place`` is written right before a platform, project or body it
    addresses (北京|中关村, 上海|张江实验室)."""
    return name.start == place.end and name.type in _HOSTS


def _addressed(names: list[Mention], lexicon: Lexicon) -> list[Mention]:
    """Return ``names`` without the places that only address the next one (上海市|崇明区:
    the partner is 崇明, which lies in 上海)."""
    return [
        m
        for m, after in zip(names, [*names[1:], None], strict=True)
        if after is None
        or after.start != m.end
        or not lexicon.within(_canonical(after, lexicon), _canonical(m, lexicon))
    ]


def _paired(doc: Document, names: list[Mention], at: int, joins: frozenset[str]) -> bool:
    """Return True when the run of names around ``names[at]`` that joins and list marks
    separate is pairs joined by 与 and listed with 、 (甲与乙、丙与丁)."""
    marks = joins | {LIST_MARK}
    run = _listed_before(doc, names[: at + 1], marks) + _listed_after(doc, names[at:], marks)[1:]
    gaps = [_read(doc, a.end, b.start) for a, b in pairwise(run)]
    return sum(gap in joins for gap in gaps) > 1 and all(
        gap in joins if n % 2 == 0 else gap == LIST_MARK for n, gap in enumerate(gaps)
    )


def _distinct_partners(a: Mention, b: Mention, lexicon: Lexicon) -> bool:
    """Return True when two names can be partners: not one thing twice, nor a place and a
    place in it, nor a name and a place decoded from it (港澳 and 港)."""
    if a.start < b.end and b.start < a.end:
        return False
    one, other = _canonical(a, lexicon), _canonical(b, lexicon)
    if lexicon.is_water(one) or lexicon.is_water(other):
        return False  # a river or a bay is no partner (长江中游三省协同)
    return one != other and not lexicon.within(one, other) and not lexicon.within(other, one)


def _listed_before(doc: Document, names: list[Mention], marks: frozenset[str]) -> list[Mention]:
    """Return the last of ``names`` and those right before it that only one of ``marks``
    separates from the next (甲、乙与丙), in text order."""
    run = names[-1:]
    for m in reversed(names[:-1]):
        if _read(doc, m.end, run[0].start) not in marks:
            break
        run.insert(0, m)
    return run


def _listed_after(doc: Document, names: list[Mention], marks: frozenset[str]) -> list[Mention]:
    """Return the first of ``names`` and those right after it that only one of ``marks``
    separates from the one before (甲、乙和丙), in text order."""
    run = names[:1]
    for m in names[1:]:
        if _read(doc, run[-1].end, m.start) not in marks:
            break
        run.append(m)
    return run


def _in_list(doc: Document, name: Mention, names: list[Mention], joins: frozenset[str]) -> bool:
    """Return True when ``name`` is listed with the name before or after it (甲、乙和丙)."""
    at = names.index(name)
    marks = joins | {LIST_MARK}
    return (at > 0 and _read(doc, names[at - 1].end, name.start) in marks) or (
        at + 1 < len(names) and _read(doc, name.end, names[at + 1].start) in marks
    )


def _listed(doc: Document, names: list[Mention], lexicon: Lexicon) -> Iterator[list[Mention]]:
    """Yield the runs of two or more names of one type, in text order, that only a list
    mark or a dash separates (甲、乙、丙; 西安—咸阳); a place written before one in it
    only addresses it (安徽宿州、江苏徐州: 宿州 and 徐州)."""
    run: list[Mention] = []
    for m in names:
        between = _read(doc, run[-1].end, m.start) if run else ""
        if run and run[-1].type is m.type and (between == LIST_MARK or between in _PAIR_DASHES):
            run.append(m)
            continue
        if (
            run
            and between == ""
            and run[-1].type is m.type is EntityType.REGION
            and lexicon.within(_canonical(m, lexicon), _canonical(run[-1], lexicon))
        ):
            run[-1] = m
            continue
        if len(run) > 1:
            yield run
        run = [m]
    if len(run) > 1:
        yield run


def stated_links(doc: Document, mentions: list[Mention], lexicon: Lexicon) -> Iterator[Relation]:
    """A transport project before a linking cue (连接, 串联) connects each place named
    after it in the cue's clause (甲铁路建成通车，串联乙、丙和丁)."""
    for index, cues, standalone in _cue_sentences(doc, mentions, lexicon, "link"):
        for cue, _ in cues:
            projects = [m for m in standalone if m.end <= cue and m.type is EntityType.PROJECT]
            if not projects:
                continue
            end = _clause_end(doc, cue, index)
            for place in standalone:
                if place.type is EntityType.REGION and cue < place.start and place.end <= end:
                    yield _relation(doc, projects[-1], RelationType.CONNECTS, place)


def stated_location(doc: Document, mentions: list[Mention], lexicon: Lexicon) -> Iterator[Relation]:
    """A platform, project or organisation lies in the places its clause puts it in: those
    after a cue of role ``in`` it comes before (前湾新区位于宁波杭州湾) or describe it
    (位于杭州湾南岸的前湾新区), or the place before a cue of role ``gets`` it comes after
    (温州获批国家自主创新示范区)."""
    possessive = lexicon.modifiers.get("possessive", frozenset())
    marks = lexicon.modifiers.get("join", frozenset()) | {LIST_MARK}
    for index, group in _by_sentence(mentions).items():
        types = {m.type for m in group}
        if EntityType.REGION not in types or types.isdisjoint(_HOSTS):
            continue  # nothing to place, or nowhere: most sentences
        cues = [
            (at, role)
            for role in ("in", "gets", "builds")
            for at, _ in _cue_positions(doc, index, lexicon, role, group)
        ]
        standalone = [m for m in _standalone(group) if not m.decoded] if cues else []
        for cue, role in cues:
            before, after = _clause_names(doc, standalone, cue, index)
            # the name right before 位于 and the places after it; the place right before
            # 获批 and the names after it
            hosts, places = (before[-1:], after) if role == "in" else (after, before[-1:])
            if role == "builds":
                # the place that builds, right before the cue or a few words of manner
                # (湖州要高水平建设), and the names it builds, listed right after it
                built = after[:1] if after and after[0].start - cue <= _BUILT_WITHIN else []
                hosts = _listed_after(doc, after, marks) if built else []
                # (not where partners build together: 甲与乙联合打造)
                places = [
                    m
                    for m in before[-1:]
                    if len(gap := _read(doc, m.end, cue)) <= _BUILT_WITHIN
                    and not any(c in marks for c in gap)
                    and not any(c in gap for c in lexicon.cooperation_cues)
                ]
            if role == "in" and not any(h.type in _HOSTS for h in hosts):
                # …or the name the places describe with 的 (位于杭州湾南岸的宁波前湾新区)
                hosts, places = _described(doc, after, possessive)
            for host in hosts:
                for place in places:
                    if host.type in _HOSTS and place.type is EntityType.REGION:
                        yield _relation(doc, host, RelationType.LOCATED_IN, place)


def _described(
    doc: Document, after: list[Mention], possessive: frozenset[str]
) -> tuple[list[Mention], list[Mention]]:
    """Return the name right after the places that open ``after`` and a short 的
    (杭州湾南岸的|前湾新区), and those places; or nothing."""
    places = list(takewhile(lambda m: m.type is EntityType.REGION, after))
    if not places or len(after) == len(places):
        return [], []
    host = after[len(places)]
    gap = _read(doc, places[-1].end, host.start)
    if len(gap) > _DESCRIBED_WITHIN or gap[-1:] not in possessive:
        return [], []
    return [host], places


def stated_venue(doc: Document, mentions: list[Mention], lexicon: Lexicon) -> Iterator[Relation]:
    """An event or platform is held in the place between a venue's preposition (在) and a
    cue of role ``held`` (中国—南亚博览会在昆明开幕), and in the places written before that one
    (在云南昆明), when the name stands right before 在."""
    if not _document_cues(doc.text, lexicon).get("held"):
        return  # most documents hold no such cue: their sentences are not grouped
    venues = lexicon.modifiers.get("venue", frozenset())
    for _, cues, names in _cue_sentences(doc, mentions, lexicon, "held"):
        for cue, _ in cues:
            place = next((m for m in names if m.end == cue), None)
            if place is None or place.type is not EntityType.REGION:
                continue
            # …and the places it lies in, written before it (在浙江桐乡开幕)
            written = _listed_before(doc, names[: names.index(place) + 1], _ADJOINING)
            places = list(takewhile(_is_region, reversed(written)))[::-1]
            first = places[0].start
            at = next((w for w in venues if _read(doc, first - len(w), first) == w), "")
            host = next((m for m in names if m.end == first - len(at)), None) if at else None
            if host is not None and host.type in _HOSTS:
                for one in places:
                    yield _relation(doc, host, RelationType.LOCATED_IN, one)


def stated_parts(doc: Document, mentions: list[Mention], lexicon: Lexicon) -> Iterator[Relation]:
    """Each name after a cue of role ``includes`` (包括) in its clause is part of the name
    right before the cue, when both are of one type that has parts (“四大建设”包括大湾区
    建设、大花园建设: each partOf 四大建设)."""
    for index, cues, standalone in _cue_sentences(doc, mentions, lexicon, "includes"):
        for cue, _ in cues:
            before, after = _clause_names(doc, standalone, cue, index)
            if not before or before[-1].type not in _WHOLES:
                continue
            whole = before[-1]
            for part in after:
                same = _canonical(part, lexicon) == _canonical(whole, lexicon)
                if part.type is whole.type and not same:
                    yield _relation(doc, part, RelationType.PART_OF, whole)


def _clause_names(
    doc: Document, names: list[Mention], cue: int, sentence: int
) -> tuple[list[Mention], list[Mention]]:
    """Return the names of a cue's clause that stand before the cue, and after it."""
    start, end = _clause_start(doc, cue, sentence), _clause_end(doc, cue, sentence)
    before = [m for m in names if start <= m.start and m.end <= cue]
    return before, [m for m in names if cue < m.start and m.end <= end]


def _clause_end(doc: Document, position: int, sentence: int) -> int:
    s = doc.sentences[sentence]
    ends = [at for c in _CLAUSE_MARKS if (at := doc.text.find(c, position, s.end)) >= 0]
    return min(ends, default=s.end)


def section_support(doc: Document, mentions: list[Mention], lexicon: Lexicon) -> Iterator[Relation]:
    """What a section headed by a programme builds supports that programme."""
    heading_of = {s.start: s.index for s in doc.sections}
    programmes: dict[int, list[Mention]] = defaultdict(list)
    for m in mentions:
        sentence = doc.sentences[m.sentence]
        if (
            m.type is EntityType.PROGRAMME
            and sentence.start in heading_of
            and sentence.section >= 0
        ):
            programmes[sentence.section].append(m)
    for m in mentions:
        sentence = doc.sentences[m.sentence]
        if m.type not in (EntityType.PLATFORM, EntityType.PROJECT) or sentence.start in heading_of:
            continue
        for programme in programmes.get(sentence.section, []):
            yield _relation(doc, m, RelationType.SUPPORTS, programme)


#: Every relation rule, in the order they run.
RULES: tuple[Rule, ...] = (
    connected_places,
    decoded_cooperation,
    named_places,
    region_parts,
    platform_parts,
    named_industries,
    stated_support,
    stated_roles,
    stated_provision,
    stated_focus,
    stated_cooperation,
    stated_docking,
    stated_links,
    stated_location,
    stated_venue,
    stated_parts,
    section_support,
)


def extract_relations(doc: Document, mentions: list[Mention], lexicon: Lexicon) -> list[Relation]:
    """Return the relations a document states, each with its evidence sentence.

    Args:
        doc: a segmented document.
        mentions: its mentions (from ``extract_mentions``).
        lexicon: the loaded lexicon.

    Returns:
        Relations between mentions, without duplicates.
    """
    seen: dict[tuple, Relation] = {}
    for rule in RULES:
        for relation in rule(doc, mentions, lexicon):
            key = (relation.head, relation.type, relation.tail)
            seen.setdefault(key, relation)
    return list(seen.values())
