"""Split a document into sections, paragraphs and sentences, dropping page furniture.

Lines are classified by shape (no word lists): page marks (【紧接第1版】, ``2. >``),
furniture (captions, bylines, copyright-page and table-of-contents lines, contact
lines, layout duplicates, a trailing advertisement), headings (Markdown ``#``,
numbered 一、/（一）/1./第一章, bold-only, short standalone titles) and text. Text
lines broken by the page layout are joined into paragraphs, paragraphs are split
into sentences, and headings nest into a section tree. A sentence's ``text`` drops
markup, layout line breaks and spaces between Chinese characters, and its
``offsets`` map each character back into ``Document.text``.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path

from kg.chars import HAN, HANZI
from kg.model import Document, Section, Sentence
from kg.sentences import sentence_ends

__all__ = ["segment", "segment_text"]

# Structural markers of Chinese layout (numerals, 第…章, 一是, 第N版): shapes, not
# vocabulary, so they live here rather than in a lexicon.
_N = "一二三四五六七八九十"
_WIDE = f"\u2e80-\u2fff\u3001-\u303f\u3040-\u33ff{HAN}\ufe30-\ufe4f\uff00-\uffef“”‘’"
_PAGE_MARK = re.compile(
    rf"【[^【】\n]{{0,10}}?第\s*[0-9０-９{_N}]{{1,3}}\s*版[^【】\n]{{0,6}}】"
    rf"|[（(][^（）()\n]{{0,6}}?第\s*[0-9０-９{_N}]{{1,3}}\s*版[^（）()\n]{{0,4}}[）)]"
)
_NAV = re.compile(
    r"<\s*\d{1,3}\s*>?|\d{1,3}\s*\.?\s*>|[<>«»‹›]+|[-—–]*\s*\d{1,4}\s*[-—–]*"
    r"|第\s*\d{1,4}\s*[页版]"
)
_MD_HEADING = re.compile(r"(#{1,6})(?:[ \t]+|$)")
_NUMBERED = re.compile(
    rf"(?P<chapter>第[{_N}百零〇\d]{{1,4}}[章节篇部编])|(?P<cn>[{_N}]{{1,3}}[、．.])"
    rf"|(?P<paren>[（(][{_N}]{{1,3}}[）)])|(?P<arabic>\d{{1,2}}[、．.](?!\d))"
    r"|(?P<aparen>[（(]\d{1,2}[）)])"
)
_ITEM = re.compile(rf"——|[-*•●○■□◆◇▪➢►]\s|[{_N}]{{1,3}}是|[①-⑳]")
_LEAD = re.compile(
    rf"(?:——+|[-*•●○■□◆◇▪➢►]\s+|[{_N}]{{1,3}}是(?!否)|[（(][{_N}]{{1,3}}[）)]"
    rf"|[{_N}]{{1,3}}[、．]|\d{{1,2}}[、．.](?!\d)|[（(]\d{{1,2}}[）)]|[①-⑳])\s*"
)
_TOC = re.compile(r"(?:\s/\s*|\t\s*/?\s*|[.…·．]{3,}\s*)\d{1,4}$")
_BIBLIO = re.compile(r"ISBN|\bCIP\b|\b[IVX]{1,4}\.\s*[①-⑳]|\s/\s.*\.\s*—")
_PHONE = re.compile(r"(?:[(（]0\d{2,3}[)）]|(?<!\d)0\d{2,3}-)\s*\d{7,8}|(?<!\d)1[3-9]\d{9}(?!\d)")
_KEY_VALUE = re.compile(r"([^：:，。]{1,14})[：:]\s*(\S.*)")
_CONTACT = re.compile(r"\d{3}|https?://|www\.|@")
_WRAPPED = re.compile(r"[（(][^（）()]*[）)]")
_QUOTED = re.compile(r"[“「『《\"][^“”\"]*[”」』》\"]")
_FINISHED = re.compile(r"[。！？!?；;…：:—.][”’」』）)】》\"'\]]*$")
_CLAUSE = re.compile(r"[，,；;。！？!?]")
_INNER = re.compile(r"[，、；。：！？,;]")
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_BOLD = re.compile(r"\*\*")
_DROP_BODY = re.compile(rf"\*\*|(?<=[{_WIDE}])[ \t\u3000]+(?=[{_WIDE}])")
_WORD = re.compile(r"[^\W_]")
#: Text without sentence ends (a page saved as one line, a table flattened) is cut into
#: sentences of at most ``sentences.LONGEST_SENTENCE`` characters and into paragraphs of
#: at most this many: relation rules pair the names of a sentence or paragraph, so
#: their cost must not grow with the document.
_LONGEST_PARAGRAPH = 3_000

_BLANK, _MARK, _FURN, _HEAD, _ITEM_LINE, _TEXT = range(6)


@dataclass(slots=True)
class _Line:
    """One line of the document: content span, removed page marks, its kind."""

    start: int
    cs: int
    ce: int
    shape: str = ""
    cuts: list[tuple[int, int]] = field(default_factory=list)
    kind: int = _TEXT
    style: str = ""
    inline: bool = False
    indent: bool = False
    lead_mark: bool = False
    bold: bool = False

    @property
    def finished(self) -> bool:
        return bool(_FINISHED.search(self.shape[-8:]))


def segment(doc: Document) -> Document:
    """Return the document with its sections and sentences.

    Args:
        doc: a document from ``ingest``.

    Returns:
        A copy with ``sections`` (the heading tree) and ``sentences``; every
        sentence's ``offsets`` index ``doc.text``.

    >>> d = segment_text("# 总体要求\\n\\n坚持高质量发展。推动区域协同；加快发展。")
    >>> [s.text for s in d.sentences], d.sections[0].title
    (['总体要求', '坚持高质量发展。', '推动区域协同；', '加快发展。'], '总体要求')
    """
    lines = _lines(doc.text)
    _classify(lines)
    sections, sentences = _structure(doc.text, _paragraphs(lines))
    if not sentences and _WORD.search(doc.text):
        # Everything looked like furniture: a bare phrase is still text.
        for line in lines:
            line.kind = _TEXT if line.kind != _BLANK else _BLANK
        sections, sentences = _structure(doc.text, _paragraphs(lines))
    return replace(doc, sections=tuple(sections), sentences=tuple(sentences))


def segment_text(text: str, doc_id: str = "text") -> Document:
    """Segment a bare string; the returned document's ``text`` is ``text`` unchanged.

    >>> [s.text for s in segment_text("一是留住人才。二是促进成果转化。").sentences]
    ['留住人才。', '促进成果转化。']
    """
    return segment(Document(id=doc_id, path=Path(doc_id), title="", text=text, sha256=""))


def _lines(text: str) -> list[_Line]:
    """Cut the text into lines with their content spans, page marks and Markdown prefix."""
    lines: list[_Line] = []
    pos = 0
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        body = raw.lstrip()
        if not body:
            lines.append(_Line(start, start, start, kind=_BLANK))
            continue
        line = _Line(start, end - len(body), end - (len(raw) - len(raw.rstrip())))
        line.indent = len(raw) - len(body) >= 2 or raw[0] == "\u3000"
        heading = _MD_HEADING.match(text, line.cs, line.ce)
        if heading:
            line.style, line.cs = f"md{len(heading.group(1))}", heading.end()
        line.cuts = [m.span() for m in _PAGE_MARK.finditer(text, line.cs, line.ce)]
        line.lead_mark = bool(line.cuts) and text[line.cs : line.cuts[0][0]].strip("* ") == ""
        content = _cut(text, line).strip()
        line.bold = content.startswith("**") and content.endswith("**") and content.count("**") == 2
        line.shape = _BOLD.sub("", content).strip()
        lines.append(line)
    return lines


def _cut(text: str, line: _Line) -> str:
    parts, at = [], line.cs
    for a, b in line.cuts:
        parts.append(text[at:a])
        at = b
    parts.append(text[at : line.ce])
    return "".join(parts)


def _classify(lines: list[_Line]) -> None:
    """Set each line's kind, looking at its shape and its neighbours."""
    toc = [len(ln.shape) <= 120 and bool(_TOC.search(ln.shape)) for ln in lines]
    seen: set[str] = set()
    prev: _Line | None = None
    for i, line in enumerate(lines):
        if line.kind == _BLANK:
            prev = None
            continue
        line.kind = _kind(line, prev, toc[i], _next_is_toc(lines, toc, i))
        repeatable = line.kind in (_TEXT, _ITEM_LINE) or line.style == "plain"
        if repeatable and len(line.shape) >= 12:
            if line.shape in seen:
                line.kind = _FURN  # a paragraph repeated by the page layout
            seen.add(line.shape)
        if line.kind != _MARK:
            prev = line


def _next_is_toc(lines: list[_Line], toc: list[bool], i: int) -> bool:
    for j in range(i + 1, min(i + 4, len(lines))):
        if lines[j].kind != _BLANK:
            return toc[j]
    return False


def _kind(line: _Line, prev: _Line | None, is_toc: bool, before_toc: bool) -> int:
    s = line.shape
    if not s or _NAV.fullmatch(s):
        return _MARK
    if line.style:
        return _HEAD
    short = len(s) <= 200
    if is_toc or (short and _BIBLIO.search(s)):
        return _FURN
    if len(s) <= 60 and not line.finished and _PHONE.search(s):
        return _FURN
    numbered = _NUMBERED.match(s)
    if numbered:
        return _numbered(line, numbered)
    if line.bold and len(s) <= 40 and not line.finished:
        line.style = "bold"
        return _HEAD
    if _ITEM.match(s):
        return _ITEM_LINE
    continues = prev is not None and prev.kind in (_TEXT, _ITEM_LINE) and not prev.finished
    after_furniture = prev is not None and prev.kind == _FURN and not line.finished and len(s) <= 40
    if not HANZI.search(s) and len(s) <= 80 and not line.finished:
        return _FURN
    if after_furniture:
        return _FURN  # the rest of a furniture line (a wrapped copyright entry)
    if len(s) <= 40 and not line.finished and not _CLAUSE.search(s) and not continues:
        kind = _label(s, before_toc)
        line.style = "plain" if kind == _HEAD else ""
        return kind
    return _TEXT


def _numbered(line: _Line, match: re.Match[str]) -> int:
    """Tell a numbered heading (一、总体要求 / （一）加强组织领导。…) from a list item."""
    style = match.lastgroup or "cn"
    whole, first = (30, 20) if style.startswith("a") else (40, 32)
    s = line.shape
    if len(s) <= whole and not line.finished:
        line.style = style
        return _HEAD
    end = _SENTENCE_END.search(s, match.end())
    if end and end.start() - match.end() <= first and s[end.end() :].strip():
        line.style, line.inline = style, True
        return _HEAD
    return _ITEM_LINE


def _label(s: str, before_toc: bool) -> int:
    """Classify a short unpunctuated line: a heading, a caption or other furniture."""
    key_value = _KEY_VALUE.fullmatch(s)
    if key_value:
        key, value = key_value.groups()
        if len(key.replace(" ", "")) <= 6 and (" " in key.strip() or _CONTACT.search(value)):
            return _FURN
    if _WRAPPED.fullmatch(s) or before_toc:
        return _FURN
    parts = s.split()
    if len(parts) >= 3 and all(len(p) <= 3 for p in parts):
        return _FURN  # a list of names, or letter-spaced words
    if _QUOTED.fullmatch(s):
        return _HEAD
    counts = [len(HANZI.findall(p)) for p in parts]
    if len(parts) >= 2 and min(counts) >= 2 and max(counts) >= 4:
        return _HEAD  # a newspaper subhead: phrases set apart by spaces
    return _FURN if sum(counts) <= 12 else _HEAD


def _paragraphs(lines: list[_Line]) -> list[list[_Line]]:
    """Group text lines into paragraphs, joining lines the page layout broke."""
    paragraphs: list[list[_Line]] = []
    current: list[_Line] | None = None
    blanks, marked = 0, False
    for line in lines:
        if line.kind == _BLANK:
            blanks += 1
            continue
        if line.kind == _MARK:
            marked = True
            continue
        if line.kind == _FURN or line.kind == _HEAD:
            if line.kind == _HEAD:
                paragraphs.append([line])
            current, blanks, marked = None, 0, False
            continue
        if current is not None and _joins(current[-1], line, blanks, marked):
            current.append(line)
        else:
            current = [line]
            paragraphs.append(current)
        blanks, marked = 0, False
    while paragraphs and _trailing_furniture(paragraphs[-1]) and len(paragraphs) > 1:
        paragraphs.pop()  # an advertisement or notice appended after the text
    return paragraphs


def _joins(last: _Line, line: _Line, blanks: int, marked: bool) -> bool:
    """Say whether ``line`` continues the sentence that ``last`` broke off."""
    if line.kind != _TEXT or line.indent or line.lead_mark or last.finished:
        return False
    if not blanks and not marked:
        return True
    # Across a page break the line before must read as body text, not a title.
    body = len(last.shape) > 60 or bool(_INNER.search(last.shape))
    return body and (blanks <= 1 or marked)


def _trailing_furniture(paragraph: list[_Line]) -> bool:
    line = paragraph[0]
    if line.style and line.style != "plain":
        return False
    size = sum(len(ln.shape) for ln in paragraph)
    return size <= 30 and not paragraph[-1].finished and not _INNER.search(line.shape)


def _structure(text: str, paragraphs: list[list[_Line]]) -> tuple[list[Section], list[Sentence]]:
    """Build the section tree and the sentences of the paragraphs."""
    tree = _Tree(text)
    sentences: list[Sentence] = []
    for paragraph in paragraphs:
        spans = _sentence_spans(text, paragraph)
        if not spans:
            continue
        head = paragraph[0]
        if head.kind == _HEAD:
            words = "".join(t for t, _ in (spans[:1] if head.inline else spans))
            tree.open(head, words.rstrip("。！？!?；;：:"))
        number = sentences[-1].paragraph + 1 if sentences else 0
        where = tree.stack[-1] if tree.stack else -1
        size = 0
        for words, offsets in spans:
            if size and size + len(words) > _LONGEST_PARAGRAPH:
                number, size = number + 1, 0
            size += len(words)
            first, last = offsets[0], offsets[-1] + 1
            sentences.append(Sentence(len(sentences), first, last, words, offsets, number, where))
    tree.close(0, sentences[-1].end if sentences else 0)
    return tree.sections, sentences


@dataclass(slots=True)
class _Tree:
    """The sections found so far and the stack of those still open."""

    text: str
    sections: list[Section] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    stack: list[int] = field(default_factory=list)

    def open(self, head: _Line, title: str) -> None:
        """Close the sections the heading ends and open its own."""
        styles = [self.styles[i] for i in self.stack]
        if head.style.startswith("md"):
            level = int(head.style[2:])
            keep = sum(1 for i in self.stack if self.sections[i].level < level)
        elif head.style in styles:
            keep = len(styles) - 1 - styles[::-1].index(head.style)
            level = self.sections[self.stack[keep]].level
        else:
            keep = len(self.stack)
            level = self.sections[self.stack[-1]].level + 1 if self.stack else 1
        end = head.start
        while end > 0 and self.text[end - 1].isspace():
            end -= 1
        self.close(keep, end)
        parent = self.stack[-1] if self.stack else -1
        self.stack.append(len(self.sections))
        self.sections.append(Section(len(self.sections), level, title, head.start, end, parent))
        self.styles.append(head.style)

    def close(self, keep: int, end: int) -> None:
        """Close the open sections above the first ``keep`` at ``end``."""
        for i in self.stack[keep:]:
            self.sections[i] = replace(self.sections[i], end=max(end, self.sections[i].start))
        del self.stack[keep:]


def _pieces(text: str, paragraph: list[_Line]) -> list[tuple[int, int]]:
    """Return the spans of ``text`` that make up a paragraph's sentence text.

    Page marks, Markdown bold, line ends and (outside headings) spaces between
    Chinese characters are left out.
    """
    pieces: list[tuple[int, int]] = []
    for line in paragraph:
        removed = list(line.cuts)
        if line.kind == _HEAD:
            removed += [m.span() for m in _BOLD.finditer(text, line.cs, line.ce)]
        else:
            removed += [m.span() for m in _DROP_BODY.finditer(text, line.cs, line.ce)]
        at = line.cs
        for a, b in sorted(removed):
            if a > at:
                pieces.append((at, a))
            at = max(at, b)
        if line.ce > at:
            pieces.append((at, line.ce))
    return pieces


def _sentence_spans(text: str, paragraph: list[_Line]) -> list[tuple[str, Sequence[int]]]:
    """Split a paragraph into sentences: each its text and the offsets of its characters."""
    pieces = _pieces(text, paragraph)
    joined = "".join(text[a:b] for a, b in pieces)
    starts, at = [], 0
    for a, b in pieces:
        starts.append(at)
        at += b - a
    spans = []
    begin = 0
    for end in sentence_ends(joined):
        i, j = _trim(joined, begin, end)
        begin = end
        lead = _LEAD.match(joined, i, j)
        if lead:
            i = lead.end()
        if i < j and _WORD.search(joined, i, j):
            spans.append((joined[i:j], _offsets(pieces, starts, i, j)))
    return spans


def _trim(s: str, i: int, j: int) -> tuple[int, int]:
    while i < j and s[i].isspace():
        i += 1
    while j > i and s[j - 1].isspace():
        j -= 1
    return i, j


def _offsets(pieces: list[tuple[int, int]], starts: list[int], i: int, j: int) -> Sequence[int]:
    k = bisect_right(starts, i) - 1
    a, b = pieces[k]
    lo = a + i - starts[k]
    if lo + j - i <= b:  # the usual case: no line break or dropped space inside
        return range(lo, lo + j - i)
    ranges = []
    while i < j:
        a, b = pieces[k]
        lo = a + i - starts[k]
        hi = min(b, a + j - starts[k])
        ranges.append(range(lo, hi))
        i += hi - lo
        k += 1
    return array("l", chain.from_iterable(ranges))
