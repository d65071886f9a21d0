"""Read the visible text of an HTML page, headings as Markdown ``#`` lines.

Script, style, template and other invisible content is dropped; block elements
(paragraphs, list items, table cells, divisions) become paragraphs; ``<h1>``–``<h6>``
become ``#``–``######`` lines so that segmentation opens sections for them; ``<br>``
is a line end. Whitespace collapses as a browser collapses it, and a source line
break between two Chinese characters disappears, as it does on screen.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import InputError
from kg.readers import MB, missing_library, size_mb
from kg.readers.text import decode

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

__all__ = ["MAX_HTML_BYTES", "read_html"]

#: Pages above this size are refused: parsing takes about 40 times the page in memory
#: (10 MB of markup: 0.4 GB and 7 s).
MAX_HTML_BYTES = 32 * MB
_INVISIBLE = {"script", "style", "noscript", "template", "head", "svg", "math", "canvas"}
_INVISIBLE |= {"iframe", "object", "embed", "audio", "video", "select", "datalist"}
# fmt: off
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup",
    "hr", "html", "legend", "li", "main", "nav", "ol", "p", "section", "summary", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
# fmt: on
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_LEAVES = {*_HEADINGS, "pre", "br"}
#: Declared charsets honoured when the page is not UTF-8; others go through ``decode``.
_DECLARED = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb18030": "gb18030",
    "big5": "cp950",
    "cp950": "cp950",
    "big5-hkscs": "big5hkscs",
}
#: Marks of a source line break, a line end and a paragraph break while the text is
#: assembled; the page's own control characters of these codes are removed first.
_SOURCE, _LINE, _PARAGRAPH = "\x00", "\x01", "\x02"
_MARKS = dict.fromkeys(map(ord, (_SOURCE, _LINE, _PARAGRAPH)))
_SOURCE_BREAK = re.compile(r"[ \t\r\f]*\n[ \t\n\r\f]*")
_SPACES = re.compile(r"[ \t\r\f]+")
#: A source line break between wide characters vanishes; others are a space.
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef“”‘’"
_CJK_BREAK = re.compile(f"(?<=[{_WIDE}])\x00+(?=[{_WIDE}])")
_LINE_EDGES = re.compile(r"[ \t]*\n[ \t]*")
_BLANKS = re.compile(r"\n{3,}")


def read_html(path: Path, data: bytes) -> str:
    """Return the visible text of an HTML page.

    Args:
        path: the file, named in errors.
        data: its bytes.

    Returns:
        The text, with headings as ``#`` lines and paragraphs separated by blank lines.

    Raises:
        InputError: beautifulsoup4 is missing, or the page is too large or undecodable.
    """
    try:
        from bs4 import BeautifulSoup
    except ImportError:
        raise missing_library(path, "beautifulsoup4") from None
    if len(data) > MAX_HTML_BYTES:
        limit = size_mb(MAX_HTML_BYTES)
        raise InputError(path, f"HTML page too large ({size_mb(len(data))} MB; limit {limit} MB)")
    markup = _decode_html(path, data).translate(_MARKS)
    return _visible_text(BeautifulSoup(markup, "html.parser"))


def _decode_html(path: Path, data: bytes) -> str:
    """Decode a page: UTF-8 if it is, else its declared Chinese charset, else ``decode``."""
    from bs4.dammit import EncodingDetector

    declared = EncodingDetector.find_declared_encoding(data, is_html=True)
    encoding = _DECLARED.get((declared or "").lower())
    if encoding:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                pass
    return decode(data, path)


def _visible_text(soup: BeautifulSoup) -> str:
    """Walk the page's tree once, joining visible text and break marks like a browser."""
    parts = _parts(soup)
    text = _CJK_BREAK.sub("", "".join(parts)).replace(_SOURCE, " ")
    text = text.replace(_LINE, "\n").replace(_PARAGRAPH, "\n\n")
    text = _LINE_EDGES.sub("\n", _SPACES.sub(" ", text))
    return _BLANKS.sub("\n\n", text).strip("\n ")


def _parts(soup: BeautifulSoup) -> list[str]:
    """Return the text pieces and break marks of the visible elements, in order.

    The walk keeps its own stack (pages nest deeper than Python's recursion limit)
    and never edits the tree (editing a wide tree is quadratic in bs4).
    """
    from bs4 import NavigableString, Tag

    parts: list[str] = []
    stack: list[object] = [soup]
    while stack:
        node = stack.pop()
        if isinstance(node, str) and not isinstance(node, NavigableString):
            parts.append(node)  # a break mark pushed below
        elif type(node) is NavigableString:  # not comments, doctypes or declarations
            parts.append(_SPACES.sub(" ", _SOURCE_BREAK.sub(_SOURCE, node)))
        elif isinstance(node, Tag) and not _invisible(node):
            if node.name in _LEAVES:
                parts.extend(_leaf(node))
                continue
            if node.name in _BLOCKS:
                parts.append(_PARAGRAPH)
                stack.append(_PARAGRAPH)  # closes the block after its children
            stack.extend(reversed(node.contents))
    return parts


def _invisible(tag: Tag) -> bool:
    return tag.name in _INVISIBLE or tag.has_attr("hidden")


def _leaf(tag: Tag) -> list[str]:
    """Return the marks and text of a heading, ``<pre>`` or ``<br>``."""
    if tag.name == "br":
        return [_LINE]
    if tag.name == "pre":
        return [_PARAGRAPH, tag.get_text().replace("\n", _LINE), _PARAGRAPH]
    words = " ".join(tag.get_text().split())
    return [f"{_PARAGRAPH}{'#' * _HEADINGS[tag.name]} {words}{_PARAGRAPH}"]
