"""Reading files into documents: encodings, cleaning, bad files, finding files."""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.config import Settings
from kg.errors import InputError
from kg.ingest import clean_text, decode, find_documents, read_document, read_documents
from kg.model import Document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_TEXT = (SEEDS / "001_c5556d77601bb796.txt").read_text(encoding="utf-8")
# A real paragraph of the sample corpus that names 甬江科创区.
PARAGRAPH = next(line for line in SEED_TEXT.splitlines() if "打造甬江科创区" in line)
UNDECODABLE = "cannot decode: not UTF-8, UTF-16, GB18030 or Big5"


def _write(tmp_path: Path, data: bytes, name: str = "doc.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _read(path: Path) -> Document:
    return read_document(path, path.parent)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(PARAGRAPH.encode("utf-8"), id="utf-8"),
        pytest.param(PARAGRAPH.encode("utf-8-sig"), id="utf-8-bom"),
        pytest.param(codecs.BOM_UTF16_LE + PARAGRAPH.encode("utf-16-le"), id="utf-16-le-bom"),
        pytest.param(codecs.BOM_UTF16_BE + PARAGRAPH.encode("utf-16-be"), id="utf-16-be-bom"),
        pytest.param(PARAGRAPH.encode("gb18030"), id="gb18030"),
        pytest.param(PARAGRAPH.encode("gbk"), id="gbk"),
    ],
)
def test_encodings_decode_to_the_same_text(tmp_path: Path, data: bytes) -> None:
    doc = _read(_write(tmp_path, data))
    assert doc.text == PARAGRAPH
    assert "甬江科创区" in doc.text
    assert doc.sha256 == hashlib.sha256(data).hexdigest()


def test_utf8_is_tried_before_gb18030() -> None:
    # These UTF-8 bytes also decode as GB18030, into mojibake.
    data = "以世界一流标准打造甬江科创区".encode()
    assert data.decode("gb18030") != "以世界一流标准打造甬江科创区"
    assert decode(data) == "以世界一流标准打造甬江科创区"


def test_line_ends_are_normalised(tmp_path: Path) -> None:
    data = "宁波\r\n舟山\r台州\n".encode()
    assert _read(_write(tmp_path, data)).text == "宁波\n舟山\n台州\n"


def test_invisible_characters_are_removed(tmp_path: Path) -> None:
    noisy = "甬\u200b江\u200d科创区\ufeff\x07\x00" + PARAGRAPH + "\u2028下一行\t完"
    text = _read(_write(tmp_path, noisy.encode("utf-16"))).text
    assert text == "甬江科创区" + PARAGRAPH + "\n下一行\t完"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        pytest.param(b"", "empty file", id="empty"),
        pytest.param(codecs.BOM_UTF8, "empty file", id="bom-only"),
        pytest.param(b" \n\r\n\t", "empty file", id="whitespace"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file", id="nul-bytes"),
        pytest.param(bytes(range(1, 32)) * 8, "binary file", id="control-bytes"),
        pytest.param(b"abc\x80\xffdef", UNDECODABLE, id="undecodable"),
        pytest.param(codecs.BOM_UTF16_LE + b"\x00\xd8", UNDECODABLE, id="bad-utf-16"),
    ],
)
def test_bad_files_are_refused_by_name(tmp_path: Path, data: bytes, problem: str) -> None:
    path = _write(tmp_path, data)
    with pytest.raises(InputError) as caught:
        _read(path)
    assert caught.value.problem == problem
    assert caught.value.path == path
    assert str(caught.value) == f"{path}: {problem}"


def test_unsupported_suffix_names_the_choices(tmp_path: Path) -> None:
    path = _write(tmp_path, b"x", "notes.xyz")
    with pytest.raises(
        InputError, match=r"unsupported file type '\.xyz'; choose \.docx, \.htm, \.html, \.markdown"
    ):
        _read(path)


def test_unreadable_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_document(tmp_path / "missing.txt", tmp_path)


@pytest.mark.parametrize(
    ("name", "title"),
    [
        pytest.param(
            "000_77679203b1676a13.txt", "新发展理念 引领名城名都建设", id="pinyin-skipped"
        ),
        pytest.param("003_ad4e1f620afa6d52.txt", "建设全球先进制造业基地", id="quotes-trimmed"),
        pytest.param(
            "004_80836f5e016a9cc6.txt", "宁波市推进长江三角洲区域一体化发展行动计划", id="markdown"
        ),
    ],
)
def test_title_is_the_first_meaningful_line(name: str, title: str) -> None:
    assert _read(SEEDS / name).title.startswith(title)


def test_seed_documents_read_as_their_files() -> None:
    doc = read_document(SEEDS / "004_80836f5e016a9cc6.txt", SEEDS)
    assert doc.id == "004_80836f5e016a9cc6.txt"
    assert doc.text == (SEEDS / doc.id).read_text(encoding="utf-8")
    assert doc.sections == () and doc.sentences == ()


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name in ["b.txt", "a/z.md", "a/b/x.markdown", "a/B.TXT", ".hidden/x.txt", "a/.h.txt"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("宁波", encoding="utf-8")
    (tmp_path / "a/skip.rtf").write_bytes(b"{\\rtf1}")
    return tmp_path


def test_find_documents_is_recursive_sorted_and_skips_hidden(tree: Path) -> None:
    found = list(find_documents([tree], Settings().suffixes))
    assert [p.relative_to(tree).as_posix() for p, _ in found] == [
        "a/B.TXT",
        "a/b/x.markdown",
        "a/z.md",
        "b.txt",
    ]
    assert {root for _, root in found} == {tree}


def test_find_documents_takes_a_file_as_given_once(tree: Path) -> None:
    file = tree / "a" / "skip.rtf"
    found = list(find_documents([file, file, tree / "b.txt"], Settings().suffixes))
    assert found == [(file, file.parent), (tree / "b.txt", tree)]


def test_find_documents_leaves_out_a_folder_and_links_into_it(tree: Path) -> None:
    (tree / "out").mkdir()
    (tree / "out" / "made.txt").write_text("宁波。", encoding="utf-8")
    (tree / "a" / "link.txt").symlink_to(tree / "out" / "made.txt")
    (tree / "a" / "same.txt").symlink_to(tree / "b.txt")
    found = find_documents([tree], Settings().suffixes, outside=(tree / "out").resolve())
    assert [p.relative_to(tree).as_posix() for p, _ in found] == [
        "a/B.TXT",
        "a/b/x.markdown",
        "a/same.txt",
        "a/z.md",
    ]  # b.txt is the file a/same.txt leads to, found first


def test_find_documents_refuses_a_missing_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        list(find_documents([tmp_path / "nope"], [".txt"]))


def test_document_ids_are_relative_posix_paths(tree: Path) -> None:
    docs = [d for d in read_documents([tree], Settings()) if isinstance(d, Document)]
    assert [d.id for d in docs] == ["a/B.TXT", "a/b/x.markdown", "a/z.md", "b.txt"]
    assert read_document(tree / "a" / "z.md", tree / "a").id == "z.md"


def test_read_documents_yields_errors_and_goes_on(tree: Path) -> None:
    (tree / "a" / "empty.txt").write_bytes(b"")
    (tree / "c.txt").write_bytes(b"\x00\x01")
    results = list(read_documents([tree / "nope", tree], Settings()))
    errors = [(r.path.name, r.problem) for r in results if isinstance(r, InputError)]
    assert errors == [
        ("nope", "no such file or folder"),
        ("empty.txt", "empty file"),
        ("c.txt", "binary file"),
    ]
    assert sum(isinstance(r, Document) for r in results) == 4


@given(st.binary(max_size=300))
def test_decode_never_fails_but_with_input_error(data: bytes) -> None:
    try:
        text = clean_text(decode(data, "fuzz.txt"))
    except InputError as error:
        assert error.problem in {"empty file", "binary file", UNDECODABLE}
    else:
        assert "\r" not in text and "\x00" not in text and "\ufeff" not in text


@given(st.text())
def test_clean_text_leaves_no_invisible_characters(text: str) -> None:
    cleaned = clean_text(text)
    assert not any(c in cleaned for c in "\r\x00\x0b\x0c\u200b\u200d\ufeff\u2028")
    assert clean_text(cleaned) == cleaned


def test_folder_readme_is_not_a_document(tmp_path):
    (tmp_path / "README.md").write_text("# About these files\n", encoding="utf-8")
    (tmp_path / "plan.md").write_text("# 规划\n加快建设甬江科创区。\n", encoding="utf-8")
    found = [path.name for path, _ in find_documents([tmp_path], [".md"])]
    assert found == ["plan.md"]
