"""Words for the extractor: jieba with the lexicons as its user dictionary.

Each word comes with jieba's dictionary part-of-speech tag (looked up, not
inferred: tagging every sentence with ``jieba.posseg`` would cost six times the
segmentation). jieba is loaded on first use, not at import, so commands that
only read a built graph never pay for it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache, lru_cache

from kg.lexicon import Lexicon

__all__ = ["Word", "words"]

Word = tuple[int, str, str]
"""A word: its start in the text, the word, and its dictionary tag ('' if unknown)."""


@cache
def _segmenter(lexicon: Lexicon) -> tuple[Callable[[str], list[str]], dict[str, str]]:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    tags = dict(jieba.posseg.POSTokenizer(tokenizer).word_tag_tab)
    # Lexicon names and modifier words must come out whole: a name split across
    # words would lose its boundary, a modifier fused into a name would stay in it.
    for word in lexicon.names:
        # two-character names stay as jieba's dictionary cuts them: forcing them would
        # glue 新化 (a county) out of 产业高|新化 or 大理 out of 五|大理|念
        if len(word) > 2:
            tokenizer.add_word(word, freq=100_000)
        if len(word) > 1:
            tags[word] = "nz"
    for kind, modifiers in lexicon.modifiers.items():
        for word in modifiers:
            if len(word) > 1:
                tokenizer.add_word(word, freq=100_000)
                tags.setdefault(word, "v" if kind == "lead" else "n")
    return (lambda text: tokenizer.lcut(text, HMM=False)), tags


@lru_cache(maxsize=8192)
def words(text: str, lexicon: Lexicon) -> tuple[Word, ...]:
    """Return the words of ``text`` with their offsets and dictionary tags.

    Args:
        text: a chunk of a sentence.
        lexicon: the loaded lexicon (its names and modifiers are whole words).

    Returns:
        ``(start, word, tag)`` for each word, in order (cached: the extractor asks
        for the same chunk's words several times).
    """
    cut, tags = _segmenter(lexicon)
    out = []
    at = 0
    for word in cut(text):
        out.append((at, word, tags.get(word, "")))
        at += len(word)
    return tuple(out)
