"""Reading HTML, Word and PDF files, and refusing bad ones with one clear problem each.

The files are made here, with the libraries that read them (python-docx, pypdf) or
write them (reportlab, whose built-in STSong-Light CID font needs no font file).
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import ByteStringObject, ContentStream

from kg.config import Settings
from kg.errors import InputError
from kg.ingest import read_document, read_documents, to_simplified
from kg.model import Document
from kg.segment import segment

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_LINES = (SEEDS / "002_5f5b069e0a375b5a.txt").read_text(encoding="utf-8").splitlines()
# A real paragraph of the sample corpus that names 甬江科创区, and the ones after it.
AT = next(i for i, line in enumerate(SEED_LINES) if "举全市之力打造甬江科创区" in line)
PASSAGE = SEED_LINES[AT]
MORE = [line for line in SEED_LINES[AT + 1 : AT + 8] if line.strip()]
HEADING = "甬江科创区建设"
MB = 1 << 20


def _html() -> bytes:
    page = f"""<!DOCTYPE html>
<html><head><meta charset="gbk"><title>标题栏</title>
<style>body {{ font-family: "脚本样式"; }}</style>
<script>var hidden = "脚本内容甬江";</script></head>
<body><div class="nav">首页 &gt; 要闻</div>
<h2>{HEADING}</h2>
<p>{PASSAGE[:30]}
{PASSAGE[30:]}</p>
<p>{MORE[0]}</p><noscript>请启用脚本</noscript><!-- 注释 -->
</body></html>"""
    return page.encode("gbk")


def _docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(HEADING, level=1)
    document.add_paragraph(PASSAGE)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = MORE[0]
    table.cell(0, 1).text = MORE[1]
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf(pages: list[list[str]]) -> bytes:
    """Write pages of lines under a running header and a numbered footer."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    for number, lines in enumerate(pages, start=1):
        sheet.setFont("STSong-Light", 10)
        sheet.drawString(72, 800, "宁波日报 2023年5月8日 星期一")
        for i, line in enumerate(lines):
            sheet.drawString(40, 760 - 16 * i, line)
        sheet.drawString(290, 30, f"- {number} -")
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def _scanned() -> bytes:
    """Write a page with a picture (a filled rectangle) and no text."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    sheet.rect(72, 72, 400, 600, fill=1)
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def _pdf_pages() -> list[list[str]]:
    lines = [PASSAGE[i : i + 40] for i in range(0, len(PASSAGE), 40)]
    return [lines, [MORE[0][:40]], [MORE[1][:40]]]


def _encrypted(data: bytes, user: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(data))
    writer.encrypt(user_password=user, owner_password="owner", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _garbled(data: bytes) -> bytes:
    """Replace each character code by a glyph-number-like code, as fonts without a
    ToUnicode map leave them."""
    writer = PdfWriter(clone_from=io.BytesIO(data))
    for page in writer.pages:
        content = page.get_contents()
        assert isinstance(content, ContentStream)
        operations = content.operations
        for operands, operator in operations:
            if operator == b"Tj":
                raw = operands[0].original_bytes
                codes = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
                garbled = b"".join((0x100 + code % 0x300).to_bytes(2, "big") for code in codes)
                operands[0] = ByteStringObject(garbled)
        content.operations = operations
        page.replace_contents(content)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _zip(members: dict[str, int]) -> bytes:
    """Return a zip archive whose members are that many zero bytes each."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, size in members.items():
            with archive.open(name, "w", force_zip64=size > 1 << 30) as member:
                for _ in range(size // MB):
                    member.write(bytes(MB))
                member.write(bytes(size % MB))
    return buffer.getvalue()


READABLE = {
    "page.html": _html,
    "page.htm": lambda: _html().replace(b"<h2>", b"<h1>").replace(b"</h2>", b"</h1>"),
    "report.docx": _docx,
    "report.pdf": lambda: _pdf(_pdf_pages()),
    "owner-only.pdf": lambda: _encrypted(_pdf(_pdf_pages()), user=""),
}
REFUSED = {
    "empty.txt": (lambda: b"", "empty file"),
    "empty.docx": (lambda: b"", "empty file"),
    "binary.txt": (lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "binary file"),
    "undecodable.txt": (
        lambda: b"abc\x80\xff" * 20,
        "cannot decode: not UTF-8, UTF-16, GB18030 or Big5",
    ),
    "encrypted.pdf": (lambda: _encrypted(_pdf(_pdf_pages()), user="secret"), "encrypted PDF"),
    "unreadable.pdf": (lambda: _garbled(_pdf(_pdf_pages())), "text layer unreadable"),
    "scanned.pdf": (lambda: _scanned(), "no text layer (scanned pages?)"),
    "truncated.pdf": (lambda: _pdf(_pdf_pages())[:1500], "damaged PDF"),
    "renamed.pdf": (lambda: b"<html>not a pdf</html>", "not a PDF file"),
    "truncated.docx": (lambda: _docx()[:4000], "damaged DOCX (truncated or corrupt zip archive)"),
    "renamed.docx": (lambda: PASSAGE.encode(), "not a DOCX file"),
    "plain.docx": (lambda: _zip({"a.txt": 10}), "not a DOCX file (no Word document inside)"),
    "bomb.docx": (
        lambda: _zip({"word/document.xml": 300 * MB}),
        "zip bomb: unpacks to 300 MB (limit 256 MB)",
    ),
    "members.docx": (
        lambda: _zip({f"m{i}.xml": 0 for i in range(10_001)}),
        "zip bomb: 10001 members (limit 10000)",
    ),
    "encrypted.docx": (
        # an encrypted .docx is an OLE2 compound file with an EncryptionInfo stream
        lambda: (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptionInfo".encode("utf-16-le")
        ),
        "encrypted DOCX",
    ),
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("formats")
    for name, make in READABLE.items():
        (root / name).write_bytes(make())
    for name, (make, _) in REFUSED.items():
        (root / name).write_bytes(make())
    return root


@pytest.fixture(scope="module")
def results(folder: Path) -> dict[str, Document | InputError]:
    found = {}
    for result in read_documents([folder], Settings()):
        name = result.path.name
        found[name] = segment(result) if isinstance(result, Document) else result
    return found


def test_every_file_of_the_folder_is_read_or_refused(results: dict) -> None:
    assert set(results) == set(READABLE) | set(REFUSED)


@pytest.mark.parametrize("name", list(READABLE))
def test_readable_formats_name_the_platform(results: dict, name: str) -> None:
    doc = results[name]
    assert isinstance(doc, Document), doc
    assert "甬江科创区" in to_simplified(doc.text)
    assert any("甬江科创区" in s.text for s in doc.sentences)
    for sentence in doc.sentences:
        assert [doc.text[i] for i in sentence.offsets] == list(sentence.text)


@pytest.mark.parametrize("name", list(REFUSED))
def test_bad_files_are_refused_with_one_clear_problem(
    results: dict, folder: Path, name: str
) -> None:
    error = results[name]
    assert isinstance(error, InputError)
    assert error.problem == REFUSED[name][1]
    assert str(error) == f"{folder / name}: {REFUSED[name][1]}"


@pytest.mark.parametrize("name", ["page.html", "page.htm"])
def test_html_keeps_visible_text_and_headings(results: dict, name: str) -> None:
    doc = results[name]
    assert "脚本" not in doc.text and "样式" not in doc.text and "注释" not in doc.text
    assert "标题栏" not in doc.text  # the <title> is not on the page
    assert PASSAGE in doc.text  # a source line break inside Chinese text vanishes
    assert [s.title for s in doc.sections] == [HEADING]
    assert doc.title == HEADING


def test_docx_keeps_headings_paragraphs_and_cells(results: dict) -> None:
    doc = results["report.docx"]
    assert doc.text == "\n\n".join([f"# {HEADING}", PASSAGE, MORE[0], MORE[1]])
    assert [s.title for s in doc.sections] == [HEADING]


def test_pdf_joins_pages_without_running_header_and_footer(results: dict) -> None:
    doc = results["report.pdf"]
    assert "宁波日报" not in doc.text and "- 2 -" not in doc.text
    assert PASSAGE in doc.text.replace("\n", "")
    assert doc.text.startswith(PASSAGE[:40])


def test_owner_password_only_pdf_is_read_like_the_plain_one(results: dict) -> None:
    assert results["owner-only.pdf"].text == results["report.pdf"].text


def test_a_file_over_the_size_cap_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as file:
        file.truncate(200 * MB)  # sparse: nothing is written, nothing must be read
    with pytest.raises(InputError) as caught:
        read_document(path, tmp_path)
    assert caught.value.problem == "file too large (200 MB; limit 64 MB)"


def test_the_size_cap_can_be_changed(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(b"x" * (3 * MB // 2))
    with pytest.raises(InputError) as caught:
        read_document(path, tmp_path, max_bytes=MB)
    assert caught.value.problem == "file too large (1.5 MB; limit 1 MB)"
    assert read_document(path, tmp_path, max_bytes=2 * MB).text == "x" * (3 * MB // 2)


@pytest.mark.parametrize(
    ("suffix", "module", "package"),
    [
        (".docx", "docx", "python-docx"),
        (".pdf", "pypdf", "pypdf"),
        (".html", "bs4", "beautifulsoup4"),
    ],
)
def test_a_missing_library_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str, module: str, package: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # import now raises ImportError
    path = tmp_path / f"doc{suffix}"
    path.write_bytes(b"x")
    with pytest.raises(InputError) as caught:
        read_document(path, tmp_path)
    expected = f"reading {suffix} needs {package}: pip install 'policy-kg[formats]'"
    assert caught.value.problem == expected
