"""Decode a text file's bytes, refusing rather than guessing into mojibake.

The order is fixed: a byte-order mark (UTF-8, UTF-16, UTF-32), strict UTF-8, then the
Chinese national encodings, then a detector (charset-normalizer) as a last resort.
Two traps decide the details, both measured on this corpus' text:

- About one in five byte prefixes of a UTF-8 Chinese sentence also decode as GB18030
  without error, into mojibake; so do most Big5 files (every Big5 byte pair is a valid
  GBK pair). Strict decoding alone cannot tell, so each Chinese decoding is scored by
  the share of its non-ASCII characters that are common characters of that encoding
  (GB 2312 hanzi for GB18030, Big5 level-1 hanzi for Big5) or CJK punctuation: real
  text scores near 1, mojibake 0.25–0.5. The better decoding is kept if it scores
  at least ``_MIN_PLAUSIBLE``; a UTF-8 file cut inside its last character keeps its
  complete characters.
- charset-normalizer misreads short GBK text (甬江科创区 comes back as Korean cp949,
  宁波舟山港 as UTF-16): it runs only after the strict decodings failed, and its result
  is accepted only if it is mostly ASCII, CJK punctuation and common hanzi.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import cache
from pathlib import Path

from kg.errors import InputError

__all__ = ["UNDECODABLE", "decode"]

UNDECODABLE = "cannot decode: not UTF-8, UTF-16, GB18030 or Big5"
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Chinese encodings in the order tried; cp950 (Windows Big5) only if strict Big5 fails.
_CHINESE = ("gb18030", "big5", "cp950")
#: Encodings the detector may not pick: they were tried strictly (or are subsets), or,
#: like UTF-16 without a byte-order mark, turn any even run of bytes into hanzi.
_REFUSED = {"ascii", "utf_8", "gb18030", "gbk", "gb2312", "big5", "cp950", "big5hkscs"}
_REFUSED |= {"utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le"}
#: Below this share of common characters a Chinese decoding is taken for mojibake.
_MIN_PLAUSIBLE = 0.75
#: Below this share of ASCII, CJK punctuation and common hanzi a detector's guess is refused.
_MIN_DETECTED = 0.9
#: Below this share of printable characters a decoded file is taken for binary.
_MIN_PRINTABLE = 0.9
_SAMPLE = 65_536
_TEXTLIKE = {"Cf", "Zl", "Zp", "Zs"}
_LINE_SPACE = re.compile("[\n\r\t\x0b\x0c]")
#: Punctuation and symbols of Chinese text (code point ranges, inclusive).
_SYMBOLS = (
    (0x00B0, 0x00B7),  # ° ± · and neighbours
    (0x00D7, 0x00D7),
    (0x00F7, 0x00F7),
    (0x2010, 0x203B),  # dashes, quotes, ellipsis, ‰ ※
    (0x2100, 0x21FF),  # letterlike symbols, number forms (Ⅰ), arrows
    (0x2460, 0x24FF),  # ① ⑴ ⒈
    (0x2500, 0x25FF),  # box drawing, ■ □ ● ○ ◆
    (0x3000, 0x303F),  # 、。「」《》〔〕
    (0x3200, 0x32FF),  # ㈠
    (0xFE30, 0xFE4F),  # vertical forms
    (0xFF00, 0xFFEF),  # full-width forms
)


def decode(data: bytes, path: Path | str = "<bytes>") -> str:
    """Decode a text file's bytes: byte-order mark, UTF-8, GB18030 or Big5, a detector.

    Args:
        data: the file's bytes.
        path: the file, named in errors.

    Returns:
        The decoded text, without its byte-order mark.

    Raises:
        InputError: the file is empty, binary, or in none of those encodings.

    >>> decode("规划纲要".encode("gb18030")), decode("規劃綱要".encode("big5"))
    ('规划纲要', '規劃綱要')
    """
    if not data:
        raise InputError(path, "empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom) :], encoding, path)
            break
    else:
        if b"\x00" in data:
            raise InputError(path, "binary file")
        found = _utf8(data)
        found = _chinese(data) if found is None else found
        found = _detected(data) if found is None else found
        if found is None:
            raise InputError(path, UNDECODABLE)
        text = found
    if not _looks_printable(text):
        raise InputError(path, "binary file")
    return text


def _strict(data: bytes, encoding: str, path: Path | str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise InputError(path, UNDECODABLE) from None


def _utf8(data: bytes) -> str | None:
    """Decode strict UTF-8; a file cut inside its last character keeps the rest."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.end == len(data) and error.reason == "unexpected end of data":
            return data[: error.start].decode("utf-8")
        return None


def _chinese(data: bytes) -> str | None:
    """Decode as GB18030 or Big5, whichever reads as real text; None if neither does."""
    best, best_score, big5 = None, -1.0, False
    for encoding in _CHINESE:
        if encoding == "cp950" and big5:
            break
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        big5 = encoding == "big5"
        common = _gb2312() if encoding == "gb18030" else _big5_common()
        score = _share(text, common, ascii_counts=False)
        if score > best_score:  # a tie keeps GB18030
            best, best_score = text, score
    return best if best_score >= _MIN_PLAUSIBLE else None


def _detected(data: bytes) -> str | None:
    """Decode with charset-normalizer's best guess, if it reads as Chinese or ASCII text."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a core dependency
        return None
    guess = from_bytes(data).best()
    if guess is None or guess.encoding in _REFUSED:
        return None
    text = str(guess)
    common = _gb2312() | _big5_common()
    return text if _share(text, common, ascii_counts=True) >= _MIN_DETECTED else None


def _share(text: str, common: frozenset[str], *, ascii_counts: bool) -> float:
    """Return the share of the sample's characters that are common text characters.

    With ``ascii_counts`` every character counts and ASCII is common; without it only
    non-ASCII characters count. Whitespace never counts.
    """
    total = good = 0
    for char in text[:_SAMPLE]:
        if char.isspace() or (char < "\x80" and not ascii_counts):
            continue
        total += 1
        if char < "\x80" or char in common or _is_symbol(ord(char)):
            good += 1
    return good / total if total else 1.0


def _is_symbol(code: int) -> bool:
    return any(low <= code <= high for low, high in _SYMBOLS)


@cache
def _gb2312() -> frozenset[str]:
    """Return the 6,763 hanzi of GB 2312 (rows 0xB0–0xF7)."""
    return _table("gb2312", range(0xB0, 0xF8), range(0xA1, 0xFF), 0xF7FE)


@cache
def _big5_common() -> frozenset[str]:
    """Return the 5,401 frequently used hanzi of Big5 (0xA440–0xC67E)."""
    trails = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
    return _table("big5", range(0xA4, 0xC7), trails, 0xC67E)


def _table(encoding: str, leads: range, trails: list[int] | range, last: int) -> frozenset[str]:
    chars = set()
    for lead in leads:
        for trail in trails:
            if (lead << 8 | trail) > last:
                break
            try:
                chars.add(bytes((lead, trail)).decode(encoding))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


def _looks_printable(text: str) -> bool:
    sample = text[:_SAMPLE]
    if not sample or _LINE_SPACE.sub("", sample).isprintable():  # most text: two C passes
        return True
    # Invisible characters that cleaning removes (zero-width, separators) are text.
    printable = sum(
        1
        for c in sample
        if c.isprintable() or c in "\n\r\t\x0b\x0c" or unicodedata.category(c) in _TEXTLIKE
    )
    return printable >= _MIN_PRINTABLE * len(sample)
