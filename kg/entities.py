"""Find the named entities of each sentence: ``Document`` -> ``Mention``s.

A sentence is read as a *view* without quotation marks, cut into chunks at
punctuation and into sub-chunks at verbs. In each sub-chunk, leading verbs and
modifiers are stripped and the longest name is taken at each position: a lexicon
name, or a run of words ending in a head suffix that types it (…新区 Platform,
…铁路 Project, …计划 Programme). Lists sharing a head (甲、乙等产业) give each item
the head's type; quoted names stand on their own; single-character place
abbreviations are decoded in cooperation expressions and transport names.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache

from kg.chars import fold_width, to_simplified
from kg.lexicon import Lexicon
from kg.model import Document, EntityType, Mention, Sentence
from kg.tokens import words

__all__ = ["extract_mentions", "sentence_mentions"]

_QUOTES = frozenset("“”‘’\"'「」『』《》〈〉")
_BOOK_OPEN, _BOOK_CLOSE = "《〈", "》〉"
_HARD = frozenset("，。；：！？,;:!?…[]【】 \t\n/|·•*#")
_LIST = "、"
_NAME_CHAR = re.compile(r"[\w+—\-（）()·]")
_MAX_NAME = 30
_NONE: frozenset[str] = frozenset()
# jieba dictionary tags of proper names: places, organisations, other names
_NAME_TAGS = frozenset({"nz", "ns", "nt"})
_CARRIERS = (EntityType.PLATFORM, EntityType.PROJECT, EntityType.ORGANIZATION)
# jieba dictionary tags of function words (conjunctions, adverbs, prepositions,
# pronouns, particles): a name never runs across one.
_FUNCTION_TAGS = frozenset({"c", "d", "ad", "p", "r", "u", "uj", "ul", "uz", "y", "e"})


@dataclass(frozen=True, slots=True)
class _View:
    """The sentence text without quotation marks, mapped back to sentence offsets."""

    text: str
    index: tuple[int, ...]
    quoted: tuple[tuple[int, int], ...]
    #: spans inside 《》: titles of plans, laws and other documents
    titles: tuple[tuple[int, int], ...] = ()


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    name: str
    type: EntityType
    decoded: bool = False
    #: named by a counted list (杭州湾、梅山两大产业集聚区): a name even if it reads generic
    listed: bool = False


def _view(text: str, lexicon: Lexicon) -> _View:
    chars: list[str] = []
    index: list[int] = []
    quoted: list[tuple[int, int]] = []
    titles: list[tuple[int, int]] = []
    opened: int | None = None
    book = 0
    for i, ch in enumerate(text):
        if ch in _QUOTES:
            if ch in _BOOK_OPEN and not book:
                titled = len(chars)
            book = max(0, book + (ch in _BOOK_OPEN) - (ch in _BOOK_CLOSE))
            if ch in _BOOK_CLOSE and not book:
                titles.append((titled, len(chars)))
            elif book:
                pass  # quotation marks inside a title belong to the title
            elif opened is None and ch in '“‘"「『':
                opened = len(chars)
            elif opened is not None:
                quoted.append((opened, len(chars)))
                opened = None
            continue
        opening, closing = ch in "（(", ch in "）)"
        if (opening or closing) and not book:
            kept = _kept_paren(text, i, lexicon) if opening else _kept_paren_close(text, i, lexicon)
            # a bracket around a place inside a name stays; any other bracket cuts
            ch = ch if kept else "，"
        chars.append(ch)
        index.append(i)
    return _View("".join(chars), tuple(index), tuple(quoted), tuple(titles))


def _kept_paren(text: str, i: int, lexicon: Lexicon) -> bool:
    """Return True when the bracket at ``i`` holds a place inside a name: 中捷（宁波）产业园."""
    close = next((j for j in range(i + 1, min(len(text), i + 8)) if text[j] in "）)"), -1)
    if close < 0 or close + 1 >= len(text) or not text[close + 1].isalnum():
        return False
    name = lexicon.names.get(text[i + 1 : close])
    return name is not None and name.type is EntityType.REGION


def _kept_paren_close(text: str, i: int, lexicon: Lexicon) -> bool:
    open_ = next((j for j in range(i - 1, max(-1, i - 8), -1) if text[j] in "（("), -1)
    return open_ >= 0 and _kept_paren(text, open_, lexicon)


def _chunks(view: _View) -> list[list[tuple[int, int]]]:
    """Cut the view at punctuation; chunks joined by 、 form one list group."""
    groups: list[list[tuple[int, int]]] = [[]]
    start = 0
    text = view.text + "，"
    for i, ch in enumerate(text):
        hard = ch in _HARD or (ch == "—" and "—" in (text[i - 1 : i], text[i + 1 : i + 2]))
        if hard or ch == _LIST:
            if i > start:
                groups[-1].append((start, i))
            if hard and groups[-1]:
                groups.append([])
            start = i + 1
    return [g for g in groups if g]


class _Chunker:
    """Take the names out of one chunk of the view."""

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
        self.found: list[_Found] = []
        #: position -> the modifier words from there to a word boundary, longest first
        self._modifiers: dict[int, list[tuple[str, frozenset[str]]]] = {}

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

    def _lexicon_at(self, pos: int) -> _Found | None:
        longest = self.lex.longest_from.get(self.text[pos : pos + 2], 0)
        # a name ends where a word does: only those ends are looked up, longest first
        for end in reversed(self._between(pos + 1, pos + longest + 1)):
            name = self.lex.names.get(self.text[pos:end])
            if name is not None:
                return _Found(pos, end, self.text[pos:end], name.type)
        return None

    def _suffix_at(self, pos: int) -> _Found | None:
        """Return the longest run from ``pos`` that ends in a head suffix and holds no verb."""
        limit = min(len(self.text), pos + _MAX_NAME)
        verb_at, listed_verb = limit, False
        for bound in self._between(pos, limit):
            word = self._word_at(bound, ("lead", "list", "join"))
            if word and any(
                self.text[b : bound + len(word)] in self.lex.heads
                for b in self._between(pos, bound)
            ):
                word = None  # it ends a head word (之|都), it is no verb here
            # a name may hold one verb, right before its head (产业链提升工程, 创新中心),
            # never a particle, a conjunction or a list mark
            if word and word in self.lex.modifiers.get("lead", ()) and len(word) > 1:
                if bound < verb_at:
                    verb_at, listed_verb = bound, True
            elif word:
                limit = bound
                break
            elif self._word_at(bound, ("verb",)) and bound < verb_at:
                verb_at = bound
            # a front word (建设, 发展) after a complete name starts a new phrase:
            # 前湾新区 | 建设沪甬人才合作示范区; inside a name it stays (…建设综合试验区)
            left = self.lex.suffix_type(self.text[pos:bound])
            action = self._word_at(bound, ("front", "verb")) or self.words[bound][1] == "vn"
            if action and left and left[0] in _CARRIERS:
                limit = bound
                break
        for end in reversed(self._between(pos + 1, limit + 1)):
            name = self.text[pos:end]
            typed = self.lex.suffix_type(name)
            # the head must be a word of its own (宁波舟山港, not 进港), unless the word
            # it starts in is a lexicon name (新材料产业|园)
            if typed is None or not self._head_starts_word(end - len(typed[1])):
                continue
            # …the verb then stands right before the head (提升|工程, 自主|创新|示范区),
            # not far from it (列入|国家|先进|制造…计划)
            words_after_verb = len(self._between(verb_at, end))
            if end > verb_at and (
                words_after_verb > 2 or (listed_verb and typed[0] is not EntityType.PROGRAMME)
            ):
                continue
            # an industry word that goes on into a longer noun (…产业体系) names no industry
            if typed[0] is EntityType.INDUSTRY and not self._industry_run(pos, end):
                continue
            # a quoted name starts at its quotation mark unless a known name leads it
            # (省委“八八战略” -> 八八战略; 宁波“一带一路”建设综合试验区 stays whole)
            opened = [
                q for q in self.opens if pos < q < end and self.text[pos:q] not in self.lex.names
            ]
            if opened:
                self.restart = min(opened)
                return None
            return _Found(pos, end, name, typed[0])
        return None

    def _split_place(self, found: _Found) -> _Found:
        """Drop a leading place name from a place's goal (宁波国际港口名城)."""
        typed = self.lex.suffix_type(found.name)
        if typed is None or typed[1] not in self.lex.goal_suffixes:
            return found
        place = self._lexicon_at(found.start)
        if place is None or place.type is not EntityType.REGION or found.end - place.end < 4:
            return found
        self.found.append(place)
        return _Found(place.end, found.end, self.text[place.end : found.end], found.type)

    def _head_starts_word(self, at: int) -> bool:
        if at in self.bounds:
            return True
        # inside a known name (新材料产业|园) or a dictionary proper name (…开发区 as one word)
        start = self.order[bisect_left(self.order, at) - 1]
        return self.words.get(start, ("", ""))[1] in _NAME_TAGS

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
        return end == len(self.text) or bool(self._word_at(end, ("lead", "verb", "list", "join")))

    def _untailed(self, found: _Found) -> _Found:
        """Drop trailing words that are not part of a name (…国家战略, …协议)."""
        _, end, _ = _strip(found.name, self.lex)
        if end == len(found.name):
            return found
        name = found.name[:end]
        known = self.lex.names.get(name)
        typed = (known.type,) if known else self.lex.suffix_type(name)
        return _Found(found.start, found.start + end, name, typed[0]) if typed else found

    def run(self, start: int = 0) -> list[_Found]:
        pos, fresh = start, True
        while pos < len(self.text):
            lexical = self._lexicon_at(pos)
            modifier = self._word_at(
                pos, ("lead", "verb", "front", "count", "tail", "list", "join")
            )
            if modifier and (lexical is None or len(lexical.name) <= len(modifier)):
                pos, fresh = pos + len(modifier), True
                continue
            subject = (
                lexical is not None
                and lexical.type is EntityType.REGION
                and self._word_at(lexical.end, ("verb", "lead"))
            )
            suffixed = self._suffix_at(pos) if fresh and not subject else None
            if suffixed is not None:
                suffixed = self._split_place(self._untailed(suffixed))
                if _is_generic(suffixed, self.lex):
                    suffixed = None
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


def _quantity(text: str, lexicon: Lexicon) -> int:
    """Return the length of a leading quantity (10家, 三个), or 0."""
    numerals = lexicon.modifiers.get("numeral", frozenset())
    at = 0
    while at < len(text) and (text[at].isdigit() or text[at] in numerals):
        at += 1
    classifiers = lexicon.modifiers.get("classifier", frozenset())
    return at + 1 if at and at < len(text) and text[at] in classifiers else 0


def _strip(text: str, lexicon: Lexicon) -> tuple[int, int, str | None]:
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
    kinds = ("lead", "front", "count", "join")
    changed = True
    while changed and start < end:
        changed = False
        quantity = _quantity(text[start:end], lexicon)
        if quantity:
            start, changed = start + quantity, True
            continue
        verb = verbs.get(start)
        if verb and verb not in heads and text[start:end] not in lexicon.names:
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
def _tails(lexicon: Lexicon) -> tuple[str, ...]:
    """Return the words that trail a name (…等, …方面), longest first."""
    tails = lexicon.modifiers.get("tail", frozenset()) | lexicon.modifiers.get("list", frozenset())
    return tuple(sorted(tails, key=lambda word: (-len(word), word)))


def _is_generic(found: _Found, lexicon: Lexicon) -> bool:
    """Return True for a generic noun (重大项目, 大湾区高能级产业平台), not a name."""
    name = found.name
    if name in lexicon.generic_phrases:
        return True
    if name in lexicon.names:
        return False
    ordinal = lexicon.modifiers.get("ordinal", frozenset())
    if any(name[i] in ordinal and _formula(name[i + 1 : i + 2], lexicon) for i in range(len(name))):
        # a rank (…第三大港) describes a thing, it does not name it
        return True
    typed = lexicon.suffix_type(name)
    body = name[: len(name) - len(typed[1])] if typed else name
    if typed and typed[1] in lexicon.place_suffixes:
        return not _all_places(body, lexicon)
    known = next((body[:n] for n in range(len(body), 1, -1) if body[:n] in lexicon.names), "")
    words = _cover(body[len(known) :], lexicon.descriptors)
    return words is not None and (not known or len(words) > 0)


def _all_places(text: str, lexicon: Lexicon) -> bool:
    """Return True when ``text`` is two or more places (沪甬, 杭甬) or one grouping (长三角)."""
    whole = lexicon.names.get(text)
    if whole is not None:
        return whole.type is EntityType.REGION and whole.level == "grouping"
    pos = places = 0
    while pos < len(text):
        end = next(
            (
                e
                for e in range(len(text), pos, -1)
                if ((n := lexicon.names.get(text[pos:e])) and n.type is EntityType.REGION)
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


def _first_lead(text: str, lexicon: Lexicon, joins: bool = False) -> int:
    """Return where the first verb or particle of ``text`` starts (``len(text)`` if none).

    ``joins=True`` lets 与/及/和 stand inside (节能与新能源汽车 is one name).
    """
    chunker = _Chunker(text, lexicon)
    join = lexicon.modifiers.get("join", frozenset())
    for bound in sorted(chunker.bounds):
        word = chunker._word_at(bound, ("lead", "list")) if bound else None
        if word and not (joins and word in join):
            return bound
    return len(text)


def _list_head(text: str, lexicon: Lexicon) -> tuple[int, str, str | None] | None:
    """Find where the last item of a list ends and its shared head begins (…等产业)."""
    markers = lexicon.modifiers.get("count", frozenset()) | lexicon.modifiers.get(
        "list", frozenset()
    )
    for pos in range(1, len(text)):
        for word in markers:
            if text.startswith(word, pos) and len(text) > pos + len(word):
                head = text[pos + len(word) :]
                head = head[: _first_lead(head, lexicon)]
                if head and lexicon.suffix_type(head, strict=False):
                    count = word if word in lexicon.modifiers.get("count", ()) else None
                    return pos, head, count
    return None


def _name_like(text: str, shortest: int = 2, longest: int = 15) -> bool:
    return shortest <= len(text) <= longest and all(_NAME_CHAR.match(c) for c in text)


def _group_items(
    view: _View, group: list[tuple[int, int]], lexicon: Lexicon
) -> tuple[list[_Found], list[tuple[int, int]], str, str | None]:
    """Take the names of each chunk; return them, the list items, the shared head, a count."""
    found: list[_Found] = []
    items: list[tuple[int, int]] = []
    head, count = "", None
    for n, (start, end) in enumerate(group):
        chunk = view.text[start:end]
        opens = frozenset(q - start for q, _ in view.quoted if start <= q < end)
        found += [_shift(f, start) for f in _Chunker(chunk, lexicon, opens).run()]
        if n == len(group) - 1 and len(group) > 1:
            listed = _list_head(chunk, lexicon)
            if listed is not None:
                split, head, count = listed
                chunk = chunk[:split]
            else:
                chunk = chunk[: max(1, _first_lead(chunk[1:], lexicon) + 1)]
        s, e, _ = _strip(chunk, lexicon)
        items.append((start + s, start + e))
    return found, items, head, count


def _list_names(view: _View, group: list[tuple[int, int]], lexicon: Lexicon) -> list[_Found]:
    """Take the names of a chunk group; items of a list share their head's type."""
    found, items, head, count = _group_items(view, group, lexicon)
    if len(items) < 2:
        return found
    whole = {(f.start, f.end): f for f in found}
    typed = lexicon.suffix_type(head, strict=False) if head else None
    # names of platforms, projects and bodies carry their own heads: only industries
    # and programmes are listed bare under a shared head (甲、乙等产业)
    head_type = typed[0] if typed else None
    if head_type not in (EntityType.INDUSTRY, EntityType.PROGRAMME) and not count:
        head, head_type = "", None
    if head_type is None:
        types = [whole[i].type for i in items if i in whole]
        if types and len(set(types)) == 1 and 2 * len(types) >= len(items):
            head_type = types[0]
    if head_type is EntityType.INDUSTRY:
        items = [part for item in items for part in _split_joined(view, item, lexicon)]
    for start, end in items:
        text = view.text[start:end]
        inside = [f for f in found if start <= f.start and f.end <= end]
        if count and head_type is EntityType.PLATFORM and _name_like(text):
            found = [f for f in found if f.end <= start or f.start >= end]
            found.append(_Found(start, end, text + head, head_type, listed=True))
            continue
        if (start, end) in whole or text in lexicon.generic_phrases:
            continue
        if _first_lead(text, lexicon, joins=head_type is EntityType.INDUSTRY) < len(text):
            continue
        industry_tail = [
            f
            for f in inside
            if f.type is EntityType.INDUSTRY and f.end == end and f.start - start <= 4
        ]
        has_place = any(f.type is EntityType.REGION for f in inside)
        kind: EntityType | None = None
        if industry_tail and not has_place:
            kind = EntityType.INDUSTRY
        elif head and _name_like(text) and not has_place:
            kind = head_type
        elif not head and not inside and _name_like(text, 3, 8):
            kind = head_type
        if kind is not None:
            found = [f for f in found if f not in inside]
            found.append(_Found(start, end, text, kind))
    return found


def _split_joined(view: _View, item: tuple[int, int], lexicon: Lexicon) -> list[tuple[int, int]]:
    """Split a list item at 与/和/及 when both sides are whole names (甲基础和乙软件).

    Short sides stay joined: 节能与新能源汽车 and 汽车及零部件 are one industry each.
    """
    start, end = item
    text = view.text[start:end]
    for join in lexicon.modifiers.get("join", frozenset()):
        at = text.find(join)
        if at >= 4 and len(text) - at - len(join) >= 4:
            return [(start, start + at), (start + at + len(join), end)]
    return [item]


def _shift(found: _Found, by: int) -> _Found:
    return _Found(found.start + by, found.end + by, found.name, found.type, found.decoded)


def _quoted_names(view: _View, found: list[_Found], lexicon: Lexicon) -> list[_Found]:
    """Take quoted names that no longer name contains: “五链融合”, “十三五”."""
    out = []
    for start, end in view.quoted:
        text = view.text[start:end]
        if not _name_like(text) or text in lexicon.generic_phrases:
            continue
        if any(f.start <= start and end <= f.end and f.end - f.start > end - start for f in found):
            continue
        s, e, _ = _strip(text, lexicon)
        if e - s < 2:
            s, e = 0, len(text)
        inner = [f for f in found if start + s == f.start and f.end == start + e]
        if inner and s == 0:
            continue
        # a quoted phrase led by a verb is a goal: “建设国际航运枢纽”
        typed = lexicon.suffix_type(text[s:e])
        kind = typed[0] if typed and s == 0 else EntityType.PROGRAMME
        acted_on = len(text) >= 4 and _acted_on(view, start, lexicon)
        if not (typed or s or _formula(text, lexicon) or acted_on):
            # a quoted word with no numeral, head or verb before it is emphasis (“硬核”)
            continue
        if any(
            (entry := lexicon.names.get(text[-k:])) and entry.type is EntityType.INDUSTRY
            for k in range(2, len(text) + 1)
        ):
            kind = EntityType.INDUSTRY
        out.append(_Found(start + s, start + e, text[s:e], kind))
        found[:] = [f for f in found if not (start + s <= f.start and f.end <= start + e)]
    return out


def _titles(view: _View, found: list[_Found], lexicon: Lexicon) -> list[_Found]:
    """Take each 《title》 whole: a plan, law or opinion is a programme (its head may say
    otherwise: 《…日报》); names inside a title are part of it, not mentions of their own."""
    out = []
    for start, end in view.titles:
        text = view.text[start:end]
        if not 2 <= len(text) <= 60:
            continue
        typed = lexicon.suffix_type(text)
        found[:] = [f for f in found if not (start <= f.start and f.end <= end)]
        out.append(_Found(start, end, text, typed[0] if typed else EntityType.PROGRAMME))
    return out


def _formula(text: str, lexicon: Lexicon) -> bool:
    """Return True for a numbered formula (“六化协同”, “246”, “一件事”)."""
    numerals = lexicon.modifiers.get("numeral", frozenset())
    return any(c.isdigit() or c in numerals for c in text)


def _acted_on(view: _View, start: int, lexicon: Lexicon) -> bool:
    """Return True when a policy verb stands right before a quotation (打造“名城名都”)."""
    before = view.text[max(0, start - 4) : start]
    verbs = lexicon.modifiers.get("lead", frozenset()) | lexicon.modifiers.get("front", frozenset())
    return any(before.endswith(v) for v in verbs if len(v) > 1)


def _abbreviation_places(text: str, lexicon: Lexicon) -> list[str] | None:
    """Decode a run of single-character place abbreviations (沪甬, 通苏嘉甬), or None."""
    options = [lexicon.abbreviations.get(ch) for ch in text]
    if len(text) < 2 or any(o is None for o in options):
        return None
    levels = [o[0].level for o in options if o is not None and len(o) == 1]
    usual = max(set(levels), key=levels.count) if levels else ""
    places = [
        next((n.canonical for n in o if n.level == usual), o[0].canonical)
        for o in options
        if o is not None
    ]
    # a place named twice means the characters abbreviate something else (武鄂黄黄)
    return places if len(set(places)) == len(places) else None


def _decoded(view: _View, found: list[_Found], lexicon: Lexicon) -> list[_Found]:
    """Decode abbreviations in cooperation expressions and in transport project names."""
    out: list[_Found] = []
    cooperation = [c.word for c in lexicon.cues if c.relation.value == "cooperatesWith"]
    runs = list(lexicon.abbreviation_run.finditer(view.text))
    # the words of the whole sentence matter only around a run of abbreviations (about
    # one sentence in five holds one)
    bounds = {at for at, _, _ in words(view.text, lexicon)} | {len(view.text)} if runs else set()
    for match in runs:
        # the run must be words of its own: not 聚焦|甬舟 nor 沪甬|合作
        for start in (at for at in range(match.start(), match.end() - 1) if at in bounds):
            for end in (at for at in range(match.end(), start + 1, -1) if at in bounds):
                places = _abbreviation_places(view.text[start:end], lexicon)
                rest = view.text[end : end + 6]
                if places and any(
                    rest.startswith(c) or rest[2:].startswith(c) for c in cooperation
                ):
                    host = [f for f in found if f.start <= start and end <= f.end]
                    if all(f.type is EntityType.PROGRAMME for f in host):
                        out += _places(start, places)
                    break
    for f in found:
        typed = lexicon.suffix_type(f.name) if f.type is EntityType.PROJECT else None
        if typed and typed[1] in lexicon.link_suffixes:
            body = f.name[: len(f.name) - len(typed[1])]
            for n in range(len(body), 1, -1):
                places = _abbreviation_places(body[:n], lexicon)
                if places:
                    out += _places(f.start, places)
                    break
    return out


def _places(start: int, places: list[str]) -> list[_Found]:
    return [
        _Found(start + i, start + i + 1, place, EntityType.REGION, decoded=True)
        for i, place in enumerate(places)
    ]


def _countries(view: _View, group: list[tuple[int, int]], lexicon: Lexicon) -> list[_Found]:
    """Decode a two- or three-country contraction standing alone (宁波和日韩 -> 日本, 韩国)."""
    out = []
    join = lexicon.modifiers.get("join", frozenset())
    for start, end in group:
        for size in (3, 2):
            at = end - size
            text = view.text[at:end]
            before = view.text[at - 1] if at > start else ""
            if at < start or text in lexicon.names or (before and before not in join):
                continue
            countries = [lexicon.country_abbreviations.get(c) for c in text]
            if all(countries):
                out += [
                    _Found(at + i, at + i + 1, c.canonical, c.type, decoded=True)
                    for i, c in enumerate(countries)
                    if c is not None
                ]
                break
    return out


def _shared_heads(view: _View, found: list[_Found], lexicon: Lexicon) -> list[_Found]:
    """Give a bare name joined to a headed one the same head (甲和乙工程 -> 甲工程)."""
    out = []
    join = lexicon.modifiers.get("join", frozenset())
    for f in found:
        typed = lexicon.suffix_type(f.name)
        word = view.text[f.start - 1 : f.start]
        if (
            typed is None
            or word not in join
            or f.type
            not in (
                EntityType.PROGRAMME,
                EntityType.PLATFORM,
                EntityType.PROJECT,
            )
        ):
            continue
        stop = f.start - 1
        begin = max(
            (g.end for g in found if g.end <= stop),
            default=max(view.text.rfind(c, 0, stop) for c in "，。；、") + 1,
        )
        s, e, _ = _strip(view.text[begin:stop], lexicon)
        bare = view.text[begin + s : begin + e]
        if _name_like(bare, 3, 10) and not any(begin <= g.start < stop for g in found):
            out.append(_Found(begin + s, begin + e, bare + typed[1], f.type))
    return out


def sentence_mentions(sentence: Sentence, lexicon: Lexicon) -> list[Mention]:
    """Return the mentions of one sentence, in text order.

    Args:
        sentence: a segmented sentence (its ``text`` and ``offsets``).
        lexicon: the loaded lexicon.

    Returns:
        Mentions with document offsets; decoded abbreviations overlap their host name.
    """
    # match on simplified, half-width characters: one for one, so offsets still hold
    view = _view(fold_width(to_simplified(sentence.text)), lexicon)
    found: list[_Found] = []
    for group in _chunks(view):
        found += _list_names(view, group, lexicon)
        found += _countries(view, group, lexicon)
    found += _titles(view, found, lexicon)
    found += _quoted_names(view, found, lexicon)
    found += _shared_heads(view, found, lexicon)
    found = [f for f in found if f.decoded or f.listed or not _is_generic(f, lexicon)]
    found += _decoded(view, found, lexicon)
    mentions: dict[tuple[int, int, EntityType, str], Mention] = {}
    for f in sorted(found, key=lambda f: (f.start, -f.end)):
        i, j = view.index[f.start], view.index[f.end - 1] + 1
        start, end = sentence.span(i, j)
        mention = Mention(
            name=f.name,
            type=f.type,
            surface=sentence.text[i:j],
            start=start,
            end=end,
            sentence=sentence.index,
            decoded=f.decoded,
        )
        mentions.setdefault((start, end, f.type, f.name), mention)
    return list(mentions.values())


def extract_mentions(doc: Document, lexicon: Lexicon) -> list[Mention]:
    """Return the mentions of every sentence of a segmented document.

    Args:
        doc: a document with sentences (from ``segment``).
        lexicon: the loaded lexicon.

    Returns:
        Mentions in document order.
    """
    return [m for sentence in doc.sentences for m in sentence_mentions(sentence, lexicon)]
