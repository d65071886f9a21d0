"""Words for the extractor: jieba's dictionary and algorithm, with the lexicons added.

Segmentation is jieba's (the dictionary, the most probable route through it, no
HMM for unknown words), run by ``rjieba``, the binding of jieba-rs: the same cuts
as the Python ``jieba`` package, word for word, at more than ten times the speed
and a twentieth of its start-up. Each word comes with its dictionary
part-of-speech tag (looked up, not inferred: tagging every sentence would cost
six times the segmentation); a word the dictionary does not hold has the tag
``''``. The segmenter is loaded on first use, not at import, so commands that
only read a built graph never pay for it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache
from itertools import chain
from typing import Any

from kg.lexicon import Lexicon
from kg.model import EntityType

__all__ = ["Word", "words"]

Word = tuple[int, str, str]
"""A word: its start in the text, the word, and its dictionary tag ('' if unknown)."""

_FREQ = 100_000


#: the lexicon whose words went into rjieba's default segmenter, once one has
_DEFAULT_TAKEN_BY: list[Lexicon] = []


@cache
def _segmenter(lexicon: Lexicon) -> Callable[[str], list[tuple[str, str]]]:
    """Return a function giving the words of a text and their tags."""
    tagger = _tagger(lexicon)  # jieba's own dictionary, as it ships, and then ours
    # Lexicon names and modifier words must come out whole: a name split across
    # words would lose its boundary, a modifier fused into a name would stay in it.
    # Two-character names stay as jieba's dictionary cuts them: forcing them would
    # glue 新化 (a county) out of 产业高|新化 or 大理 out of 五|大理|念.
    # Places written as their parent and their own shared name (北京市|朝阳区) stay two.
    names = lexicon.names.keys() - lexicon.written_apart
    added = {word for word in names if len(word) > 2}
    added |= {word for words in lexicon.modifiers.values() for word in words if len(word) > 1}
    # a general phrase that starts with a name (中国特色) holds no mention of it
    added |= {
        phrase
        for phrase in lexicon.generic_phrases
        if any(phrase[:n] in lexicon.names for n in range(2, len(phrase)))
    }
    # a descriptor jieba would cut a verb out of (毗邻|地区) would end the name it stands in
    added |= {
        word
        for word in lexicon.descriptors
        if any(tag == "v" for piece, tag in tagger.tag(word, False) if piece != word)
    }
    # whether jieba's own dictionary holds a word, asked before ours is added to it
    shipped = {word for word in added if tagger.has_word(word)}

    def known(word: str) -> bool:
        return word in shipped if word in added else tagger.has_word(word)

    own: dict[str, str] = {}
    for kind, modifiers in lexicon.modifiers.items():
        for word in modifiers:
            if len(word) > 1 and not known(word):
                own.setdefault(word, "v" if kind == "lead" else "n")
    own.update((word, "nz") for word in names if len(word) > 1)
    for word in sorted(added):
        tagger.add_word(word, _FREQ, None)
    # A head or a place fused with the word after it (工程建设, 台湾地区, 铁路沿线) would hide
    # where a name ends (滇中引水工程|建设): such dictionary words get frequency 0, so no
    # route takes them (frequency 1 is not enough: our words' high frequencies raise the
    # total, which costs a route of two words more than a route of one).
    around = lexicon.modifiers.get("around", frozenset())
    tails = lexicon.modifiers.get("tail", frozenset()) | around
    trailing = tails | lexicon.modifiers.get("front", frozenset())
    pairs = [(head, trailing) for head in lexicon.heads if len(head) > 1]
    places = [
        name
        for name, entry in lexicon.names.items()
        if entry.type is EntityType.REGION and name == entry.canonical
    ]
    pairs += [(name, tails) for name in places]
    particles = {
        word
        for kind in ("join", "lead")
        for word in lexicon.modifiers.get(kind, ())
        if len(word) == 1
    }
    candidates = chain(
        (name + word for name, words in pairs for word in words),
        # …and a place fused with the particle before it (和|川西, 从|金华: people's names
        # in jieba's dictionary)
        (word + place for word in particles for place in places),
        # …and a place fused with the place it lies in (上海浦东, 辽宁大连): both are named
        (parent + place for place, parent in lexicon.parents.items()),
    )
    fused = {word for word in candidates if word not in added and tagger.has_word(word)}
    for word in sorted(fused):
        tagger.add_word(word, 0, None)

    def cut(text: str) -> list[tuple[str, str]]:
        # the tagger tags a word it does not know 'x', 'eng' or 'm'; the lexicons' own
        # words take their own tags
        return [
            (word, own.get(word) or (tag if known(word) else ""))
            for word, tag in tagger.tag(text, False)
        ]

    return cut


def _tagger(lexicon: Lexicon) -> Any:
    """Return a segmenter holding jieba's dictionary as it ships, for one lexicon.

    Importing rjieba loads the dictionary into a default segmenter (behind its
    module's functions): the first lexicon takes that one instead of loading the
    dictionary a second time; another lexicon in the same process gets its own, so
    the words added for one never reach another.
    """
    import rjieba

    if _DEFAULT_TAKEN_BY:
        return rjieba.Jieba()
    _DEFAULT_TAKEN_BY.append(lexicon)
    return rjieba


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
    out = []
    at = 0
    for word, tag in _segmenter(lexicon)(text):
        out.append((at, word, tag))
        at += len(word)
    return tuple(out)
