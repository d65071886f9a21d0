"""Decoding every encoding users have, the measured traps, and the matching views."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.errors import InputError
from kg.ingest import (
    clean_text,
    decode,
    fold_width,
    looks_traditional,
    read_document,
    to_simplified,
)
from kg.segment import segment, segment_text

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_LINES = (SEEDS / "002_5f5b069e0a375b5a.txt").read_text(encoding="utf-8").splitlines()
# A real paragraph of the sample corpus that names 甬江科创区, and its traditional form.
PASSAGE = next(line for line in SEED_LINES if "举全市之力打造甬江科创区" in line)
TRADITIONAL = (
    "近日，寧波又迎來了一次高調的“官宣”：以最頂配的架構、最頂尖的資源，舉全市之力打造甬江科創區。"
)
LINES = [
    PASSAGE,
    "甬江科创区正是一把突围的“剑”。",
    "科创是宁波加快塑造发展新动能新优势的核心要素。",
]
UNDECODABLE = "cannot decode: not UTF-8, UTF-16, GB18030 or Big5"

ENCODED = {
    "utf-8": PASSAGE.encode("utf-8"),
    "utf-8-bom": PASSAGE.encode("utf-8-sig"),
    "utf-16-le-bom": codecs.BOM_UTF16_LE + PASSAGE.encode("utf-16-le"),
    "utf-16-be-bom": codecs.BOM_UTF16_BE + PASSAGE.encode("utf-16-be"),
    "gb18030": PASSAGE.encode("gb18030"),
    "gbk": PASSAGE.encode("gbk"),
    "big5": TRADITIONAL.encode("big5"),
    "crlf": "\r\n".join(LINES).encode("utf-8"),
    "cr": "\r".join(LINES).encode("gb18030"),
}
EXPECTED = {name: PASSAGE for name in ENCODED} | {
    "big5": TRADITIONAL,
    "crlf": "\n".join(LINES),
    "cr": "\n".join(LINES),
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("encodings")
    for name, data in ENCODED.items():
        (root / f"{name}.txt").write_bytes(data)
    return root


@pytest.mark.parametrize("name", list(ENCODED))
def test_every_encoding_reads_to_the_passage(folder: Path, name: str) -> None:
    doc = segment(read_document(folder / f"{name}.txt", folder))
    assert doc.text == EXPECTED[name]
    assert any("甬江科创区" in to_simplified(s.text) for s in doc.sentences)
    for sentence in doc.sentences:
        assert [doc.text[i] for i in sentence.offsets] == list(sentence.text)


def test_the_traditional_passage_is_the_seed_passage_simplified() -> None:
    assert to_simplified(TRADITIONAL) == PASSAGE
    assert looks_traditional(TRADITIONAL)
    assert not looks_traditional(PASSAGE)


@pytest.mark.parametrize("text", ["甬江科创区", "宁波舟山港"])
def test_short_gbk_is_not_taken_for_korean(text: str) -> None:
    # charset-normalizer 3.x reads these GBK bytes as cp949 / UTF-16 Korean.
    assert decode(text.encode("gbk")) == text


def test_big5_is_told_from_gb18030_although_both_decode() -> None:
    data = TRADITIONAL.encode("big5")
    assert data.decode("gb18030") != TRADITIONAL  # valid GB18030, all mojibake
    assert decode(data) == TRADITIONAL


def test_no_byte_prefix_of_utf8_text_turns_into_mojibake() -> None:
    data = PASSAGE.encode("utf-8")
    also_gb18030 = 0
    for end in range(1, len(data) + 1):
        try:
            data[:end].decode("gb18030")
            also_gb18030 += not _is_utf8(data[:end])
        except UnicodeDecodeError:
            pass
        text = decode(data[:end])
        # a cut inside the last character keeps the complete characters
        assert text == data[:end].decode("utf-8", errors="ignore")
    assert also_gb18030 >= 10  # the trap: these cut prefixes are valid GB18030


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@pytest.mark.parametrize("at", [0, 1, 40, 100])
def test_a_corrupt_byte_in_utf8_text_is_refused(at: int) -> None:
    data = bytearray(PASSAGE.encode("utf-8"))
    data[at] = 0xFF
    with pytest.raises(InputError) as caught:
        decode(bytes(data), "bad.txt")
    assert caught.value.problem == UNDECODABLE


def test_the_detector_rescues_mostly_ascii_text_in_a_western_encoding() -> None:
    data = "Ningbo café, crème brûlée and the Yongjiang science park.".encode("cp1252")
    assert decode(data).startswith("Ningbo caf")


def test_a_20_mb_single_line_reads(tmp_path: Path) -> None:
    line = PASSAGE * (20 * 2**20 // len(PASSAGE.encode()))
    path = tmp_path / "line.txt"
    path.write_text(line, encoding="utf-8")
    assert read_document(path, tmp_path).text == line


def test_simplified_text_keeps_its_simplified_characters() -> None:
    changed = []
    for path in sorted(SEEDS.glob("0*.txt")):
        text = path.read_text(encoding="utf-8")
        changed += [(a, b) for a, b in zip(text, to_simplified(text), strict=True) if a != b]
    # one stray traditional character in the corpus (首創性 in 001), nothing else
    assert changed == [("創", "创")]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("５Ｇ产业和ＡＩ应用，２０３５年", "5G产业和AI应用，2035年"),
        ("（一）加快建设甬江科创区。", "（一）加快建设甬江科创区。"),
        ("ｗｗｗ．ｎｉｎｇｂｏ", "www．ningbo"),
    ],
)
def test_fold_width_maps_letters_and_digits_only(text: str, folded: str) -> None:
    assert fold_width(text) == folded


@given(st.text())
def test_character_maps_keep_every_offset(text: str) -> None:
    for mapped in (to_simplified(text), fold_width(text)):
        assert len(mapped) == len(text)
        assert all(a == b for a, b in zip(mapped, text, strict=True) if a.isascii() and b.isascii())
    assert to_simplified(to_simplified(text)) == to_simplified(text)


@given(st.text())
def test_utf8_text_decodes_to_itself(text: str) -> None:
    data = text.encode("utf-8")
    try:
        decoded = decode(data)
    except InputError as error:
        assert error.problem in {"empty file", "binary file"}
    else:
        assert decoded == text.removeprefix("\ufeff")


@given(st.text())
def test_cleaning_and_segmenting_any_text_never_fails(text: str) -> None:
    doc = segment_text(clean_text(text))
    for sentence in doc.sentences:
        assert len(sentence.offsets) == len(sentence.text) > 0
        assert sentence.start == sentence.offsets[0] and sentence.end == sentence.offsets[-1] + 1
        assert list(sentence.offsets) == sorted(set(sentence.offsets))
        assert [doc.text[i] for i in sentence.offsets] == list(sentence.text)
