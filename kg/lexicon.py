"""Load the lexicons under ``ontology/lexicons/`` into typed, cached tables.

Every file is TSV with a header line; ``#`` lines are comments and ``|`` separates
several values in one cell. The extractor reads domain knowledge only from here.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kg.errors import OntologyError
from kg.model import EntityType, RelationType

__all__ = ["COOPERATION_REACH", "LIST_MARK", "Cue", "Lexicon", "Name", "load_lexicon"]

#: the mark between the items of a list (甲、乙、丙)
LIST_MARK = "、"
#: how far after a run of place abbreviations (and the runs listed with it) its cooperation
#: cue may end: a word of the field and the cue (成渝|地区双城经济圈)
COOPERATION_REACH = 8

# Named-entity tables and the type of the names each holds.
_NAME_TABLES: dict[str, EntityType] = {
    "regions": EntityType.REGION,
    "countries": EntityType.REGION,
    "platforms": EntityType.PLATFORM,
    "programmes": EntityType.PROGRAMME,
    "industries": EntityType.INDUSTRY,
    "organizations": EntityType.ORGANIZATION,
    "projects": EntityType.PROJECT,
}


@dataclass(frozen=True, slots=True)
class Name:
    """What a lexicon says a surface form names."""

    canonical: str
    type: EntityType
    #: administrative level for regions (country, province, prefecture, county, ...)
    level: str = ""
    #: the same name belongs to several things; trust it only with context
    ambiguous: bool = False


@dataclass(frozen=True, slots=True)
class Cue:
    """A word that states a relation between the names around it."""

    word: str
    relation: RelationType
    role: str


@dataclass(frozen=True, eq=False)
class Lexicon:
    """All domain knowledge the extractor uses (hashed by identity, loaded once)."""

    names: dict[str, Name]
    #: region canonical name -> parent region canonical name
    parents: dict[str, str]
    #: place names that several places share (象山: 象山县 of 宁波, 象山区 of 桂林), which
    #: no table look-up decides: the places a document names around them do
    shared_places: dict[str, tuple[Name, ...]]
    #: named grouping of places (canonical) -> its member places (canonical)
    groupings: dict[str, frozenset[str]]
    #: single-character place abbreviation -> places it may stand for
    abbreviations: dict[str, tuple[Name, ...]]
    #: single-character country abbreviation -> country
    country_abbreviations: dict[str, Name]
    suffixes: tuple[tuple[str, EntityType, int], ...]
    #: suffixes whose name body must be place names (甬舟一体化)
    place_suffixes: frozenset[str]
    #: suffixes of a place's goals and brands, which never include the place's name
    goal_suffixes: frozenset[str]
    #: suffixes of transport links, whose names list the places they join
    link_suffixes: frozenset[str]
    #: suffixes of development zones, whose formal names may hold a rank (宁波国家高新区)
    zone_suffixes: frozenset[str]
    #: suffixes whose name body must name more than industries (锂电新能源项目 is generic)
    named_suffixes: frozenset[str]
    #: suffixes of party and government bodies: two written one after the other are two
    #: bodies (宁波市委市政府)
    body_suffixes: frozenset[str]
    #: suffixes of a plan's document: a strategy and descriptors before one name a plan
    #: (“一带一路”科技创新行动计划)
    plan_suffixes: frozenset[str]
    #: suffixes of a programme or of works: a project's head in the body makes works
    #: (申嘉湖高速西延工程), else a programme (甬江人才工程)
    works_suffixes: frozenset[str]
    modifiers: dict[str, frozenset[str]]
    descriptors: frozenset[str]
    #: ranks (国家, 省级) that stand between a place and its zone's head in a formal name
    ranks: frozenset[str]
    #: levels of government (省, 市) that alone before a head name a kind at that level
    #: (省实验室), where a body named with its level is one (市发改委)
    levels: frozenset[str]
    #: descriptors (国际) that stand between a place and any head in a formal name
    formal: frozenset[str]
    generic_phrases: frozenset[str]
    #: fields of projects (交通, 水利): a project named by them alone is a kind (重大交通项目)
    fields: frozenset[str]
    #: heads of a place's network (铁路, 轨道交通): one place and one of them name no link
    #: (宁波铁路), where two places do (沪甬铁路)
    networks: frozenset[str]
    cues: tuple[Cue, ...]
    #: short forms inside names and their full forms, longest first
    expansions: tuple[tuple[str, str], ...]
    #: the length of the longest known name (set after loading)
    max_name_length: int = field(init=False)
    #: every head suffix
    heads: frozenset[str] = field(init=False, repr=False)
    #: the length of the longest head suffix
    max_head_length: int = field(init=False, repr=False)
    #: first two characters of a name -> the longest name starting with them
    longest_from: dict[str, int] = field(init=False, repr=False)
    #: matches a run of two or more place abbreviations
    abbreviation_run: re.Pattern[str] = field(init=False, repr=False)
    #: keys of places that share their name with others, written as the parent's name and
    #: their own (北京市朝阳区): two mentions, the parent and the place it decides
    written_apart: frozenset[str] = field(init=False, repr=False)
    #: matches a run of two or three country abbreviations (日韩, 中日韩)
    country_run: re.Pattern[str] = field(init=False, repr=False)
    #: modifier word -> the kinds it has (lead, front, count, ...)
    modifier_kinds: dict[str, frozenset[str]] = field(init=False, repr=False)
    #: the cue words of cooperation (合作, 协同, 一体化, …)
    cooperation_cues: tuple[str, ...] = field(init=False, repr=False)
    #: the names of industries, and the descriptors that may stand among them
    industry_words: frozenset[str] = field(init=False, repr=False)
    #: the last two characters of industries' names (智能|制造): after an industry, a verb
    #: that is one of them continues its name (光伏|制造)
    industry_endings: frozenset[str] = field(init=False, repr=False)
    #: the words that name a kind of project: industries, fields and descriptors
    project_kinds: frozenset[str] = field(init=False, repr=False)
    #: the abbreviation of the country the documents are of, which contractions with it
    #: pair with another country's (中德, 中新)
    home_abbreviation: str = field(init=False, repr=False)
    #: last character -> the suffixes ending in it, longest first, with type and shortest name
    _by_last: dict[str, tuple[tuple[str, EntityType, int], ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # computed once: the extractor asks for these for every position of every sentence
        object.__setattr__(self, "max_name_length", max(map(len, self.names), default=1))
        by_suffix = {suffix: (type_, min_len) for suffix, type_, min_len in self.suffixes}
        by_last: dict[str, list[tuple[str, EntityType, int]]] = defaultdict(list)
        for suffix, (type_, min_len) in sorted(by_suffix.items(), key=lambda s: -len(s[0])):
            by_last[suffix[-1]].append((suffix, type_, min_len))
        object.__setattr__(self, "_by_last", {c: tuple(s) for c, s in by_last.items()})
        object.__setattr__(self, "heads", frozenset(by_suffix))
        object.__setattr__(self, "max_head_length", max(map(len, by_suffix), default=0))
        longest: dict[str, int] = {}
        for name in self.names:
            longest[name[:2]] = max(longest.get(name[:2], 0), len(name))
        object.__setattr__(self, "longest_from", longest)
        chars = "".join(sorted(self.abbreviations))
        object.__setattr__(self, "abbreviation_run", re.compile(f"[{re.escape(chars)}]{{2,}}"))
        countries = re.escape("".join(sorted(self.country_abbreviations)))
        object.__setattr__(self, "country_run", re.compile(f"[{countries}]{{2,3}}"))
        kinds: dict[str, set[str]] = defaultdict(set)
        for kind, words in self.modifiers.items():
            for word in words:
                kinds[word].add(kind)
        object.__setattr__(self, "modifier_kinds", {w: frozenset(k) for w, k in kinds.items()})
        cooperation = (c.word for c in self.cues if c.relation is RelationType.COOPERATES_WITH)
        object.__setattr__(self, "cooperation_cues", tuple(cooperation))
        industries = {n for n, e in self.names.items() if e.type is EntityType.INDUSTRY}
        object.__setattr__(self, "industry_words", frozenset(industries) | self.descriptors)
        object.__setattr__(self, "industry_endings", frozenset(n[-2:] for n in industries))
        object.__setattr__(self, "project_kinds", self.industry_words | self.fields)
        apart = {
            name
            for form, places in self.shared_places.items()
            for place in places
            # …which the document may decide (城区 and 郊区 are any city's, not decided)
            if form not in self.generic_phrases
            and (name := place.canonical).endswith(form)
            and len(name) > len(form)
            and self.is_place(name[: -len(form)])
        }
        object.__setattr__(self, "written_apart", frozenset(apart))
        # the country the documents are of is the root of regions.tsv: the one whose places
        # the table lists under it
        wholes = {p for p in self.parents.values() if self.is_place(p)}
        roots = {p for p in wholes if self.is_country(p)}
        home = (a for a, c in self.country_abbreviations.items() if c.canonical in roots)
        object.__setattr__(self, "home_abbreviation", next(home, ""))

    def expand(self, name: str) -> str:
        """Return ``name`` with each standard short form replaced by its full form."""
        for short, full in self.expansions:
            if short in name and full not in name:
                name = name.replace(short, full)
        return name

    def within(self, place: str, area: str) -> bool:
        """Return True when ``place`` lies in ``area`` (by parents or grouping members)."""
        members = self.groupings.get(area, frozenset())
        seen = set()
        while place and place not in seen:
            seen.add(place)
            if place in members:
                return True
            place = self.parents.get(place, "")
            if place == area:
                return True
        return False

    def place_prefix(self, text: str, longest: int) -> int:
        """Return the length of the longest place's name, of at most ``longest`` characters
        and at least two, that ``text`` starts with (苏州工业园区: 2), or 0."""
        return next(
            (n for n in range(min(longest, len(text)), 1, -1) if self.is_place(text[:n])), 0
        )

    def is_place(self, text: str) -> bool:
        """Return True when ``text`` is a place's name (宁波, 宁波市, 长三角)."""
        name = self.names.get(text)
        return name is not None and name.type is EntityType.REGION

    def is_water(self, text: str) -> bool:
        """Return True when ``text`` names a river, lake, bay or sea (长江, 杭州湾)."""
        name = self.names.get(text)
        return name is not None and name.type is EntityType.REGION and name.level == "water"

    def is_country(self, text: str) -> bool:
        """Return True when ``text`` names a country (中国, 日本)."""
        name = self.names.get(text)
        return name is not None and name.type is EntityType.REGION and name.level == "country"

    def is_grouping(self, text: str) -> bool:
        """Return True when ``text`` names a grouping of places (长三角, 东盟)."""
        name = self.names.get(text)
        return name is not None and name.type is EntityType.REGION and name.level == "grouping"

    def link_head(self, name: str) -> str | None:
        """Return the head of a transport link's name (…高铁, …通道), or None."""
        typed = self.suffix_type(name)
        return typed[1] if typed is not None and typed[1] in self.link_suffixes else None

    def after_listed_runs(self, text: str) -> str:
        """Return ``text`` after the runs of place abbreviations listed at its start, which
        share the cooperation cue after the last of them (、沪浙、沪皖合作 -> 合作).

        >>> lexicon = load_lexicon(Path(__file__).parent.parent / "ontology")
        >>> lexicon.after_listed_runs("、沪浙、沪皖合作，")
        '合作，'
        """
        cues = self.cooperation_cues
        while text[:1] == LIST_MARK:
            at = 1
            while text[at : at + 1] in self.abbreviations and not text.startswith(cues, at):
                at += 1
            if at == 1:
                break
            text = text[at:]
        return text

    def may_hold_name(self, text: str) -> bool:
        """Return False when no lexicon name and no head suffix occurs in ``text``.

        Every name the rules take is a lexicon name or ends in a head suffix, so a chunk
        for which this is False holds none; most chunks of a sentence (about 56 %) are
        such, and one scan of their characters costs less than walking their words.
        """
        names, longest_from, by_last = self.names, self.longest_from, self._by_last
        for pos, char in enumerate(text):
            for suffix, _, _ in by_last.get(char, ()):
                if text.endswith(suffix, 0, pos + 1):
                    return True
            for end in range(pos + 1, pos + 1 + longest_from.get(text[pos : pos + 2], 0)):
                if text[pos:end] in names:
                    return True
        return False

    def suffix_type(self, name: str, strict: bool = True) -> tuple[EntityType, str] | None:
        """Return the type a name's head suffix gives it, and that suffix.

        ``strict=False`` ignores the suffix's shortest-name rule: it types the shared
        head of a list (…等产业领域), which is not a name itself.
        """
        # most names end in no head's last character: one look-up answers them
        for suffix, type_, min_len in self._by_last.get(name[-1:], ()):
            if name.endswith(suffix):
                # too short for its longest head, a name is that head's generic word
                # (临空经济区), not a name of a shorter head's type (…经济区)
                return (type_, suffix) if len(name) >= min_len or not strict else None
        return None


def _rows(path: Path) -> Iterator[dict[str, str]]:
    try:
        lines = [
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ]
    except OSError as exc:
        raise OntologyError(f"{path}: cannot read lexicon ({exc.strerror})") from exc
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        yield {k: (v or "").strip() for k, v in row.items() if k}


def _forms(row: dict[str, str]) -> set[str]:
    return set(filter(None, [row["name"], row.get("full", ""), *_split(row.get("aliases", ""))]))


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _load_names(
    folder: Path,
) -> tuple[dict[str, Name], dict[str, str], dict[str, tuple[Name, ...]]]:
    names: dict[str, Name] = {}
    parents: dict[str, str] = {}
    shared: dict[str, list[Name]] = defaultdict(list)
    for table, type_ in _NAME_TABLES.items():
        path = folder / f"{table}.tsv"
        if not path.exists():
            continue
        rows = [row for row in _rows(path) if row.get("name")]
        claims: dict[str, int] = defaultdict(int)
        for row in rows:
            for form in _forms(row):
                claims[form] += 1
        for row in rows:
            canonical = row["name"]
            entry = Name(
                canonical,
                type_,
                level=row.get("level", "country" if table == "countries" else ""),
                ambiguous=row.get("ambiguous", "") == "1",
            )
            for form in _forms(row):
                # a form several rows share (城区, 鼓楼区, 大湾区) names none of them
                # for sure: only each row's own key stays
                if form == canonical or claims[form] == 1:
                    # the first table to claim a form keeps it: regions before the rest
                    names.setdefault(form, entry)
                elif type_ is EntityType.REGION:
                    shared[form].append(entry)  # …unless the places around it decide
            if row.get("parent"):
                parents[canonical] = row["parent"]
    kept = {form: tuple(places) for form, places in shared.items() if form not in names}
    return names, parents, kept


def _load_abbreviations(folder: Path, names: dict[str, Name]) -> dict[str, tuple[Name, ...]]:
    table: dict[str, list[Name]] = defaultdict(list)
    for row in _rows(folder / "abbreviations.tsv"):
        target = names.get(row["name"])
        if target is not None and target.type is EntityType.REGION:
            table[row["abbr"]].append(target)
    return {abbr: tuple(found) for abbr, found in table.items()}


def _load_country_abbreviations(folder: Path, names: dict[str, Name]) -> dict[str, Name]:
    path = folder / "countries.tsv"
    if not path.exists():
        return {}
    return {
        abbr: names[row["name"]]
        for row in _rows(path)
        for abbr in _split(row.get("abbr", ""))
        if row["name"] in names
    }


@cache
def load_lexicon(ontology_dir: Path) -> Lexicon:
    """Load every lexicon under ``ontology_dir/lexicons`` (once per folder).

    Args:
        ontology_dir: the ``ontology/`` folder.

    Returns:
        The tables the extractor reads.

    Raises:
        OntologyError: a lexicon file is missing or malformed.
    """
    folder = ontology_dir / "lexicons"
    names, parents, shared = _load_names(folder)
    try:
        suffix_rows = list(_rows(folder / "suffixes.tsv"))
        suffixes = tuple(
            sorted(
                ((r["suffix"], EntityType(r["type"]), int(r["min_len"])) for r in suffix_rows),
                key=lambda s: -len(s[0]),
            )
        )
        # the suffixes of each kind of name body (places, goal, links, zone, named)
        bodies: dict[str, set[str]] = defaultdict(set)
        for r in suffix_rows:
            bodies[r.get("body", "")].add(r["suffix"])
        cues = tuple(
            Cue(r["cue"], RelationType(r["relation"]), r["role"])
            for r in _rows(folder / "cues.tsv")
        )
    except (KeyError, ValueError) as exc:
        raise OntologyError(f"{folder}: malformed lexicon row ({exc})") from exc
    modifiers: dict[str, set[str]] = defaultdict(set)
    for row in _rows(folder / "modifiers.tsv"):
        modifiers[row["kind"]].add(row["word"])
    generic = list(_rows(folder / "generic.tsv"))

    def canonical(name: str) -> str:
        return names[name].canonical if name in names else name

    groupings = {
        canonical(r["name"]): frozenset(canonical(m) for m in _split(r["members"]))
        for r in _rows(folder / "groupings.tsv")
    }
    return Lexicon(
        names=names,
        parents=parents,
        shared_places=shared,
        groupings=groupings,
        abbreviations=_load_abbreviations(folder, names),
        country_abbreviations=_load_country_abbreviations(folder, names),
        suffixes=suffixes,
        place_suffixes=frozenset(bodies["places"]),
        goal_suffixes=frozenset(bodies["goal"]),
        link_suffixes=frozenset(bodies["links"]),
        zone_suffixes=frozenset(bodies["zone"]),
        named_suffixes=frozenset(bodies["named"]),
        body_suffixes=frozenset(bodies["body"]),
        plan_suffixes=frozenset(bodies["plan"]),
        works_suffixes=frozenset(bodies["works"]),
        modifiers={kind: frozenset(words) for kind, words in modifiers.items()},
        descriptors=frozenset(r["word"] for r in generic if r["kind"] == "descriptor"),
        ranks=frozenset(r["word"] for r in generic if r["kind"] == "rank"),
        formal=frozenset(r["word"] for r in generic if r["kind"] == "formal"),
        levels=frozenset(r["word"] for r in generic if r["kind"] == "level"),
        generic_phrases=frozenset(r["word"] for r in generic if r["kind"] == "phrase"),
        fields=frozenset(r["word"] for r in generic if r["kind"] == "field"),
        networks=frozenset(r["word"] for r in generic if r["kind"] == "network"),
        cues=cues,
        expansions=tuple(
            sorted(
                ((r["short"], r["full"]) for r in _rows(folder / "expansions.tsv")),
                key=lambda pair: -len(pair[0]),
            )
        ),
    )
