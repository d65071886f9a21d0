"""Generate benchmark corpora: documents recombined from the sample corpus, at a fixed seed.

Each document is a title line and paragraphs drawn from ``seeds/``: half of them whole
paragraphs of the sample documents, half new paragraphs of two to six sentences drawn
from anywhere in the sample corpus. Each document is then moved to other places (each
place it names replaced by one drawn from the regions lexicon) and its numbers redrawn,
so that names and sentences vary across the corpus as they do in an archive of many
places and years. Document lengths vary (4 to 16 kB, 10 kB on average): a corpus of
``S`` MB holds ``100 S`` documents; the 10 MB corpus holds 1,000.
Sizes are bytes of UTF-8 text (a Chinese character is three bytes: 1 MB is about
330,000 characters). The same seed and size always give the same files.

    .venv/bin/python bench/corpus.py            # bench/corpus/{1,10,100}mb/
    .venv/bin/python bench/corpus.py 1 10       # only those sizes
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CORPUS_DIR", "SEEDS", "Pool", "corpus", "generate"]

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
SEED = 20_240_601
_DOC_BYTES = 10_000
_PER_FOLDER = 1_000
_SENTENCE = re.compile(r"[^。！？]*[。！？]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Pool:
    """The paragraphs, sentences and titles of the sample corpus."""

    paragraphs: tuple[str, ...]
    sentences: tuple[str, ...]
    titles: tuple[str, ...]
    #: region names of the lexicon: the places the sample corpus names, and all the others
    places: tuple[str, ...]
    named: re.Pattern[str]

    @classmethod
    def load(cls, folder: Path = SEEDS) -> Pool:
        """Read every ``*.txt`` under ``folder`` (sorted, so the pool is stable)."""
        paragraphs: list[str] = []
        sentences: list[str] = []
        titles: list[str] = []
        for path in sorted(folder.glob("*.txt")):
            lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
            lines = [ln for ln in lines if len(_HAN.findall(ln)) >= 4]
            titles += [ln for ln in lines if 6 <= len(ln) <= 30 and not ln.endswith("。")]
            for line in lines:
                paragraphs.append(line)
                sentences += [s for s in _SENTENCE.findall(line) if len(s) >= 8]
        places = _places()
        text = "\n".join(paragraphs)
        named = sorted((p for p in places if p in text), key=len, reverse=True)
        pattern = re.compile("|".join(map(re.escape, named)))
        return cls(tuple(paragraphs), tuple(sentences), tuple(titles), places, pattern)


def _places() -> tuple[str, ...]:
    """Return the names of the administrative regions of the regions lexicon."""
    path = ROOT / "ontology" / "lexicons" / "regions.tsv"
    rows = [ln.split("\t") for ln in path.read_text(encoding="utf-8").splitlines()]
    levels = ("province", "prefecture", "county")
    return tuple(r[0] for r in rows if len(r) > 3 and r[3] in levels and len(r[0]) >= 2)


def _document(rng: random.Random, pool: Pool, target: int) -> str:
    parts = [rng.choice(pool.titles), ""]
    size = len(parts[0].encode())
    while size < target:
        if rng.random() < 0.5:
            paragraph = rng.choice(pool.paragraphs)
        else:
            paragraph = "".join(rng.choices(pool.sentences, k=rng.randint(2, 6)))
        parts.append(paragraph)
        size += len(paragraph.encode()) + 1
    # an archive covers many places and years: each document is about one city, and its
    # figures differ, so that names, sentences and chunks repeat no more than real text does
    moved: dict[str, str] = {}
    text = pool.named.sub(
        lambda m: moved.setdefault(m[0], rng.choice(pool.places)), "\n".join(parts)
    )
    text = _DIGITS.sub(lambda m: str(rng.randrange(10 ** len(m[0]))).zfill(len(m[0])), text)
    return text + "\n"


def corpus(megabytes: int) -> Path:
    """Return the folder of the corpus of ``megabytes`` MB (generated if missing)."""
    folder = CORPUS_DIR / f"{megabytes}mb"
    if not (folder / ".complete").is_file():
        generate(megabytes, folder)
    return folder


def generate(megabytes: int, folder: Path, *, seed: int = SEED) -> int:
    """Write ``megabytes`` MB of documents into ``folder``, 1,000 per subfolder.

    Returns:
        The number of documents written.
    """
    shutil.rmtree(folder, ignore_errors=True)
    rng = random.Random(f"{seed}-{megabytes}")
    pool = Pool.load()
    count = megabytes * 1_000_000 // _DOC_BYTES
    total = 0
    for n in range(count):
        # lengths vary from 0.4x to 1.6x the mean; the total lands on the size asked
        mean = (megabytes * 1_000_000 - total) / (count - n)
        text = _document(rng, pool, int(mean * rng.uniform(0.4, 1.6)))
        path = folder / f"d{n // _PER_FOLDER:03d}" / f"{n:06d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        total += len(text.encode())
    (folder / ".complete").write_text(f"{count} documents, {total} bytes\n", encoding="utf-8")
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1, 10, 100])
    args = parser.parse_args()
    for megabytes in args.sizes:
        folder = CORPUS_DIR / f"{megabytes}mb"
        n = generate(megabytes, folder)
        print(f"{folder}: {n} documents")


if __name__ == "__main__":
    main()
