"""Score the extractor against gold-annotated paragraphs, as the guidelines define.

Each gold line is one paragraph with its entities (label, type, aliases) and
relations (head, rel, tail). The paragraph runs through segment, entities,
relations and resolve exactly as in a build; scoring is micro-averaged.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.entities import extract_mentions
from kg.errors import InputError
from kg.lexicon import Lexicon
from kg.model import Document, Entity, Mention, Relation, RelationType
from kg.relations import extract_relations
from kg.resolve import resolve
from kg.segment import segment_text

__all__ = ["Extraction", "Scores", "evaluate", "extract_text", "normalise", "read_gold"]

_MARKS = re.compile(r"[\s“”‘’\"'《》〈〉「」]")
_DASHES = re.compile(r"[—–－‐-]")


def normalise(label: str) -> str:
    """Return a label as the guidelines compare it.

    >>> normalise("“Eight-Eight” 《Plan》")
    'Eight—EightPlan'
    """
    return _DASHES.sub("—", _MARKS.sub("", unicodedata.normalize("NFKC", label)))


@dataclass(frozen=True)
class Extraction:
    """What the extractor found in one paragraph."""

    document: Document
    entities: dict[Mention, Entity]
    relations: list[Relation]


def extract_text(text: str, doc_id: str, lexicon: Lexicon) -> Extraction:
    """Run segment, entities, relations and resolve on a bare text, as a build does."""
    doc = segment_text(text, doc_id)
    mentions = extract_mentions(doc, lexicon)
    return Extraction(
        doc, resolve(doc, mentions, lexicon), extract_relations(doc, mentions, lexicon)
    )


@dataclass
class Scores:
    """Counts of true positives, false positives and misses, per category."""

    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def prf(self, category: str) -> tuple[float, float, float]:
        """Return precision, recall and F1 of a category ('entity', 'relation', or a type)."""
        tp, fp, fn = self.tp[category], self.fp[category], self.fn[category]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def table(self) -> list[tuple[str, float, float, float, int, int, int]]:
        """Return one row per category: name, P, R, F1, tp, fp, fn."""
        return [(c, *self.prf(c), self.tp[c], self.fp[c], self.fn[c]) for c in self.categories()]

    def categories(self) -> list[str]:
        """Return every category scored, overall ones first."""
        seen = set(self.tp) | set(self.fp) | set(self.fn)
        overall = [c for c in ("entity", "relation") if c in seen]
        return overall + sorted(seen - set(overall))


def read_gold(path: Path) -> list[dict]:
    """Read a gold JSON Lines file.

    Raises:
        InputError: the file is missing or a line is not a gold paragraph.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror})") from exc
    gold = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            item["text"], item["entities"], item["relations"]
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(path, f"line {n}: not a gold paragraph ({exc})") from exc
        gold.append(item)
    return gold


def _written_label(entity: Entity, mentions: Iterable[Mention]) -> str:
    """Return the fullest name the paragraph writes for an entity (the guidelines' label):
    a mention's name, or what it wrote where its name is not written there (通州区, whose
    name is 北京市通州区 when the document places it)."""
    written = [
        m.name if normalise(m.name) in normalise(m.surface) else m.surface
        for m in mentions
        if not m.decoded
    ]
    return max(written, key=lambda n: (len(n), n)) if written else entity.label


def _score_paragraph(item: dict, found: Extraction, scores: Scores) -> None:
    gold = item["entities"]
    forms = [{normalise(f) for f in [g["label"], *g.get("aliases", [])]} for g in gold]
    by_entity: dict[Entity, list[Mention]] = {}
    for mention, entity in found.entities.items():
        by_entity.setdefault(entity, []).append(mention)
    matched: dict[Entity, int] = {}
    for entity, mentions in by_entity.items():
        label = normalise(_written_label(entity, mentions))
        hit = next(
            (
                i
                for i, g in enumerate(gold)
                if g["type"] == entity.type.value
                and label in forms[i]
                and i not in matched.values()
            ),
            None,
        )
        outcome = scores.tp if hit is not None else scores.fp
        outcome["entity"] += 1
        outcome[entity.type.value] += 1
        if hit is None:
            scores.errors.append(f"{item['id']}\tFP entity\t{entity.type.value}\t{label}")
        else:
            matched[entity] = hit
    for i, g in enumerate(gold):
        if i not in matched.values():
            scores.fn["entity"] += 1
            scores.fn[g["type"]] += 1
            scores.errors.append(f"{item['id']}\tmissed entity\t{g['type']}\t{g['label']}")
    _score_relations(item, found, matched, scores)


def _key(head: int, rel: str, tail: int) -> tuple[int, str, int]:
    if rel == RelationType.COOPERATES_WITH.value and tail < head:
        head, tail = tail, head
    return head, rel, tail


def _score_relations(
    item: dict, found: Extraction, matched: dict[Entity, int], scores: Scores
) -> None:
    index = {}
    for i, g in enumerate(item["entities"]):
        index[normalise(g["label"])] = i
    gold = {
        _key(index[normalise(r["head"])], r["rel"], index[normalise(r["tail"])])
        for r in item["relations"]
        if normalise(r["head"]) in index and normalise(r["tail"]) in index
    }
    predicted: dict[tuple, str] = {}
    for rel in found.relations:
        head, tail = found.entities[rel.head], found.entities[rel.tail]
        key = _key(
            matched.get(head, -1 - id(head) % 10**6),
            rel.type.value,
            matched.get(tail, -1 - id(tail) % 10**6),
        )
        predicted.setdefault(key, f"{head.label} {rel.type.value} {tail.label}")
    for key, text in predicted.items():
        outcome = scores.tp if key in gold else scores.fp
        outcome["relation"] += 1
        outcome[key[1]] += 1
        if key not in gold:
            scores.errors.append(f"{item['id']}\tFP relation\t{key[1]}\t{text}")
    names = [g["label"] for g in item["entities"]]
    for key in gold - set(predicted):
        scores.fn["relation"] += 1
        scores.fn[key[1]] += 1
        scores.errors.append(
            f"{item['id']}\tmissed relation\t{key[1]}\t{names[key[0]]} {key[1]} {names[key[2]]}"
        )


def evaluate(gold: list[dict], extract: Callable[[str, str], Extraction]) -> Scores:
    """Score an extractor on gold paragraphs.

    Args:
        gold: paragraphs from ``read_gold``.
        extract: runs the extractor on a paragraph's text and id, e.g.
            ``lambda text, id: extract_text(text, id, lexicon)``.

    Returns:
        Counts per entity type, per relation and overall, with an error list.
    """
    scores = Scores()
    for item in gold:
        _score_paragraph(item, extract(item["text"], item["id"]), scores)
    return scores
