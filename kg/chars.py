"""One-to-one character maps for matching: traditional → simplified, full → half width.

Both maps change characters, never the length of a string, so a match found in the
mapped view of a sentence has the same offsets in the original text: the extractor
matches on the view and reports the original characters as evidence. (Full NFKC is
no such map: ``㈠`` becomes ``(一)`` and ``…`` becomes ``...``.)

The traditional table, ``ontology/traditional.tsv``, is generated from OpenCC's
character tables by ``scripts/make_traditional.py``; it leaves out characters that
are valid simplified characters too, so converting simplified text changes nothing.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from kg.config import ONTOLOGY_DIR
from kg.errors import OntologyError

__all__ = ["HAN", "HANZI", "fold_width", "looks_traditional", "plain", "to_simplified"]

#: Chinese characters (CJK unified ideographs, extension A, compatibility ideographs), as
#: the body of a regular expression's character class
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: one Chinese character
HANZI = re.compile(f"[{HAN}]")

_TABLE = "traditional.tsv"
_HEADER = "traditional\tsimplified"
#: Full-width digits, capital and small Latin letters.
_FULL_WIDTH_RANGES = ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
#: Those characters and their ASCII forms.
_WIDTH = {code: code - 0xFEE0 for low, high in _FULL_WIDTH_RANGES for code in range(low, high + 1)}
_FULL_WIDTH = re.compile(
    "[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in _FULL_WIDTH_RANGES) + "]"
)
#: Share of a text's hanzi that must be traditional-only characters.
_MIN_TRADITIONAL = 0.1
_SAMPLE = 65_536


def to_simplified(text: str) -> str:
    """Replace traditional characters by their simplified forms, one for one.

    The result has the length of ``text``, so its offsets are the original's.
    Characters that are also simplified characters (著, 乾) are kept.

    >>> to_simplified("甬江科創區與寧波")
    '甬江科创区与宁波'
    """
    return text.translate(_simplifying())


def fold_width(text: str) -> str:
    """Replace full-width digits and Latin letters by ASCII ones, one for one.

    >>> fold_width("５Ｇ产业与ＡＩ，２０３５年")
    '5G产业与AI，2035年'
    """
    # most text holds no full-width character: a search for one is ten times faster than
    # translating, which looks every character up
    return text.translate(_WIDTH) if _FULL_WIDTH.search(text) else text


def plain(text: str) -> str:
    """Return a text as the lexicons spell words: simplified and half-width, one character
    for one, so that a match has the offsets of the original.

    >>> plain("甬江科創區與ＡＩ")
    '甬江科创区与AI'
    """
    return fold_width(to_simplified(text))


def looks_traditional(text: str) -> bool:
    """Say whether a text is written in traditional characters.

    >>> looks_traditional("打造甬江科創區"), looks_traditional("打造甬江科创区")
    (True, False)
    """
    table = _simplifying()
    hanzi = HANZI.findall(text[:_SAMPLE])
    changed = sum(ord(char) in table for char in hanzi)
    return changed > 0 and changed >= _MIN_TRADITIONAL * len(hanzi)


@cache
def _simplifying(folder: Path = ONTOLOGY_DIR) -> dict[int, int]:
    """Load ``traditional.tsv`` into a ``str.translate`` table of code points."""
    path = folder / _TABLE
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise OntologyError(f"{path}: cannot read ({exc.strerror or exc})") from None
    rows = [line for line in lines if line and not line.startswith("#")]
    if not rows or rows[0] != _HEADER:
        raise OntologyError(f"{path}: the first row must be {_HEADER!r}")
    table: dict[int, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        source, _, target = row.partition("\t")
        if len(source) != 1 or len(target) != 1:
            raise OntologyError(f"{path}: row {number}: not one character for one: {row!r}")
        table[ord(source)] = ord(target)
    return table
