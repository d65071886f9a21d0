"""Find the named entities of each sentence: ``Document`` -> ``Mention``s.

A sentence is read as a *view* without quotation marks and cut into chunks at
punctuation; ``kg.chunker`` takes the names out of each chunk (lexicon names, and runs
of words ending in a head suffix that types them). Here the sentence's structure is
read: lists sharing a head (甲、乙等产业) give each item the head's type; quoted names
and 《titles》 stand on their own; single-character place abbreviations are decoded in
cooperation expressions and transport names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from kg.chars import HANZI, plain
from kg.chunker import (
    Chunker,
    Found,
    closing_phrase,
    core_span,
    first_lead,
    is_formula,
    is_generic,
    list_only_heads,
    name_like,
    quantity_length,
    unit_length,
)
from kg.lexicon import COOPERATION_REACH, LIST_MARK, Lexicon, Name
from kg.model import Document, EntityType, Mention, Sentence
from kg.tokens import words

__all__ = ["extract_mentions", "sentence_mentions"]

_QUOTES = frozenset("“”‘’\"'「」『』《》〈〉")
_BOOK_OPEN, _BOOK_CLOSE = "《〈", "》〉"
#: the longest industry two written one after the other make (航运物流, 汽车电子)
_COMPOUND_LENGTH = 6
_HARD = frozenset("，。；：！？,;:!?…[]【】 \t\n/|·•*#%％")
# markup of Markdown and HTML left in a text (`code`, ~~struck~~, _em_, <b>) is no part of a name
_HARD |= frozenset("<>`~_{}")
_PAREN_OPEN, _PAREN_CLOSE = "（(", "）)"
#: Any character that makes a sentence's view differ from its text.
_MARKED = re.compile(
    "[" + re.escape("".join(sorted(_QUOTES | {*_PAREN_OPEN, *_PAREN_CLOSE}))) + "]"
)


@dataclass(frozen=True, slots=True)
class _View:
    """The sentence text without quotation marks, mapped back to sentence offsets."""

    text: str
    index: tuple[int, ...]
    quoted: tuple[tuple[int, int], ...]
    #: spans inside 《》: titles of plans, laws and other documents
    titles: tuple[tuple[int, int], ...] = ()


def _view(text: str, lexicon: Lexicon) -> _View:
    if _MARKED.search(text) is None:  # most sentences hold no quotation mark or bracket
        return _View(text, tuple(range(len(text))), ())
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
        opening, closing = ch in _PAREN_OPEN, ch in _PAREN_CLOSE
        if (opening or closing) and not book:
            kept = _kept_paren(text, i, lexicon) if opening else _kept_paren_close(text, i, lexicon)
            # a bracket around a place inside a name stays; any other bracket cuts
            ch = ch if kept else "，"
        chars.append(ch)
        index.append(i)
    return _View("".join(chars), tuple(index), tuple(quoted), tuple(titles))


def _kept_paren(text: str, i: int, lexicon: Lexicon) -> bool:
    """Return True when the bracket at ``i`` holds a place inside a name (中捷（宁波）产业园),
    a head before another (…（集团）有限公司) or one character of a name whose head
    follows it (市域（郊）铁路)."""
    close = next((j for j in range(i + 1, min(len(text), i + 8)) if text[j] in _PAREN_CLOSE), -1)
    if close < 0 or close + 1 >= len(text) or not text[close + 1].isalnum():
        return False
    inside = text[i + 1 : close]
    if lexicon.is_place(inside):
        return True
    if not _head_at(text, close + 1, lexicon):
        return False
    # a head between heads (舜宇光学科技（集团）有限公司), or one character of the name
    return inside in lexicon.heads or (
        len(inside) == 1
        and i > 0
        and HANZI.match(text[i - 1]) is not None
        and HANZI.match(inside) is not None
    )


def _kept_paren_close(text: str, i: int, lexicon: Lexicon) -> bool:
    open_ = next((j for j in range(i - 1, max(-1, i - 8), -1) if text[j] in _PAREN_OPEN), -1)
    return open_ >= 0 and _kept_paren(text, open_, lexicon)


def _chunks(view: _View, lexicon: Lexicon) -> list[list[tuple[int, int]]]:
    """Cut the view at punctuation; chunks joined by 、 form one list group."""
    groups: list[list[tuple[int, int]]] = [[]]
    start = 0
    text = view.text + "，"
    for i, ch in enumerate(text):
        hard = ch in _HARD or (ch == "—" and "—" in (text[i - 1 : i], text[i + 1 : i + 2]))
        if ch == "/" and unit_length(text, i + 1, lexicon, "per"):
            # …but not between two units (120万吨/年): the quantity is one
            hard = not any(unit_length(text, i - n, lexicon) == n for n in range(1, 5))
        if hard or ch == LIST_MARK:
            if i > start:
                groups[-1].append((start, i))
            if hard and groups[-1]:
                groups.append([])
            start = i + 1
    return [g for g in groups if g]


def _list_head(text: str, lexicon: Lexicon) -> tuple[int, str, str | None] | None:
    """Find where the last item of a list ends and its shared head begins (…等产业)."""
    ordinal = lexicon.modifiers.get("ordinal", frozenset())
    counts = lexicon.modifiers.get("count", frozenset())
    listing = lexicon.modifiers.get("list", frozenset())
    for pos in range(1, len(text)):
        # a quantity in figures counts the items too (新材料3个万亿级产业集群), not a rank
        number = text[pos].isdigit() and text[pos - 1] not in ordinal
        counted = quantity_length(text[pos : pos + 12], lexicon) if number else 0
        for word in (text[pos : pos + counted],) if counted else _list_markers(lexicon):
            if text.startswith(word, pos) and len(text) > pos + len(word):
                head = text[pos + len(word) :]
                head = head[: first_lead(head, lexicon)]
                # a count stands before a head, never inside it (…等领域发掘|一批示范企业)
                head = head[: min((i for c in counts if (i := head.find(c)) > 0), default=None)]
                head = head[: core_span(head, lexicon)[1]]  # …两大协同发展区|建设
                if head.startswith(list_only_heads(lexicon)) and head not in lexicon.heads:
                    return None  # …公共服务等领域|一体化: fields of an action, not names
                head = head[: _acted_head_end(head, lexicon)]
                if head and lexicon.suffix_type(head, strict=False):
                    count = word if counted or word in counts else None
                    return pos, head, count
                if word in listing:
                    return None  # the list ended here, under no head (…等领域发掘一批示范企业)
    return None


def _acted_head_end(head: str, lexicon: Lexicon) -> int:
    """Return where a noun of action after a complete head of companies starts in
    ``head`` (…等龙头企业|建设企业技术中心: the predicate), or its length."""
    fronts = lexicon.modifiers.get("front", frozenset())
    ends = (
        at
        for word in fronts
        if (at := head.find(word)) > 0
        and (typed := lexicon.suffix_type(head[:at], strict=False)) is not None
        and typed[0] is EntityType.ORGANIZATION
    )
    return min(ends, default=len(head))


def _group_items(
    view: _View, group: list[tuple[int, int]], lexicon: Lexicon
) -> tuple[list[Found], list[tuple[int, int]], str, str | None]:
    """Take the names of each chunk; return them, the list items, the shared head, a count."""
    found: list[Found] = []
    items: list[tuple[int, int]] = []
    head, count = "", None
    joins = lexicon.modifiers.get("join", frozenset())
    for n, (start, end) in enumerate(group):
        chunk = view.text[start:end]
        opens = frozenset(q - start for q, _ in view.quoted if start <= q < end)
        chunker = Chunker(chunk, lexicon, opens) if lexicon.may_hold_name(chunk) else None
        named = _compounds(chunker.run(), chunk, lexicon) if chunker is not None else []
        found += [_shift(f, start) for f in named]
        if len(group) == 1 and not any(j in chunk for j in joins):
            break  # one chunk is no list: it has no items, unless joined (甲和乙等产业)
        if chunker is not None and n == 0 and named:
            # a name, a verb, then the first item, which no name covers (…合作区重点发展|金融)
            cut = chunker.after_last_lead()
            # (in one chunk, names may follow: 甲区重点发展|乙和丙等产业)
            if cut and all(f.end <= cut or (len(group) == 1 and f.start >= cut) for f in named):
                chunk, start = chunk[cut:], start + cut
            elif (
                len(named) > 1
                and named[-1].end == len(chunk)
                and not any(j in chunk[named[-2].end : named[-1].start] for j in joins)
            ):
                # names one after another: the last is the first item (前湾新区|吉利汽车、…),
                # unless a join makes them one (软件与工业互联网、…)
                chunk, start = chunk[named[-1].start :], start + named[-1].start
        if n == len(group) - 1:
            listed = _list_head(chunk, lexicon)
            if listed is not None:
                split, head, count = listed
                chunk = chunk[:split]
            else:
                chunk = chunk[: max(1, first_lead(chunk[1:], lexicon) + 1)]
                chunk = chunk[: closing_phrase(chunk, lexicon)]
        s, e, _ = core_span(chunk, lexicon)
        items.append((start + s, start + e))
    return found, items, head, count


def _list_names(view: _View, group: list[tuple[int, int]], lexicon: Lexicon) -> list[Found]:
    """Take the names of a chunk group; items of a list share their head's type."""
    found, items, head, count = _group_items(view, group, lexicon)
    if len(items) == 1 and head and lexicon.suffix_type(head, strict=False) is not None:
        # one item under a list's head may be two joined (科技研发和高端制造等产业)
        items = _split_joined(view, items[0], lexicon)
    if len(items) < 2:
        return found
    whole = {(f.start, f.end): f for f in found}
    typed = lexicon.suffix_type(head, strict=False) if head else None
    # names of platforms, projects and bodies carry their own heads: only industries
    # and programmes are listed bare under a shared head (甲、乙等产业)
    head_type = typed[0] if typed else None
    # …and companies, under a head that names no body of its own (华为、中兴等企业)
    listed_bodies = head_type is EntityType.ORGANIZATION and not lexicon.suffix_type(head)
    if head_type not in (EntityType.INDUSTRY, EntityType.PROGRAMME) and not (
        count or listed_bodies
    ):
        head, head_type = "", None
    if (
        head_type is EntityType.PROGRAMME
        and not is_formula(head, lexicon)
        and not is_generic(Found(0, len(head), head, head_type), lexicon)
    ):
        # 土地、能源等资源要素配置改革: the fields of one reform, where the items of a
        # formula (“规划一张图、交通一张网”等六个一工程) are its parts
        head, head_type = "", None
    if head_type is EntityType.ORGANIZATION and any(
        whole[i].type is not EntityType.ORGANIZATION for i in items if i in whole
    ):
        head, head_type = "", None  # 外贸、物流等一批企业: kinds of company
    if (shared := _shared_integration(items, found, lexicon)) is not None:
        # 济南都市圈、青岛都市圈一体化发展: the places integrate with one another, the last
        # names no programme of its own
        found = [f for f in found if f.start != shared.start] + [shared]
        items[-1] = (shared.start, shared.end)
        whole[items[-1]] = shared
    if head_type is None:
        types = [whole[i].type for i in items if i in whole]
        if types and len(set(types)) == 1 and 2 * len(types) >= len(items):
            head_type = types[0]
    if head_type is EntityType.INDUSTRY:
        items = [part for item in items for part in _split_joined(view, item, lexicon)]
    for start, end in items:
        text = view.text[start:end]
        inside = [f for f in found if start <= f.start and f.end <= end]
        if (
            count
            and head_type is EntityType.PLATFORM
            and name_like(text)
            # a head that only types a list's items (三大平台) names no item
            and head not in list_only_heads(lexicon)
        ):
            found = [f for f in found if f.end <= start or f.start >= end]
            found.append(Found(start, end, text + head, head_type, named=True))
            continue
        if (start, end) in whole or text in lexicon.generic_phrases:
            continue
        if typed and text.endswith(typed[1]):
            continue  # 科技型中小企业、高新技术企业等企业: kinds of the head, not names
        if first_lead(text, lexicon, joins=head_type is EntityType.INDUSTRY) < len(text):
            continue
        spans = {(f.start, f.end) for f in inside}
        if len(parts := _split_joined(view, (start, end), lexicon)) > 1 and spans >= set(parts):
            continue  # 新能源和新材料产业: two industries, as found
        industry_tail = [
            f
            for f in inside
            if f.type is EntityType.INDUSTRY and f.end == end and f.start - start <= 4
        ]
        has_place = any(f.type is EntityType.REGION for f in inside)
        kind: EntityType | None = None
        if industry_tail and not has_place and head_type is not EntityType.ORGANIZATION:
            kind = EntityType.INDUSTRY  # …but a company listed as one (地中海航运) is one
        elif (
            head
            and name_like(text)
            and (not has_place or (listed_bodies and not lexicon.is_place(text)))
        ):
            kind = head_type  # …a company may bear a place's name (永新光学)
        elif not head and not inside and name_like(text, 3, 8):
            kind = head_type
        if kind is not None:
            found = [f for f in found if f not in inside]
            found.append(Found(start, end, text, kind))
    return found


def _compounds(found: list[Found], text: str, lexicon: Lexicon) -> list[Found]:
    """Join two industries written one right after the other into one (航运|物流: 航运物流,
    the shipping logistics industry), as no list mark or join parts them, unless a head
    follows them (锂电|新能源|项目: the industries of a kind of project)."""
    out: list[Found] = []
    for f in found:
        last = out[-1] if out else None
        if (
            last is not None
            and last.end == f.start
            and last.type is f.type is EntityType.INDUSTRY
            and not (last.decoded or f.decoded)
            and len(last.name) + len(f.name) <= _COMPOUND_LENGTH
            and not _head_at(text, f.end, lexicon)
        ):
            out[-1] = Found(last.start, f.end, last.name + f.name, EntityType.INDUSTRY)
        else:
            out.append(f)
    return out


def _head_at(text: str, at: int, lexicon: Lexicon) -> bool:
    """Return True when a head suffix starts at ``at`` in ``text``."""
    return any(text[at : at + n] in lexicon.heads for n in range(1, lexicon.max_head_length + 1))


def _shared_integration(
    items: list[tuple[int, int]], found: list[Found], lexicon: Lexicon
) -> Found | None:
    """Return the place of a list's last item when it bears the integration all the items
    share (甲、乙一体化), or None."""
    last = next((f for f in found if f.start == items[-1][0]), None)
    if last is None or last.type is not EntityType.PROGRAMME:
        return None
    spans = {(f.start, f.end): f.type for f in found}
    if not all(spans.get(i) is EntityType.REGION for i in items[:-1]):
        return None
    typed = lexicon.suffix_type(last.name)
    if typed is None or typed[1] not in lexicon.place_suffixes:
        return None
    place = last.name[: -len(typed[1])]
    named = lexicon.suffix_type(place)
    if not lexicon.is_place(place) and (named is None or named[0] is not EntityType.REGION):
        return None
    return Found(last.start, last.start + len(place), place, EntityType.REGION)


def _split_joined(view: _View, item: tuple[int, int], lexicon: Lexicon) -> list[tuple[int, int]]:
    """Split a list item at 与/和/及 when both sides are whole names (甲基础和乙软件,
    新能源和新材料).

    Short sides stay joined unless a list's last join (和) joins two known industries:
    节能与新能源汽车, 汽车及零部件 and 软件与工业互联网 are one industry each.
    """
    start, end = item
    text = view.text[start:end]
    if text in lexicon.names:
        return [item]
    for join in lexicon.modifiers.get("join", frozenset()):
        at = text.find(join)
        if at < 1:
            continue
        left, right = text[:at], text[at + len(join) :]
        known = join in lexicon.modifiers.get("last", ()) and all(
            (name := lexicon.names.get(side)) is not None and name.type is EntityType.INDUSTRY
            for side in (left, right)
        )
        if known or (len(left) >= 4 and len(right) >= 4):
            return [(start, start + at), (start + at + len(join), end)]
    return [item]


def _shift(found: Found, by: int) -> Found:
    return Found(found.start + by, found.end + by, found.name, found.type, found.decoded)


def _quoted_before_kinds(view: _View, found: list[Found], lexicon: Lexicon) -> list[Found]:
    """Return ``found`` with each name made of a quotation and a kind (杭甬“双城记”标志性
    工程: a landmark project, a descriptor and a head) cut to the quotation, the name; a
    quotation right before a head (“两个健康”先行区), a plan named after it (“一带一路”科技
    创新行动计划), a formula in figures (“315”科技创新体系建设工程) and one of industries
    (“10+X”标志性产业链) stay whole."""
    if not view.quoted:
        return found
    ends = dict(view.quoted)
    out = []
    for f in found:
        end = ends.get(f.start, f.end)
        kind = view.text[end : f.end]
        typed = lexicon.suffix_type(kind) if end < f.end else None
        if (
            typed is not None
            and typed[0] is not EntityType.INDUSTRY
            and typed[1] not in lexicon.plan_suffixes
            and not any(c.isdigit() for c in view.text[f.start : end])
            and len(kind) > len(typed[1])
            and is_generic(Found(0, len(kind), kind, typed[0]), lexicon)
        ):
            f = Found(f.start, end, view.text[f.start : end], EntityType.PROGRAMME)
        out.append(f)
    return out


def _quoted_names(view: _View, found: list[Found], lexicon: Lexicon) -> list[Found]:
    """Take quoted names that no longer name contains: “五链融合”, “十三五”."""
    out = []
    # where the last quotation that is a name ended: the next one listed after it
    # (“甲”、“乙”和“丙”三大计划) is a name too
    named_end = -1
    listing = lexicon.modifiers.get("join", frozenset()) | {LIST_MARK, ""}  # “甲”“乙”
    for start, end in view.quoted:
        text = view.text[start:end]
        # a known name with a list mark in it, which no chunk holds whole (“大众创业、万众创新”)
        known = lexicon.names.get(text) if LIST_MARK in text else None
        if known is not None:
            out.append(Found(start, end, text, known.type))
            found[:] = [f for f in found if not (start <= f.start and f.end <= end)]
            named_end = end
            continue
        if not name_like(text) or text in lexicon.generic_phrases:
            continue
        if "party" in lexicon.modifier_kinds.get(text, ()):
            continue  # the count of the parties listed before it (广州、深圳“双城”联动)
        listed = named_end >= 0 and view.text[named_end:start] in listing
        # a longer name holds the quotation, or a known name is all of it (“两个先行”)
        if any(
            f.start <= start
            and end <= f.end
            and (f.end - f.start > end - start or f.name in lexicon.names)
            for f in found
        ):
            named_end = end
            continue
        if (shared := _head_after_quotations(view, start, end, found, lexicon)) is not None:
            out.append(shared)  # “襄十随神”“宜荆荆恩”城市群: each a city cluster
            named_end = end
            continue
        s, e, _ = core_span(text, lexicon)
        if e - s < 2 or text[s:e] in lexicon.heads or is_formula(text[:s], lexicon):
            # “六大行动”, “两个健康”: a quoted count is a formula, not the bare word counted
            s, e = 0, len(text)
        inner = [f for f in found if start + s == f.start and f.end == start + e]
        if inner and s == 0:
            named_end = end
            continue
        # a quoted phrase led by a verb is a goal: “建设国际航运枢纽”
        typed = lexicon.suffix_type(text[s:e])
        kind = typed[0] if typed and s == 0 else EntityType.PROGRAMME
        acted_on = len(text) >= 4 and _acted_on(view, start, lexicon)
        industries = _heads_industries(view, start, end, lexicon)
        if not (typed or s or is_formula(text, lexicon) or acted_on or industries or listed):
            # a quoted word with no numeral, head or verb before it is emphasis (“硬核”)
            continue
        if industries or any(
            (entry := lexicon.names.get(text[-k:])) and entry.type is EntityType.INDUSTRY
            for k in range(2, len(text) + 1)
        ):
            kind = EntityType.INDUSTRY
        out.append(Found(start + s, start + e, text[s:e], kind))
        found[:] = [f for f in found if not (start + s <= f.start and f.end <= start + e)]
        named_end = end
    return out


def _head_after_quotations(
    view: _View, start: int, end: int, found: list[Found], lexicon: Lexicon
) -> Found | None:
    """Return a quotation followed by others, the last of which a found name continues
    with its head, as a name with that head (“甲”“乙”城市群 -> 甲城市群), or None."""
    follows = dict(view.quoted)
    if end not in follows:
        return None
    last = end
    while follows[last] in follows:
        last = follows[last]
    closing = follows[last]
    name = next((f for f in found if f.start == last and f.end > closing), None)
    if name is None:
        return None
    head = view.text[closing : name.end]
    typed = lexicon.suffix_type(head, strict=False)
    if typed is None or typed[1] != head:
        return None
    return Found(start, end, view.text[start:end] + head, name.type)


def _heads_industries(view: _View, start: int, end: int, lexicon: Lexicon) -> bool:
    """Return True when an industry's head follows a quotation, or the quotations right
    after it, past descriptors: a formula naming industries (“芯屏汽合”“急终生智”产业地标,
    “4+6+X”产业体系, “965”现代产业体系)."""
    text, follows = view.text[start:end], dict(view.quoted)
    while end in follows:
        end = follows[end]
    # …past the word that ends a list (“芯屏汽合”“急终生智”等产业)
    ends_list = [w for w in lexicon.modifiers.get("list", ()) if view.text.startswith(w, end)]
    end += max(map(len, ends_list), default=0)
    # …and past the descriptors before the head (“965”现代产业体系)
    while skipped := next(
        (
            n
            for n in (3, 2)
            if view.text[end : end + n] in lexicon.descriptors
            and view.text[end : end + n] not in lexicon.heads
        ),
        0,
    ):
        end += skipped
    for k in range(2, 5):
        head = view.text[end : end + k]
        typed = lexicon.suffix_type(head, strict=False)
        if typed and len(typed[1]) == k:
            # a head that only types a list's items (“6+1”领域达峰体系) names no industry
            named = lexicon.suffix_type(text + head)
            return named is not None and named[0] is EntityType.INDUSTRY
    return False


def _quoted_lists(view: _View, found: list[Found], lexicon: Lexicon) -> list[Found]:
    """Take a quoted list under a programme's head as one programme (“千村示范、万村整治”工程):
    the quotation marks make its items one name, which the list would split."""
    out = []
    for start, end in view.quoted:
        items = view.text[start:end].split(LIST_MARK)
        if len(items) < 2 or not all(name_like(item) for item in items):
            continue
        if view.text.startswith(_list_markers(lexicon), end):
            continue  # “甲、乙”等六个一工程: the items of the list the head counts
        # the words after the closing mark, up to a programme's head (“…”攻坚行动)
        head = next(
            (
                view.text[end : end + k]
                for k in range(8, 0, -1)
                if name_like(view.text[end : end + k], 1, 8)
                and (typed := lexicon.suffix_type(view.text[end : end + k], strict=False))
                and typed[0] is EntityType.PROGRAMME
            ),
            None,
        )
        if head is None:
            continue
        stop = end + len(head)
        found[:] = [f for f in found if not (start <= f.start and f.end <= stop)]
        out.append(Found(start, stop, view.text[start:end] + head, EntityType.PROGRAMME))
    return out


def _titles(view: _View, found: list[Found], lexicon: Lexicon) -> list[Found]:
    """Take each 《title》 whole: a plan, law or opinion is a programme (its head may say
    otherwise: 《…日报》); names inside a title are part of it, not mentions of their own."""
    out = []
    for start, end in view.titles:
        text = view.text[start:end]
        if not 2 <= len(text) <= 60:
            continue
        typed = lexicon.suffix_type(text)
        # names inside it are part of it; a name that runs across its end or start is
        # no name (《甲规划》《乙合作区…》 read as one run, 甲规划乙合作区)
        found[:] = [
            f
            for f in found
            if f.end <= start or f.start >= end or (f.start <= start and end <= f.end)
        ]
        type_ = typed[0] if typed else EntityType.PROGRAMME
        out.append(Found(start, end, text, type_, named=True))
    return out


def _acted_on(view: _View, start: int, lexicon: Lexicon) -> bool:
    """Return True when a policy verb stands right before a quotation (打造“名城名都”)."""
    return view.text.endswith(_policy_verbs(lexicon), max(0, start - 4), start)


@cache
def _policy_verbs(lexicon: Lexicon) -> tuple[str, ...]:
    """Return the verbs of two or more characters that lead or front a phrase."""
    verbs = lexicon.modifiers.get("lead", frozenset()) | lexicon.modifiers.get("front", frozenset())
    return tuple(sorted(v for v in verbs if len(v) > 1))


@cache
def _list_markers(lexicon: Lexicon) -> tuple[str, ...]:
    """Return the words that end a list or count its items (等, 两大)."""
    return tuple(
        sorted(
            lexicon.modifiers.get("list", frozenset()) | lexicon.modifiers.get("count", frozenset())
        )
    )


def _abbreviation_places(
    text: str, lexicon: Lexicon, named: frozenset[str] = frozenset(), link: bool = False
) -> list[str] | None:
    """Decode a run of single-character place abbreviations (沪甬, 通苏嘉甬), or None.

    A character that may stand for a place the sentence names in full stands for it
    (沪苏湖铁路…串联上海、苏州和湖州: 苏 is 苏州 there, not 江苏). In a link's name a
    city of province level (上海, 重庆) counts as a city (沪苏湖铁路: 苏州).
    """
    known = [lexicon.abbreviations.get(ch) for ch in text]
    if len(text) < 2 or any(o is None for o in known):
        return None
    either = _cities_of_province_level(lexicon)
    cities = either if link else frozenset()

    def usual_level(options: list[tuple[Name, ...]]) -> str:
        levels = [
            "prefecture" if o[0].canonical in cities else o[0].level for o in options if len(o) == 1
        ]
        # the most frequent level; on a tie the first met, so that every process reads the
        # run alike (a set's order follows string hashes, which differ between processes)
        return max(levels, key=levels.count) if levels else ""

    # …unless the characters that stand for one place only are provinces (沪苏浙皖…苏州:
    # 苏 is 江苏 among them; 厦金…金门 mixes a city and a county); a city of province level
    # is of both (沪苏同城化…苏州: 苏州)
    alone = usual_level([o for o in known if o is not None and o[0].canonical not in either])
    among_provinces = alone == "province"
    options = [
        tuple(
            n for n in o if n.canonical in named and (not among_provinces or n.level == "province")
        )
        or o
        for o in known
        if o is not None
    ]
    # …or, with no character of one place only, the one level all of them may be (贵南:
    # 贵阳 and 南宁, not 贵州)
    common = set.intersection(*({n.level for n in o} for o in options))
    usual = usual_level(options) or (common.pop() if len(common) == 1 else "")
    # of the places of that level, one in the province of a place the run decodes alone
    # (昌抚: 抚州, in 南昌's province, not 抚顺); a character standing for no place of that
    # level stands for its widest (渝昆: 昆明, the city, rather than 昆山, the county)
    provinces = {lexicon.parents.get(o[0].canonical) for o in options if len(o) == 1}
    if not provinces:
        # …or, with every character ambiguous, the province where one of each lies (昌抚:
        # 南昌 and 抚州, not 昌吉 and 抚顺)
        provinces = set.intersection(
            *({lexicon.parents.get(n.canonical) for n in o if n.level == usual} for o in options)
        )
    places = [
        next(
            (
                n.canonical
                for n in o
                if n.level == usual and lexicon.parents.get(n.canonical) in provinces
            ),
            next((n.canonical for n in o if n.level == usual), min(o, key=_widest).canonical),
        )
        for o in options
    ]
    # a place named twice means the characters abbreviate something else (武鄂黄黄)
    return places if len(set(places)) == len(places) else None


@cache
def _cities_of_province_level(lexicon: Lexicon) -> frozenset[str]:
    """Return the places of province level that no prefecture lies in (上海, 重庆, 香港)."""
    with_prefectures = {
        parent
        for name, parent in lexicon.parents.items()
        if (known := lexicon.names.get(name)) is not None and known.level == "prefecture"
    }
    return frozenset(
        name
        for name, known in lexicon.names.items()
        if known.level == "province" and name == known.canonical and name not in with_prefectures
    )


def _leading_place(found: Found, lexicon: Lexicon) -> str | None:
    """Return the place a name is or starts with (宁波, 苏州工业园区: 苏州), or None."""
    if found.type is EntityType.REGION:
        known = lexicon.names.get(found.name)
        return known.canonical if known else None
    size = lexicon.place_prefix(found.name, min(len(found.name) - 2, 6))
    return lexicon.names[found.name[:size]].canonical if size else None


_LEVELS = ("country", "province", "prefecture", "county")


def _widest(name: Name) -> int:
    """Return the rank of a place's level, the widest first."""
    return _LEVELS.index(name.level) if name.level in _LEVELS else len(_LEVELS)


def _decoded(view: _View, found: list[Found], lexicon: Lexicon) -> list[Found]:
    """Decode abbreviations in cooperation expressions and in transport project names."""
    out: list[Found] = []
    cooperation = lexicon.cooperation_cues
    numerals = lexicon.modifiers.get("numeral", frozenset())
    runs = list(lexicon.abbreviation_run.finditer(view.text))
    # the places the sentence names in full, which its abbreviations may stand for: on
    # their own or at the start of a name (苏州工业园区…沪苏同城化: 苏 is 苏州)
    named = frozenset(place for f in found if (place := _leading_place(f, lexicon)))
    # the words of the whole sentence matter only around a run of abbreviations (about
    # one sentence in five holds one)
    bounds = {at for at, _, _ in words(view.text, lexicon)} | {len(view.text)} if runs else set()
    if runs:
        # …or the places a known programme's name starts with (京津冀|协同发展, one word
        # to jieba)
        bounds |= {
            run.end()
            for f in found
            if f.type is EntityType.PROGRAMME
            and (run := lexicon.abbreviation_run.match(view.text, f.start)) is not None
        }
    out += _home_contractions(view, found, lexicon)
    out += _lone_partners(view, [*found, *out], lexicon)
    china = lexicon.home_abbreviation
    countries = {f.start for f in [*found, *out] if f.decoded}
    for match in runs:
        if countries.intersection(range(match.start(), match.end())):
            continue  # 中新合作: a contraction of countries, not of 中山 and 新疆
        # the run must be words of its own: not 聚焦|甬舟 nor 沪甬|合作
        for start in (at for at in range(match.start(), match.end() - 1) if at in bounds):
            for end in (at for at in range(match.end(), start + 1, -1) if at in bounds):
                places = _abbreviation_places(view.text[start:end], lexicon, named)
                # runs listed before one cue share it (甬港、甬澳合作)
                window = view.text[end : end + 20]
                rest = lexicon.after_listed_runs(window)
                # …unless the last of them heads a name (甬舟、甬台一体化先行区: a platform)
                last = end + len(window) - len(rest)
                if last > end and any(
                    f.start < last < f.end and f.type is not EntityType.PROGRAMME for f in found
                ):
                    break
                rest = rest[:COOPERATION_REACH]
                # a numeral before a counted word counts it (沿黄九省区合作), while 昌九一体化
                # decodes 九 as 九江
                counted = view.text[end - 1] in numerals and not rest.startswith(cooperation)
                if places and not counted and _cooperation_follows(rest, lexicon):
                    host = [f for f in found if f.start <= start and end <= f.end]
                    # inside a programme's name, or a grouping's that is the run itself
                    # (粤港澳|合作: 广东, 香港 and 澳门)
                    if all(
                        f.type is EntityType.PROGRAMME
                        or (f.name == view.text[start:end] and lexicon.is_grouping(f.name))
                        for f in host
                    ):
                        out += _places(start, places)
                    break
    for f in found:
        head = lexicon.link_head(f.name) if f.type is EntityType.PROJECT else None
        if head:
            body = f.name[: len(f.name) - len(head)]
            # the places end where a word ends: 成渝|中线高铁 links 成都 and 重庆, 中 is no place
            cut = words(body, lexicon)
            inside = {i for at, word, _ in cut for i in range(at + 1, at + len(word))}
            # …and before the water it crosses (沪苏通|长江公铁大桥: 长江, not 长沙 and 江门)
            crossed = (at for at, word, _ in cut if lexicon.is_water(word))
            # a link out of the country names China and the country it reaches (中老铁路)
            abroad = (
                _contraction(body[:2], f.start, lexicon) if china and body.startswith(china) else []
            )
            out += abroad
            # …and the places a span word joins are named in full (西宁至成都: no 西 and 宁)
            spanned = _spanned_places(body, lexicon)
            last = min([*crossed, *(s.start for s in spanned)], default=len(body))
            for n in range(last if not abroad else 0, 1, -1):
                places = (
                    None if n in inside else _abbreviation_places(body[:n], lexicon, named, True)
                )
                if places:
                    out += _places(f.start, places)
                    break
            out += [_shift(end, f.start) for end in spanned]
    return out


def _cooperation_follows(text: str, lexicon: Lexicon) -> bool:
    """Return True when ``text`` starts with a cooperation cue, or with one after a word
    of two characters naming its field (合作, 经贸合作, 一体化), after 的 and a field (的
    交通互联合作) or after the parties' count (川渝|两省市|联合)."""
    cues = lexicon.cooperation_cues
    if text.startswith(cues) or text[2:].startswith(cues):
        return True
    if text[:1] in lexicon.modifiers.get("possessive", ()):
        # …or after 的 and a field of up to four characters (与沪浙皖的交通互联合作)
        return any(text[n:].startswith(cues) for n in (1, 3, 5))
    party = next(
        (n for n in range(4, 1, -1) if "party" in lexicon.modifier_kinds.get(text[:n], ())), 0
    )
    return party > 0 and text[party:].startswith(cues)


def _spanned_places(text: str, lexicon: Lexicon) -> list[Found]:
    """Return the places span words join in a link's name (杭州至宁波…, 成都至自贡至宜宾…)."""
    for span in lexicon.modifiers.get("span", ()):
        at = text.find(span)
        if at < 2:
            continue
        left = next((s for s in range(0, at - 1) if lexicon.is_place(text[s:at])), None)
        if left is None:
            continue
        origin = lexicon.names[text[left:at]].canonical
        ends = [Found(left, at, origin, EntityType.REGION, decoded=True)]
        # …and on along the next span words (成都至自贡|至宜宾)
        while at >= 0 and (found := _span_end(text, at + len(span), ends[-1].name, lexicon)):
            ends.append(found)
            at = found.end if text.startswith(span, found.end) else -1
        if len(ends) > 1:
            return ends
    return []


def _span_end(text: str, after: int, origin: str, lexicon: Lexicon) -> Found | None:
    """Return the place a span word at ``after`` leads to from ``origin``, the longest
    written there, or None."""
    for end in range(len(text), after + 1, -1):
        place = text[after:end]
        if lexicon.is_place(place):
            destination: str | None = lexicon.names[place].canonical
        elif place in lexicon.shared_places:
            # a place several share is the one by the other end (宁波至象山: 象山县)
            destination = _decided(lexicon.shared_places[place], {origin}, lexicon)
        else:
            continue
        if destination is None:
            return None
        return Found(after, end, destination, EntityType.REGION, decoded=True)
    return None


def _places(start: int, places: list[str]) -> list[Found]:
    return [
        Found(start + i, start + i + 1, place, EntityType.REGION, decoded=True)
        for i, place in enumerate(places)
    ]


def _countries(view: _View, group: list[tuple[int, int]], lexicon: Lexicon) -> list[Found]:
    """Decode a two- or three-country contraction standing alone (宁波和日韩 -> 日本, 韩国)
    or as the partner of a cooperation (深化与日韩经贸合作)."""
    out = []
    join = lexicon.modifiers.get("join", frozenset())
    for start, end in group:
        for match in lexicon.country_run.finditer(view.text, start, end):
            # …at the chunk's end, or before a cooperation (日韩|经贸合作)
            after = view.text[match.end() : end]
            if after and not _cooperation_follows(after, lexicon):
                continue
            for at in (match.start(), match.end() - 2) if len(match[0]) == 3 else (match.start(),):
                text = view.text[at : match.end()]
                before = view.text[at - 1] if at > start else ""
                if text in lexicon.names or (before and before not in join):
                    continue
                if decoded := _contraction(text, at, lexicon):
                    out += decoded
                    break
    return out


def _home_contractions(view: _View, found: list[Found], lexicon: Lexicon) -> list[Found]:
    """Decode the contractions of China's abbreviation and other countries' before a
    cooperation cue (中新合作 -> 中国, 新加坡, where 中 and 新 also abbreviate 中山 and
    新疆), unless they are inside a name other than a programme's (中德合作产业园)."""
    out: list[Found] = []
    china = lexicon.home_abbreviation
    at = view.text.find(china) if china else -1
    while at >= 0:
        for size in (3, 2):
            if not view.text.startswith(lexicon.cooperation_cues, at + size):
                continue  # most 中 are no contraction's (中国, 中心): asked first
            decoded = _contraction(view.text[at : at + size], at, lexicon)
            hosts = [f for f in found if f.start <= at and at + size <= f.end]
            if decoded and all(f.type is EntityType.PROGRAMME for f in hosts):
                out += decoded
                break
        at = view.text.find(china, at + 1)
    return out


def _lone_partners(view: _View, found: list[Found], lexicon: Lexicon) -> list[Found]:
    """Decode one abbreviation between a word of acting together and a cooperation cue
    (深化对俄经贸合作 -> 俄罗斯, 加强对台交流 -> 台湾): a province's, else a country's."""
    out = []
    for match in _lone_partner_pattern(lexicon).finditer(view.text):
        at = match.start(1)
        if view.text[at + 1 : at + 2] in lexicon.abbreviations or any(
            f.start <= at < f.end for f in found
        ):
            continue  # a run of them (与日韩合作), or a name's first character (与俄罗斯)
        if not _cooperation_follows(view.text[at + 1 : at + 1 + COOPERATION_REACH], lexicon):
            continue
        char = match[1]
        name = next(
            (n for n in lexicon.abbreviations.get(char, ()) if n.level == "province"),
            lexicon.country_abbreviations.get(char),
        )
        if name is not None and char != lexicon.home_abbreviation:
            out.append(Found(at, at + 1, name.canonical, EntityType.REGION, decoded=True))
    return out


@cache
def _lone_partner_pattern(lexicon: Lexicon) -> re.Pattern[str]:
    """Return the pattern of a one-character word of acting together (与, 对) before an
    abbreviation."""
    together = lexicon.modifiers.get("join", frozenset()) | lexicon.modifiers.get(
        "together", frozenset()
    )
    before = "".join(sorted(w for w in together if len(w) == 1))
    chars = "".join(sorted({*lexicon.abbreviations, *lexicon.country_abbreviations}))
    return re.compile(f"[{re.escape(before)}]([{re.escape(chars)}])")


def _contraction(text: str, at: int, lexicon: Lexicon) -> list[Found]:
    """Return the countries a contraction at ``at`` stands for, or nothing."""
    countries = [lexicon.country_abbreviations.get(c) for c in text]
    if text in lexicon.names or not all(countries):
        return []
    return [
        Found(at + i, at + i + 1, c.canonical, c.type, decoded=True)
        for i, c in enumerate(countries)
        if c is not None
    ]


def _shared_heads(view: _View, found: list[Found], lexicon: Lexicon) -> list[Found]:
    """Give a bare name joined to a headed one the same head (甲和乙工程 -> 甲工程)."""
    out = []
    join = lexicon.modifiers.get("join", frozenset())
    listed = tuple(lexicon.modifiers.get("list", ()))
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
        if f.name in lexicon.names and len(f.name) - len(typed[1]) > 3:
            continue  # a known name of its own (多式联运与|西部陆海新通道): no shared head
        stop = f.start - 1
        begin = max(
            (g.end for g in found if g.end <= stop),
            default=max(view.text.rfind(c, 0, stop) for c in "，。；、") + 1,
        )
        s, e, _ = core_span(view.text[begin:stop], lexicon)
        bare = view.text[begin + s : begin + e]
        if (
            bare.startswith(listed)
            or lexicon.suffix_type(bare, strict=False) is not None
            or bare in lexicon.shared_places
        ):
            # 甲、乙等高校与丙新区: what ends a list is no name; 沿海产业带和沿江产业带,
            # 中欧合作平台和…片区: a name with a head of its own is no bare name (generic,
            # if not found); 鼓楼区与江北新区: a place several share, which the document
            # decides
            continue
        if name_like(bare, 3, 10) and not any(begin <= g.start < stop for g in found):
            out.append(Found(begin + s, begin + e, bare + typed[1], f.type))
    return out


def sentence_mentions(
    sentence: Sentence, lexicon: Lexicon, text: str | None = None
) -> list[Mention]:
    """Return the mentions of one sentence, in text order.

    Args:
        sentence: a segmented sentence (its ``text`` and ``offsets``).
        lexicon: the loaded lexicon.
        text: the sentence's text as ``kg.chars.plain`` gives it, if already made.

    Returns:
        Mentions with document offsets; decoded abbreviations overlap their host name.
    """
    # match on simplified, half-width characters: one for one, so offsets still hold
    view = _view(plain(sentence.text) if text is None else text, lexicon)
    found: list[Found] = []
    for group in _chunks(view, lexicon):
        found += _list_names(view, group, lexicon)
        found += _countries(view, group, lexicon)
    found = _quoted_before_kinds(view, found, lexicon)
    found += _titles(view, found, lexicon)
    found += _quoted_names(view, found, lexicon)
    found += _quoted_lists(view, found, lexicon)
    found += _shared_heads(view, found, lexicon)
    found = [f for f in found if f.decoded or f.named or not is_generic(f, lexicon)]
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
    texts = [plain(sentence.text) for sentence in doc.sentences]
    mentions = [
        m
        for sentence, text in zip(doc.sentences, texts, strict=True)
        for m in sentence_mentions(sentence, lexicon, text)
    ]
    shared = _shared_places(doc, texts, mentions, lexicon) if lexicon.shared_places else []
    if shared:
        mentions = sorted([*mentions, *shared], key=lambda m: (m.start, -m.end))
    return mentions


def _shared_places(
    doc: Document, texts: list[str], mentions: list[Mention], lexicon: Lexicon
) -> list[Mention]:
    """Return the mentions of place names several places share (象山, 江北区) where the
    places the document names decide which: the one lying in a named place or beside
    one (宁波象山, 象山、宁海: 象山县 of 宁波, not 象山区 of 桂林)."""
    named = {
        known.canonical
        for m in mentions
        if m.type is EntityType.REGION and (known := lexicon.names.get(m.name)) is not None
    }
    taken = [(m.start, m.end) for m in mentions if not m.decoded]
    out = []
    for sentence, view in zip(doc.sentences, texts, strict=True):
        for match in _shared_pattern(lexicon).finditer(view):
            i, j = match.span()
            start, end = sentence.span(i, j)
            if any(s <= start and end <= e for s, e in taken):
                continue
            place = _decided(lexicon.shared_places[match.group()], named, lexicon)
            # the name must be words of its own (象山|港 is a bay, 老城区 no district)
            bounds = {at for at, _, _ in words(view, lexicon)} | {len(view)} if place else ()
            if place is not None and i in bounds and j in bounds:
                surface = sentence.text[i:j]
                out.append(Mention(place, EntityType.REGION, surface, start, end, sentence.index))
    return out


@cache
def _shared_pattern(lexicon: Lexicon) -> re.Pattern[str]:
    # 城区 and 新城区 name districts of several cities, and any city's urban area too
    names = (form for form in lexicon.shared_places if form not in lexicon.generic_phrases)
    forms = sorted(names, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, forms)))


def _decided(places: tuple[Name, ...], named: set[str], lexicon: Lexicon) -> str | None:
    """Return the one of ``places`` that lies in or beside a named place, if one alone does."""
    found = set()
    for area in named:
        beside = lexicon.parents.get(area)
        fits = [
            p.canonical
            for p in places
            if lexicon.within(p.canonical, area)
            or (beside is not None and lexicon.parents.get(p.canonical) == beside)
        ]
        if len(fits) == 1:
            found.add(fits[0])
    return found.pop() if len(found) == 1 else None
