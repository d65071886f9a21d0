"""Find where the sentences of a paragraph's text end.

A sentence ends after 。！？；!?; but not inside quotes, 《》 or brackets, unless a
quotation closes the sentence (…前列。”), when it ends after the closing quote. Text
without such ends is cut at clause marks, so that no sentence grows past
``LONGEST_SENTENCE`` characters.
"""

from __future__ import annotations

import re
from bisect import bisect_right

__all__ = ["LONGEST_SENTENCE", "sentence_ends"]

#: Text without sentence ends (a page saved as one line, a table flattened) is cut into
#: sentences of at most this many characters, at the last clause mark when there is
#: one. Written sentences stay far below (the longest in the sample corpus has 241).
LONGEST_SENTENCE = 500
#: Longest quotation taken for a name (“最多跑一次！”) rather than a quoted sentence.
_QUOTED_NAME = 20
_OPEN, _CLOSE = "“‘「『《〈（(【[", "”’」』》〉）)】]"
_PAIR = dict(zip(_OPEN, _CLOSE, strict=True))
_TERMINAL = re.compile(r"[。！？!?；;]+")
_BRACKET = re.compile(r"[“‘「『《〈（(【\[”’」』》〉）)】\]]")
_SOFT_RUN = re.compile(r"[”’」』）)】\]]*")
_TRAILER = re.compile(r"[”’」』）)】\]。！？!?；;]*")
_CLAUSE_MARK = re.compile(r"[，,、：:；;]")


def sentence_ends(s: str) -> list[int]:
    """Return the end of each sentence of ``s``, in order; the last is ``len(s)``.

    >>> text = "他说：“要争先。”我们同意。没有句号"
    >>> [text[:end] for end in sentence_ends(text)][:2]
    ['他说：“要争先。”', '他说：“要争先。”我们同意。']
    """
    return _bounded(s, [*_boundaries(s), len(s)])


def _bounded(s: str, ends: list[int]) -> list[int]:
    """Add ends so that no sentence is longer than ``LONGEST_SENTENCE``."""
    bounded: list[int] = []
    begin = 0
    for end in ends:
        while end - begin > LONGEST_SENTENCE:
            limit = begin + LONGEST_SENTENCE
            marks = [m.end() for m in _CLAUSE_MARK.finditer(s, begin + 1, limit)]
            begin = marks[-1] if marks else limit
            bounded.append(begin)
        bounded.append(end)
        begin = end
    return bounded


def _boundaries(s: str) -> list[int]:
    """Return where sentences end: after 。！？；!?; outside quotes, 《》 and brackets.

    A quotation that ends a sentence (…前列。”) ends it after the closing quote.
    """
    terminals = list(_TERMINAL.finditer(s))
    if not terminals or not _BRACKET.search(s):
        return [m.end() for m in terminals]
    spans = _outer_pairs(s)
    opens = [o for o, _ in spans]
    ends: list[int] = []
    for m in terminals:
        at = m.end()
        k = bisect_right(opens, m.start()) - 1
        if k >= 0 and spans[k][1] > m.start() and spans[k][1] - spans[k][0] < LONGEST_SENTENCE:
            opened, close = spans[k]
            at_end = _SOFT_RUN.match(s, at).end() > close  # type: ignore[union-attr]
            if not at_end or ("。" not in m.group() and close - opened <= _QUOTED_NAME):
                continue  # inside quotes or brackets, or a short quoted name (“登峰！”计划)
            at = close + 1
        at = _TRAILER.match(s, at).end()  # type: ignore[union-attr]
        if not ends or at > ends[-1]:
            ends.append(at)
    return ends


def _outer_pairs(s: str) -> list[tuple[int, int]]:
    """Return the outermost matched bracket and quote pairs, in order.

    Unmatched brackets (a quotation closed in another paragraph) are ignored,
    so they cannot keep a whole paragraph from being split.
    """
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[int, str]] = []
    for m in _BRACKET.finditer(s):
        ch, pos = m.group(), m.start()
        if ch in _PAIR:
            stack.append((pos, _PAIR[ch]))
            continue
        for k in range(len(stack) - 1, max(len(stack) - 9, -1), -1):
            if stack[k][1] == ch:
                pairs.append((stack[k][0], pos))
                del stack[k:]
                break
    pairs.sort()
    outer: list[tuple[int, int]] = []
    for pair in pairs:
        if not outer or pair[0] > outer[-1][1]:
            outer.append(pair)
    return outer
