"""Take the names out of one chunk of a sentence: the rules ``kg.entities`` applies.

A chunk is a stretch of a sentence between punctuation marks. Its words (jieba's, with
dictionary tags) are walked left to right: leading verbs and modifiers are stepped over,
and at each position the longest name is taken, a lexicon name or a run of words that
ends in a head suffix typing it (…新区 Platform, …铁路 Project, …计划 Programme) and holds
no verb but the one right before its head. The tests a name must pass, generic nouns
(重大项目) and numbered formulas (“六化协同”) among them, are here too.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache

from kg.lexicon import Lexicon
from kg.model import EntityType
from kg.tokens import words

__all__ = [
    "Chunker",
    "Found",
    "closing_phrase",
    "core_span",
    "first_lead",
    "is_formula",
    "is_generic",
    "name_like",
    "quantity_length",
]

_NAME_CHAR = re.compile(r"[\w+—\-（）()·]")
_MAX_NAME = 30
_NONE: frozenset[str] = frozenset()
# jieba dictionary tags of proper names: places, organisations, other names
_NAME_TAGS = frozenset({"nz", "ns", "nt"})
_CARRIERS = (EntityType.PLATFORM, EntityType.PROJECT, EntityType.ORGANIZATION)
# jieba dictionary tags of function words (conjunctions, adverbs, prepositions,
# pronouns, particles): a name never runs across one.
_FUNCTION_TAGS = frozenset({"c", "d", "ad", "p", "r", "u", "uj", "ul", "uz", "y", "e"})
# jieba dictionary tags of idioms and set phrases (高度重视, 全力以赴)
_PHRASE_TAGS = frozenset({"i", "l"})


@dataclass(slots=True)
class Found:
    """A name found in a chunk: its span in the chunk (or the view), name and type."""

    start: int
    end: int
    name: str
    type: EntityType
    decoded: bool = False
    #: a name even if it reads generic: named by a counted list (杭州湾、梅山两大产业集聚区)
    #: or by book-title marks (《浙江省第十四个五年规划》)
    named: bool = False


class Chunker:
    """Take the names out of one chunk of a sentence.

    Args:
        text: the chunk.
        lexicon: the loaded lexicon.
        opens: where quotation marks opened in the chunk (a name may start there).
    """

    def __init__(self, text: str, lexicon: Lexicon, opens: frozenset[int] = frozenset()) -> None:
        self.text = text
        self.lex = lexicon
        #: where quotation marks opened (a name may start there)
        self.opens = opens
        self.restart: int | None = None
        self.words = {start: (word, tag) for start, word, tag in words(text, lexicon)}
        self.bounds = frozenset(self.words) | {len(text)}
        #: the word boundaries in order, for the rules that scan a range of them
        self.order = sorted(self.bounds)
        self.found: list[Found] = []
        #: position -> the modifier words from there to a word boundary, longest first
        self._modifiers: dict[int, list[tuple[str, frozenset[str]]]] = {}
        #: words that count (两大), looked for at every position however jieba cuts them
        self.counts = _counts(lexicon)
        self.numerals = lexicon.modifiers.get("numeral", _NONE)
        self.ones = lexicon.modifiers.get("one", _NONE)
        self.joins = lexicon.modifiers.get("join", _NONE)

    def _word_at(self, pos: int, kinds: tuple[str, ...]) -> str | None:
        word, tag = self.words.get(pos, ("", ""))
        # tags decide only for words of two or more characters: one-character words
        # (通, 自) are too often parts of names; the modifiers list names those that are not
        if (
            len(word) > 1
            # head words type names whatever jieba's dictionary calls them (高速 is an adverb)
            and word not in self.lex.heads
            and (("lead" in kinds and tag in _FUNCTION_TAGS) or ("verb" in kinds and tag == "v"))
        ):
            return word
        for word, known in self._modifiers_at(pos):
            if not known.isdisjoint(kinds):
                return word
        return None

    def _known_word(self, start: int, end: int) -> bool:
        """Return True when the text from ``start`` to ``end`` is a known name, or one word
        jieba's dictionary tags as a proper name."""
        word, tag = self.words.get(start, ("", ""))
        text = self.text[start:end]
        return text in self.lex.names or (word == text and tag in _NAME_TAGS)

    def _modifiers_at(self, pos: int) -> list[tuple[str, frozenset[str]]]:
        # the rules ask about one position with several kinds of word: look them up once
        found = self._modifiers.get(pos)
        if found is None:
            known = self.lex.modifier_kinds
            found = []
            for end in reversed(self._between(pos, pos + 6)):
                kinds = known.get(self.text[pos:end])
                if kinds:
                    found.append((self.text[pos:end], kinds))
            self._modifiers[pos] = found
        return found

    def _between(self, low: int, high: int) -> list[int]:
        """Return the word boundaries strictly between ``low`` and ``high``, in order."""
        return self.order[bisect_right(self.order, low) : bisect_left(self.order, high)]

    def _lexicon_at(self, pos: int) -> Found | None:
        longest = self.lex.longest_from.get(self.text[pos : pos + 2], 0)
        # a name ends where a word does: only those ends are looked up, longest first
        for end in reversed(self._between(pos + 1, pos + longest + 1)):
            name = self.lex.names.get(self.text[pos:end])
            if name is not None and self.text[pos:end] not in self.lex.written_apart:
                return Found(pos, end, self.text[pos:end], name.type)
        return None

    def _counted(self, pos: int) -> int:
        """Return the length of a quantity at ``pos`` (20个, 三个), which is no part of a
        name, or 0; a numbered formula keeps its number (六个一工程), which is never in
        figures (3个|万亿级产业集群)."""
        char = self.text[pos]
        if not (char.isdigit() or char in self.numerals):
            return 0
        counted = quantity_length(self.text[pos : pos + 12], self.lex)
        after = self.text[pos + counted : pos + counted + 1]
        return counted if counted and (char.isdigit() or not is_formula(after, self.lex)) else 0

    def _suffix_at(self, pos: int, before: int | None = None) -> Found | None:
        """Return the longest run from ``pos`` (ending before ``before``, if given) that ends
        in a head suffix and holds no verb."""
        limit = min(len(self.text), pos + _MAX_NAME)
        verb_at, listed_verb = limit, False
        # jieba reads some runs of place abbreviations as verbs (成达|万高铁): in a link's
        # name they are its places
        abbreviated_verb_at = limit
        spans: list[int] = []
        for bound in self._between(pos, limit):
            if self._spans_places(bound):
                spans.append(bound)  # 杭州|至|宁波高速铁路: a link's two ends, if its head says so
                continue
            if bound > pos and (
                self.text.startswith(self.counts, bound)
                or (self._counted(bound) and not is_formula(self.text[pos:bound], self.lex))
            ):
                # a count or a quantity ends a name, as jieba may cut it (上海|四|大都市圈,
                # 新材料|3个万亿级产业集群, 氢能|三个产业集群), but for a formula that counts
                # twice (百企百项计划)
                limit = bound
                break
            word = self._word_at(bound, ("lead", "list", "join", "party"))
            if word and word in self.joins and self._joins_in_body(pos, bound):
                continue  # 中国科学院苏州纳米技术|与|纳米仿生研究所: one body's name
            if word and (
                any(
                    self.text[b : bound + len(word)] in self.lex.heads
                    for b in self._between(pos, bound)
                )
                or self._starts_head(bound)
            ):
                # it ends a head word (之|都) or starts one (特别|合作区): it is no verb here
                word = None
            # a name may hold one verb, right before its head (产业链提升工程, 创新中心),
            # never a particle, a conjunction or a list mark
            if word and word in self.lex.modifiers.get("enact", ()):
                limit = bound  # 省里|编制规划: the plan is its object, no part of a name
                break
            if word and word in self.lex.modifiers.get("lead", ()) and len(word) > 1:
                if bound < verb_at:
                    verb_at, listed_verb = bound, True
            elif word:
                limit = bound
                break
            elif (verb := self._word_at(bound, ("verb",))) and bound < verb_at:
                if self.lex.abbreviation_run.fullmatch(verb):
                    abbreviated_verb_at = min(abbreviated_verb_at, bound)
                else:
                    verb_at = bound
            # a verb or front word (建设, 签署) after a complete name starts a new phrase:
            # 前湾新区 | 建设沪甬人才合作示范区, 蔚来汽车 | 签署战略…; inside a name it stays
            # (…建设综合试验区)
            action = (
                word or self._word_at(bound, ("front", "verb")) or self.words[bound][1] == "vn"
            ) and not self._starts_head(bound)
            left = self.lex.suffix_type(self.text[pos:bound]) if action else None
            if action and left is None and (known := self.lex.names.get(self.text[pos:bound])):
                left = (known.type, "")
            if action and left and left[0] in _CARRIERS and not self._works_of(bound):
                limit = bound
                break
            if (
                action
                and left
                and left[1] == ""
                and self.words[bound][1] == "v"
                and not self.lex.modifier_kinds.get(self.words[bound][0])
            ):
                # …and a plain verb after a known name of any type (新发展理念|引领|名城名都)
                limit = bound
                break
            if left is None and self.words[bound][0] in self.lex.body_suffixes:
                # one body after another (宁波市委|市政府): the first ends here
                # (also a bare title before it: 市委|市政府, two titles and no name)
                first = self.text[pos:bound]
                named = self.lex.suffix_type(first)
                if first in self.lex.body_suffixes or (
                    named is not None and named[1] in self.lex.body_suffixes
                ):
                    limit = bound
                    break
        ends = self._between(pos + 1, limit + 1 if before is None else min(limit + 1, before))
        for end in reversed(ends):
            name = self.text[pos:end]
            typed = self.lex.suffix_type(name)
            # the head must be a word of its own (宁波舟山港, not 进港), unless the word
            # it starts in is a lexicon name (新材料产业|园)
            if typed is None or not self._head_starts_word(end - len(typed[1]), end, typed[0]):
                continue
            if typed[1] not in self.lex.link_suffixes and any(at < end for at in spans):
                continue  # 长江至宁波舟山港: a port is no link between two places
            # …the verb then stands right before the head (提升|工程, 自主|创新|示范区),
            # not far from it (列入|国家|先进|制造…计划)
            linked = typed[1] in self.lex.link_suffixes
            first_verb = verb_at if linked else min(verb_at, abbreviated_verb_at)
            # (a verb inside the head is the head's: 闽西南|协同|发展区; jieba may cut the
            # head in two: 开放|强|省)
            head_at = end - len(typed[1])
            if head_at > first_verb and (
                len(self._between(first_verb, head_at)) > 1
                or (listed_verb and typed[0] is not EntityType.PROGRAMME)
                # …and a link's name holds none (迈入|高铁时代, 东向|出海|大通道)
                or linked
                # …nor before a whole known name that holds the head (撬动|共同富裕示范区,
                # 拥有|天津经济技术开发区: one word, a proper name to jieba)
                or self._known_word(self.order[bisect_right(self.order, head_at) - 1], end)
            ):
                continue
            # an industry word that goes on into a longer noun (…产业体系) names no industry
            if typed[0] is EntityType.INDUSTRY and not self._industry_run(pos, end):
                continue
            # …nor a programme's head before a word for a kind of carrier (…合作战略|平台)
            # or one that makes it an attribute (…数字经济战略|合作协议)
            if typed[0] is EntityType.PROGRAMME and self.text.startswith(
                _attributes(self.lex), end
            ):
                continue
            # a quoted name starts at its quotation mark unless a known name leads it
            # (省委“八八战略” -> 八八战略; 宁波“一带一路”建设综合试验区 stays whole); a
            # quotation that counts starts anew (金义都市圈|“四大都市圈”)
            # (杭甬“双城记”: the places of a cooperation lead its name, as a known name does)
            opened = [
                q
                for q in self.opens
                if pos < q < end
                and (
                    self.text[pos:q] not in self.lex.names
                    or self.text.startswith(self.counts, q)
                    or pos in self.opens  # two quotations, two names (“雄鹰行动”“雏鹰行动”)
                )
                # a plan's quoted period is part of its name (宁波市数字经济发展“十四五”规划),
                # not of a word that only describes it (国家“十四五”规划)
                and not (
                    typed[0] is EntityType.PROGRAMME
                    and self.text.startswith(_periods(self.lex), q)
                    and _cover(self.text[pos:q], self.lex.descriptors) is None
                )
                and not (
                    typed[1] in self.lex.place_suffixes
                    and self.lex.abbreviation_run.fullmatch(self.text[pos:q])
                )
            ]
            if opened:
                self.restart = min(opened)
                if typed[1] in self.lex.place_suffixes:
                    # …at the places that lead it, if any (唱好|杭甬“双城记”)
                    self.restart = min(
                        (
                            at
                            for at in range(pos + 1, self.restart - 1)
                            if self.lex.abbreviation_run.fullmatch(self.text[at : self.restart])
                        ),
                        default=self.restart,
                    )
                return None
            if typed[1] in self.lex.works_suffixes and _names_works(
                name[: -len(typed[1])], self.lex
            ):
                return Found(pos, end, name, EntityType.PROJECT)  # 申嘉湖高速西延工程
            return Found(pos, end, name, typed[0])
        return None

    def _starts_head(self, at: int) -> bool:
        """Say whether a head suffix longer than its first word starts at ``at``: a verb or
        a noun of action there (综合|交通枢纽) is the head's first word, no new phrase."""
        if self.text[at : at + 2] not in _openings(self.lex.heads):
            return False  # most words start no head: one look-up tells
        first = len(self.words[at][0])
        return any(
            self.text[at : at + length] in self.lex.heads
            for length in range(first + 1, self.lex.max_head_length + 1)
        )

    def _joins_in_body(self, pos: int, at: int) -> bool:
        """Return True when the join at ``at`` stands inside the name of a body that starts
        with its parent body or its place at ``pos`` (浙江大学材料科学与工程学院,
        宁波市发展和改革委员会): what stands before the join is no name of its own, and a
        body's head ends the words after it."""
        left = self.text[pos:at]
        parent = self._lexicon_at(pos)
        if parent is None or parent.type not in (EntityType.ORGANIZATION, EntityType.REGION):
            return False
        typed = self.lex.suffix_type(left)
        # a place's economy (浙江省经济|和信息化厅) names no industry
        economy = (
            typed is not None
            and typed[0] is EntityType.INDUSTRY
            and parent.type is EntityType.REGION
        )
        if left in self.lex.names or (typed is not None and not economy):
            return False
        for end in self._between(at + 1, len(self.text) + 1):
            typed = self.lex.suffix_type(self.text[pos:end])
            if typed is not None and typed[0] is EntityType.ORGANIZATION:
                return True
            if self._word_at(end, ("lead", "list", "join")):
                return False
        return False

    def after_last_lead(self) -> int:
        """Return where the chunk goes on after its last verb or particle (…合作区重点发展|
        金融: the first item of the list that follows), or 0 if it has none."""
        after = 0
        for bound in self.order:
            word = self._word_at(bound, ("lead", "front")) if bound else None
            if word and bound + len(word) < len(self.text):
                after = bound + len(word)
        return after

    def _works_of(self, bound: int) -> bool:
        """Return True when the word at ``bound`` and a project's head after it name works
        on the name before them (镇海炼化分公司|扩建|项目, 宁波舟山港|扩建|工程)."""
        after = self._next_bound(bound)
        head = self.words.get(after, ("", ""))[0]
        typed = self.lex.suffix_type(head, strict=False) if head in self.lex.heads else None
        return (
            typed is not None
            and typed[0] is EntityType.PROJECT
            and self.words[bound][1] in ("v", "vn")
            and self._next_bound(after) == after + len(head)
        )

    def _abbreviated_link(self, pos: int, word: str) -> bool:
        """Return True when ``word``, which jieba reads as a verb, is the run of place
        abbreviations a link's name starts with (成达|万高铁)."""
        if not self.lex.abbreviation_run.fullmatch(word):
            return False
        after = self._lexicon_at(pos + len(word))
        if after is not None and after.type is EntityType.REGION:
            return False  # 开通|广州至湛江高速铁路: the places are named in full after it
        restart = self.restart  # asking leaves the scan where it was
        found = self._suffix_at(pos)
        self.restart = restart
        return found is not None and self.lex.link_head(found.name) is not None

    def _names_goal(self, pos: int, word: str) -> bool:
        """Return True when ``word``, which jieba reads as a verb and no modifier list
        names, is the field of a goal whose head follows it (开放|强省, 制造|强市), and
        the name ends there (not 引领|名城名都, nor the verb before a known name)."""
        at = pos + len(word)
        end = next(
            (e for e in self._between(at, at + 4) if self.text[at:e] in self.lex.goal_suffixes),
            None,
        )
        if end is None or self.lex.modifier_kinds.get(word) or self._lexicon_at(at):
            return False
        # …which ends the name, or goes on into a head of another kind (制造强市|战略, not
        # 引领名城|名都)
        return not _NAME_CHAR.match(self.text, end) or any(
            self.text[end : end + n] in self.lex.modifier_kinds
            or (
                self.text[end : end + n] in self.lex.heads
                and self.text[end : end + n] not in self.lex.goal_suffixes
            )
            for n in range(1, 5)
        )

    def _spans_places(self, at: int) -> bool:
        """Return True when the word at ``at`` joins two places (杭州至宁波…), as the
        two ends of a transport link's name do."""
        word = self.words.get(at, ("", ""))[0]
        if word not in self.lex.modifiers.get("span", ()):
            return False
        before = self.order[bisect_left(self.order, at) - 1] if at else at
        after = at + len(word)
        ends = ((before, at), (after, self._next_bound(after)))
        # a place several share is a place too (宁波至象山…: 象山县 or 象山区)
        return all(
            self.lex.is_place(place := self.text[start:end]) or place in self.lex.shared_places
            for start, end in ends
        )

    def _next_bound(self, at: int) -> int:
        later = bisect_right(self.order, at)
        return self.order[later] if later < len(self.order) else len(self.text)

    def _split_place(self, found: Found) -> Found:
        """Drop a leading place name from a place's goal (宁波国际港口名城) and from a
        known area it lies in (徐州|淮海经济区)."""
        typed = self.lex.suffix_type(found.name)
        place = self._lexicon_at(found.start)
        if place is None or place.type is not EntityType.REGION:
            return found
        rest = self.lex.names.get(self.text[place.end : found.end])
        area = found.type is EntityType.REGION and rest is not None and rest.type is found.type
        goal = typed is not None and typed[1] in self.lex.goal_suffixes
        if (
            not area
            and (not goal or found.end - place.end < 4)
            and not self._addresses(place, found)
        ):
            return found
        self.found.append(place)
        return Found(place.end, found.end, self.text[place.end : found.end], found.type)

    def _addresses(self, place: Found, found: Found) -> bool:
        """Return True when ``place`` is an address before a platform's name that starts
        with a place it lies in (长沙市|湖南湘江新区), not part of a known name."""
        if found.type is not EntityType.PLATFORM or found.name in self.lex.names:
            return False
        second = self._lexicon_at(place.end)
        if second is None:
            return False
        if second.type is found.type and second.end == found.end:
            # …or a known platform whose name starts with that place (湖南湘江新区: one
            # word to the segmenter)
            outer = second.name[: self.lex.place_prefix(second.name, 8)]
        else:
            outer = second.name if second.type is EntityType.REGION else ""
        # the name's own place holds the address (长沙 lies in 湖南): a formal name never
        # writes a place before the one it lies in (宁波|杭州湾新区 and 宁波|甬江科创大走廊
        # are one name each)
        inner = self.lex.names[place.name].canonical
        if not outer or not self.lex.within(inner, self.lex.names[outer].canonical):
            return False
        typed = self.lex.suffix_type(self.text[place.end : found.end])
        return typed is not None and typed[0] is found.type

    def _head_starts_word(self, at: int, end: int, kind: EntityType) -> bool:
        if at in self.bounds:
            return True
        # inside a known name (新材料产业|园) or a dictionary proper name (…开发区 as one word)
        start = self.order[bisect_left(self.order, at) - 1]
        word, tag = self.words.get(start, ("", ""))
        if tag in _NAME_TAGS:
            return True
        # a body's head ending a noun that holds a word of two characters or more before it
        # (会计|金融学院)
        if (
            kind is EntityType.ORGANIZATION
            and tag == "n"
            and start + len(word) == end
            and at - start >= 2
        ):
            return True
        # after the number of a word that numbers it (四期|工程: 四 + 期工程)
        return at - start == 1 and self.text[start] in self.numerals

    def _industry_run(self, pos: int, end: int) -> bool:
        """Return True when ``text[pos:end]`` can name an industry.

        An industry name holds no verb and starts with no place (宁波经济 is a
        place's economy), and it ends where the noun phrase ends (…产业体系 goes on).
        """
        inner = [b for b in self.bounds if pos <= b < end]
        if any(self._word_at(b, ("lead", "front", "verb")) for b in inner):
            return False
        place = self._lexicon_at(pos)
        if place is not None and place.type is EntityType.REGION:
            return False
        if end == len(self.text) or self._word_at(end, ("lead", "verb", "list", "join")):
            return True
        # …or where one trailing word ends the chunk (…产业集群|建设, …产业集群|发展)
        trailing = self._word_at(end, ("front", "tail"))
        return trailing is not None and end + len(trailing) == len(self.text)

    def _untailed(self, found: Found) -> Found:
        """Drop trailing words that are not part of a name (…国家战略, …协议)."""
        _, end, _ = core_span(found.name, self.lex)
        if end == len(found.name):
            return found
        name = found.name[:end]
        known = self.lex.names.get(name)
        typed = (known.type,) if known else self.lex.suffix_type(name)
        return Found(found.start, found.start + end, name, typed[0]) if typed else found

    def run(self, start: int = 0) -> list[Found]:
        """Return the names of the chunk from ``start`` on, in text order."""
        pos, fresh = start, True
        while pos < len(self.text):
            lexical = self._lexicon_at(pos)
            modifier = self._word_at(
                pos, ("lead", "verb", "front", "count", "tail", "list", "join", "party")
            )
            if not modifier and self.text.startswith(self.counts, pos):
                modifier = next(word for word in self.counts if self.text.startswith(word, pos))
            if (
                modifier
                and (lexical is None or len(lexical.name) <= len(modifier))
                and not self._abbreviated_link(pos, modifier)
                and not (
                    self.text[pos + len(modifier) : pos + len(modifier) + 2]
                    in _openings(self.lex.goal_suffixes)
                    and self._names_goal(pos, modifier)
                )
                and not (
                    pos in self.opens
                    and is_formula(modifier, self.lex)
                    # …but a quoted count of parties is no name (广州、深圳“双城”联动)
                    and "party" not in self.lex.modifier_kinds.get(modifier, ())
                )
            ):
                pos, fresh = pos + len(modifier), True
                continue
            # a quoted count is a formula's, no quantity (“两个健康”先行区)
            counted = self._counted(pos) if lexical is None and pos not in self.opens else 0
            if counted:
                # 20个|先进制造业园区, 660个|“精特亮”项目; what one counts as one is a kind
                # (一家|文教公司): only a known name starts right after it
                one = self.text[pos : pos + counted - 1] in self.ones
                pos, fresh = pos + counted, not one
                continue
            subject = (
                lexical is not None
                and lexical.type is EntityType.REGION
                and self._word_at(lexical.end, ("verb", "lead", "act"))
                and not self._spans_places(lexical.end)
                and not self._starts_head(lexical.end)  # 闽西南|协同发展区
            )
            # a name may start after a modifier, or at a quotation (新时代|“两个健康”先行区)
            fresh = fresh or pos in self.opens
            suffixed = self._suffix_at(pos) if fresh and not subject else None
            while suffixed is not None:
                named = self._split_place(self._untailed(suffixed))
                if not is_generic(named, self.lex):
                    suffixed = named
                    break
                # a shorter name may start here (胶东经济圈|一体化发展)
                suffixed = self._suffix_at(pos, suffixed.start + len(named.name))
            best = max(
                (f for f in (lexical, suffixed) if f is not None),
                key=lambda f: f.end,
                default=None,
            )
            if best is not None:
                self.found.append(best)
                pos, fresh = best.end, True
                continue
            if self.restart is not None:
                pos, fresh, self.restart = self.restart, True, None
                continue
            later = bisect_right(self.order, pos)
            pos = self.order[later] if later < len(self.order) else len(self.text)
            fresh = False
        return self.found


@cache
def _counts(lexicon: Lexicon) -> tuple[str, ...]:
    """Return the words that count a list's items (两大, 一批)."""
    return tuple(sorted(lexicon.modifiers.get("count", frozenset())))


def quantity_length(text: str, lexicon: Lexicon) -> int:
    """Return the length of a leading quantity (10家, 三个, 120万吨/年), or 0."""
    numerals = lexicon.modifiers.get("numeral", frozenset())
    at = 0
    while at < len(text) and (text[at].isdigit() or text[at] in numerals):
        at += 1
    if not at or at == len(text):
        return 0
    if text[at] in lexicon.modifiers.get("classifier", frozenset()):
        return at + 1
    # a measure and the time it is per (30万辆, 120万吨/年): a plant's capacity
    measure = unit_length(text, at, lexicon)
    if measure and text[at + measure : at + measure + 1] == "/":
        measure += 1 + unit_length(text, at + measure + 1, lexicon, "per")
    return at + measure if measure else 0


def unit_length(text: str, at: int, lexicon: Lexicon, kind: str = "unit") -> int:
    """Return the length of the unit of measure (吨, 千瓦), or with ``kind="per"`` of time
    (年), at ``at`` in ``text``, or 0."""
    units = lexicon.modifiers.get(kind, frozenset())
    return next((n for n in range(4, 0, -1) if text[at : at + n] in units), 0)


def core_span(text: str, lexicon: Lexicon) -> tuple[int, int, str | None]:
    """Return the span of ``text`` without leading modifiers or trailing words, and a count word."""
    tagged = words(text, lexicon)
    bounds = {start for start, _, _ in tagged} | {len(text)}
    verbs = {
        start: word
        for start, word, tag in tagged
        if len(word) > 1 and (tag == "v" or tag in _FUNCTION_TAGS)
    }
    heads = lexicon.heads
    start, end, count = 0, len(text), None
    kinds = ("lead", "front", "count", "join", "party")
    changed = True
    while changed and start < end:
        changed = False
        quantity = quantity_length(text[start:end], lexicon)
        if quantity:
            start, changed = start + quantity, True
            continue
        verb = verbs.get(start)
        if (
            verb
            and verb not in heads
            and text[start:end] not in lexicon.names
            # …unless it is the places of a link's name (成达|万高铁)
            and not (
                lexicon.abbreviation_run.fullmatch(verb)
                and any(
                    lexicon.link_head(text[start:bound])
                    for bound in sorted(bounds)
                    if start + len(verb) < bound <= end
                )
            )
        ):
            start, changed = start + len(verb), True
            continue
        for length in range(min(5, end - start), 0, -1):
            word = text[start : start + length]
            if word in lexicon.names:
                break
            known = lexicon.modifier_kinds.get(word, _NONE)
            kind = next((k for k in kinds if k in known), None) if known else None
            if kind and start + length in bounds:
                start, changed = start + length, True
                count = word if kind == "count" else count
                break
    if text[start:end] in lexicon.names:
        return start, end, count
    tails = _tails(lexicon)
    if text.endswith(tails, start, end):  # most text ends in none: one test tells
        for word in tails:
            if text[start:end].endswith(word) and end - len(word) > start + 1:
                end -= len(word)
    return start, end, count


@cache
def _openings(heads: frozenset[str]) -> frozenset[str]:
    """Return the first two characters of every head of a set (every head suffix, the
    goals' heads): where none opens, one look-up tells that no head starts."""
    return frozenset(head[:2] for head in heads)


def _names_works(body: str, lexicon: Lexicon) -> bool:
    """Return True when a name's body holds the head of a project (…高速西延, …码头)."""
    return any(head in body for head in _project_heads(lexicon))


@cache
def _project_heads(lexicon: Lexicon) -> tuple[str, ...]:
    """Return the heads that name projects, of two characters or more."""
    return tuple(
        suffix
        for suffix, type_, shortest in lexicon.suffixes
        if type_ is EntityType.PROJECT and len(suffix) > 1 and shortest < 99
    )


@cache
def _periods(lexicon: Lexicon) -> tuple[str, ...]:
    """Return the periods of five-year plans (十四五)."""
    return tuple(sorted(lexicon.modifiers.get("period", ())))


@cache
def _attributes(lexicon: Lexicon) -> tuple[str, ...]:
    """Return the words after which a programme's head is an attribute: the heads that
    only type a list's items (平台) and the attributive words (合作, 转型)."""
    return list_only_heads(lexicon) + tuple(sorted(lexicon.modifiers.get("attributive", ())))


@cache
def list_only_heads(lexicon: Lexicon) -> tuple[str, ...]:
    """Return the heads that only type a list's items (领域, 行业, 平台), which no name
    is long enough to end in."""
    return tuple(sorted(suffix for suffix, _, shortest in lexicon.suffixes if shortest >= 99))


@cache
def _tails(lexicon: Lexicon) -> tuple[str, ...]:
    """Return the words that trail a name (…等, …方面), longest first."""
    tails = lexicon.modifiers.get("tail", frozenset()) | lexicon.modifiers.get("list", frozenset())
    return tuple(sorted(tails, key=lambda word: (-len(word), word)))


def is_generic(found: Found, lexicon: Lexicon) -> bool:
    """Return True for a generic noun (重大项目, 大湾区高能级产业平台), not a name."""
    name = found.name
    if name in lexicon.generic_phrases:
        return True
    if name in lexicon.names:
        return False
    ordinal = lexicon.modifiers.get("ordinal", frozenset())
    if any(
        name[i] in ordinal
        and is_formula(name[i + 1 : i + 2], lexicon)
        and not any(
            name[a:b] in lexicon.names for a in range(i + 1) for b in range(i + 3, len(name) + 1)
        )
        for i in range(len(name))
    ):
        # a rank (…第三大港) describes a thing, it does not name it; a known name may
        # hold one (第三代半导体, 中国第一汽车集团|有限公司)
        return True
    typed = lexicon.suffix_type(name)
    body = name[: len(name) - len(typed[1])] if typed else name
    if typed and typed[1] in lexicon.place_suffixes:
        return not _all_places(body, lexicon)
    if typed and typed[1] in lexicon.networks and lexicon.is_place(body):
        # a place's railways (宁波铁路|进港优势), not one link; a county's or a grouping's
        # name that reads as places' abbreviations names the link among them (贵南高铁,
        # 长株潭城际铁路)
        spelled = lexicon.names[body].level == "county" or lexicon.is_grouping(body)
        return not (spelled and lexicon.abbreviation_run.fullmatch(body))
    if typed and typed[1] in lexicon.works_suffixes:
        # works named by their kind alone (高速公路工程, 重大交通工程) are no one project
        bare = body
        for head in _project_heads(lexicon):
            bare = bare.replace(head, "")
        if not bare or _cover(bare, lexicon.project_kinds):
            return True
    if typed and typed[0] is not found.type:
        return False  # typed otherwise than its head: a quoted goal (“建设国际航运枢纽”)
    if typed and typed[0] is EntityType.INDUSTRY and _all_places(body, lexicon):
        return True  # places' industries (闽台|产业合作): no industry's name
    if typed and typed[1] in lexicon.named_suffixes and body in lexicon.levels:
        return True  # 省实验室: the province's kind of laboratory, not one
    if (
        typed
        and (typed[1] in lexicon.named_suffixes or typed[1] in lexicon.link_suffixes)
        and _cover(body, lexicon.project_kinds)
    ):
        # 锂电新能源项目, 重大交通项目, 国际物流通道: a kind of project, named by its
        # industries or field alone
        return True
    if typed and typed[1] in lexicon.goal_suffixes:
        return False  # a goal may be all praise (世界一流强港, “打造世界一流科创区”)
    known = next((body[:n] for n in range(len(body), 1, -1) if body[:n] in lexicon.names), "")
    if (
        typed
        and typed[0] is EntityType.PROGRAMME
        and known == body
        and lexicon.is_place(body)
        and not lexicon.is_grouping(body)
    ):
        return True  # a place's action or plan (宁波行动) is no name; 长三角战略 may be
    rest = body[len(known) :]
    industry = (named := lexicon.names.get(known)) is not None and named.type is EntityType.INDUSTRY
    if found.type is EntityType.INDUSTRY and industry and rest in lexicon.industry_endings:
        return False  # an industry's name goes on as others' end (光伏|制造, 智能|制造)
    words = _cover(rest, lexicon.descriptors)
    if known and typed and words and typed[1] in lexicon.plan_suffixes:
        # a plan named after a strategy is a name (“一带一路”科技创新行动计划); after a place
        # only with more than descriptors
        return lexicon.is_place(known)
    if known and typed and words:
        # a place's zone of a rank (宁波国家高新区) or a place's international port (西安国际
        # 港务区) is a formal name; 宁波重点园区 is not; a grouping's zone of cooperation
        # among its parts is one (海峡两岸产业合作区)
        if lexicon.is_grouping(known) and any(c in typed[1] for c in lexicon.cooperation_cues):
            return False
        if typed[0] is EntityType.REGION and not lexicon.is_grouping(known):
            # a city's one area of its kind (沈阳现代化都市圈), where a grouping's is the
            # grouping described (长三角|世界级城市群)
            return not lexicon.is_place(known)
        keeps = lexicon.formal | (lexicon.ranks if typed[1] in lexicon.zone_suffixes else _NONE)
        return not set(words) <= keeps
    return words is not None and (not known or len(words) > 0)


def _all_places(text: str, lexicon: Lexicon) -> bool:
    """Return True when ``text`` is two or more places (沪甬, 杭甬) or one grouping (长三角,
    胶东经济圈)."""
    if text in lexicon.names:
        return lexicon.is_grouping(text)
    typed = lexicon.suffix_type(text)
    if typed is not None and typed[0] is EntityType.REGION:
        return True  # a grouping its head names (…经济圈, …都市圈)
    pos = places = 0
    while pos < len(text):
        end = next(
            (
                e
                for e in range(len(text), pos, -1)
                if lexicon.is_place(text[pos:e])
                or (e == pos + 1 and text[pos] in lexicon.abbreviations)
            ),
            None,
        )
        if end is None:
            return False
        pos, places = end, places + 1
    return places >= 2


def _cover(text: str, words: frozenset[str]) -> list[str] | None:
    """Split ``text`` wholly into ``words`` (greedy, longest first), or None."""
    out: list[str] = []
    pos = 0
    while pos < len(text):
        word = next((text[pos:e] for e in range(len(text), pos, -1) if text[pos:e] in words), None)
        if word is None:
            return None
        out.append(word)
        pos += len(word)
    return out


def first_lead(text: str, lexicon: Lexicon, joins: bool = False) -> int:
    """Return where the first verb or particle of ``text`` starts (``len(text)`` if none).

    ``joins=True`` lets 与/及/和 stand inside (节能与新能源汽车 is one name).
    """
    chunker = Chunker(text, lexicon)
    join = lexicon.modifiers.get("join", frozenset())
    for bound in chunker.order:
        word = chunker._word_at(bound, ("lead", "list")) if bound else None
        if word and any(
            text[b : bound + len(word)] in lexicon.heads for b in chunker._between(-1, bound)
        ):
            continue  # it ends a head word (会展之|都), it leads nothing here
        if word and not (joins and word in join):
            return bound
    return len(text)


def closing_phrase(text: str, lexicon: Lexicon) -> int:
    """Return where a set phrase of four characters or more that ends ``text`` starts
    (市政府|高度重视: a predicate), or ``len(text)``; set phrases inside names
    (经贸合作|示范区) are followed by their head."""
    tagged = words(text, lexicon)
    start, word, tag = tagged[-1] if tagged else (0, "", "")
    return start if tag in _PHRASE_TAGS and len(word) >= 4 and start >= 2 else len(text)


def name_like(text: str, shortest: int = 2, longest: int = 15) -> bool:
    return shortest <= len(text) <= longest and all(_NAME_CHAR.match(c) for c in text)


def is_formula(text: str, lexicon: Lexicon) -> bool:
    """Return True for a numbered formula (“六化协同”, “246”, “一件事”)."""
    numerals = lexicon.modifiers.get("numeral", frozenset())
    return any(c.isdigit() or c in numerals for c in text)
