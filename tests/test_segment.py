"""Sections, paragraphs and sentences of the sample corpus, and what is left out."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.ingest import read_document
from kg.model import Document, Section, Sentence
from kg.segment import segment, segment_text

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
NAMES = sorted(p.name for p in SEEDS.glob("*.txt"))


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return {name[:3]: segment(read_document(SEEDS / name, SEEDS)) for name in NAMES}


def _texts(doc: Document) -> list[str]:
    return [s.text for s in doc.sentences]


def _sentence(doc: Document, words: str) -> Sentence:
    return next(s for s in doc.sentences if words in s.text)


def _section(doc: Document, title: str) -> Section:
    return next(s for s in doc.sections if s.title == title)


def _check(doc: Document) -> None:
    """Assert the offset invariant and the shape of the section tree."""
    for i, s in enumerate(doc.sentences):
        assert s.index == i
        assert s.text and s.text == s.text.strip()
        assert "".join(doc.text[o] for o in s.offsets) == s.text
        assert all(a < b for a, b in zip(s.offsets, s.offsets[1:], strict=False))
        assert s.start == s.offsets[0] and s.offsets[-1] == s.end - 1
        assert -1 <= s.section < len(doc.sections)
        if s.section >= 0:
            section = doc.sections[s.section]
            assert section.start <= s.start and s.end <= section.end
    assert [s.paragraph for s in doc.sentences] == sorted(s.paragraph for s in doc.sentences)
    for i, section in enumerate(doc.sections):
        assert section.index == i and 0 <= section.start <= section.end <= len(doc.text)
        if section.parent >= 0:
            parent = doc.sections[section.parent]
            assert section.parent < i and parent.level < section.level
            assert parent.start <= section.start and section.end <= parent.end


@pytest.mark.parametrize("name", NAMES)
def test_offsets_map_every_sentence_back_into_the_text(
    docs: dict[str, Document], name: str
) -> None:
    doc = docs[name[:3]]
    assert len(doc.sentences) > 20
    _check(doc)


def test_newspaper_page_marks_give_no_text(docs: dict[str, Document]) -> None:
    texts = _texts(docs["001"])
    assert not any("【" in t or "紧接" in t or "下转" in t for t in texts)
    # The text after the mark on the same line is kept.
    assert texts[1].startswith("我们所要建设的现代化滨海大都市")


def test_navigation_marks_give_no_sentences(docs: dict[str, Document]) -> None:
    texts = _texts(docs["003"])
    assert not any(">" in t or "<" in t for t in texts)
    assert {"2. >", "< 3", "2.", "3"}.isdisjoint(texts)


def test_appended_advertisement_gives_no_sentences(docs: dict[str, Document]) -> None:
    doc = docs["004"]
    ad = doc.text.index("中基汽车城")
    assert all(s.end <= ad for s in doc.sentences)
    assert doc.sentences[-1].text.startswith("完善评价考核体系")


def test_photo_captions_and_bylines_give_no_sentences(docs: dict[str, Document]) -> None:
    texts = set(_texts(docs["002"]))
    captions = ["仇双", "宁波舟山港", "甬江实验室", "吉利汽车自动化生产流水线", "宁波象山亚航中心"]
    assert texts.isdisjoint(captions)
    # Newspaper subheads are headings, not captions.
    assert "筑底气 重点产业支撑有力" in {s.title for s in docs["002"].sections}


def test_paragraphs_repeated_by_the_layout_are_kept_once(docs: dict[str, Document]) -> None:
    texts = _texts(docs["002"])
    assert texts.count("让文化的根脉代代相传。") == 1
    assert texts.count("拼经济，招商引智、招才引智是关键。") == 1


def test_copyright_page_and_contents_give_no_sentences(docs: dict[str, Document]) -> None:
    doc = docs["000"]
    body = doc.text.index("宁波市委经济工作会议提出")
    front = [s.text for s in doc.sentences if s.start < body]
    for noise in ["ISBN", "CIP", "68990630", "定 价", "印 刷", "/ 3", "林崇建 /", "XINFAZHAN"]:
        assert not any(noise in t for t in front), noise
    assert "贯彻新发展理念 推动宁波高质量发展" in front


def test_layout_broken_sentences_are_joined(docs: dict[str, Document]) -> None:
    doc = docs["000"]
    for words in ["发展阶段上，面临着", "节能环保服务等领域", "“六化”契合宁波实际", "跨国并购"]:
        s = _sentence(doc, words)
        broken = doc.text[s.start : s.end]
        assert "\n" in broken and "\n" not in s.text
    joined = _sentence(doc, "发展阶段上，面临着“中等收入陷阱”的严峻挑战")
    assert joined.text.endswith("3个国家。")


def test_markdown_headings_nest_into_sections(docs: dict[str, Document]) -> None:
    doc = docs["004"]
    top = _section(doc, "宁波市推进长江三角洲区域一体化发展行动计划")
    tasks = _section(doc, "重点任务")
    bay = _section(doc, "聚焦大湾区建设，推动产业科创协同发展")
    assert (top.level, tasks.level, bay.level) == (1, 2, 3)
    assert tasks.parent == top.index and bay.parent == tasks.index
    assert _section(doc, "加强组织领导").parent == _section(doc, "保障措施").index
    assert not any("#" in t or "**" in t for t in _texts(doc))


def test_heading_is_the_first_sentence_of_its_section(docs: dict[str, Document]) -> None:
    doc = docs["004"]
    bay = _section(doc, "聚焦大湾区建设，推动产业科创协同发展")
    first = next(s for s in doc.sentences if s.section == bay.index)
    assert first.text == "聚焦大湾区建设，推动产业科创协同发展"
    platform = _sentence(doc, "加快建设杭州湾、梅山两大产业集聚区")
    assert platform.section == bay.index


def test_sentence_under_a_numbered_heading_has_its_section(docs: dict[str, Document]) -> None:
    doc = docs["001"]
    s = _sentence(doc, "以世界一流标准打造甬江科创区")
    section = doc.sections[s.section]
    assert section.title == "聚力科技创新大突破，做强赶超跨越新引擎"
    assert doc.sections[section.parent].title.startswith("勇于争先创优")
    assert (
        _sentence(doc, "通苏嘉甬铁路").section
        == _section(doc, "聚力内外循环大畅通，增创开放发展新优势").index
    )


def test_list_markers_and_bold_are_not_sentence_text(docs: dict[str, Document]) -> None:
    texts = _texts(docs["001"]) + _texts(docs["003"])
    assert "打造全球智造创新之都。" in texts
    assert "以重点产业链培育为抓手，加快建设先进制造业产业集群之城。" in texts
    assert not any(t.startswith(("——", "一是", "（一）", "*")) or "**" in t for t in texts)


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        pytest.param(
            "宏大目标，催人奋进；号角声声，激荡人心。",
            ["宏大目标，催人奋进；", "号角声声，激荡人心。"],
            id="semicolon",
        ),
        pytest.param(
            "会议提出：“拉高标杆创一流。”这是具体行动。",
            ["会议提出：“拉高标杆创一流。”", "这是具体行动。"],
            id="quote-ends-sentence",
        ),
        pytest.param(
            "实施“关键核心技术登峰！”计划；推进《规划（2018—2022年）。》落实。",
            ["实施“关键核心技术登峰！”计划；", "推进《规划（2018—2022年）。》落实。"],
            id="inside-quotes-and-titles",
        ),
        pytest.param(
            "“一方面，积极把握机遇。加快构建口岸体系。",
            ["“一方面，积极把握机遇。", "加快构建口岸体系。"],
            id="unclosed-quote",
        ),
        pytest.param(
            "一是留住人才。二是促进科技成果转化落地。",
            ["留住人才。", "促进科技成果转化落地。"],
            id="list-markers",
        ),
        pytest.param("宁波 舟山 港口。", ["宁波舟山港口。"], id="layout-spaces"),
        pytest.param("甬江科创区", ["甬江科创区"], id="bare-phrase"),
        pytest.param("   \n\n\t", [], id="whitespace"),
    ],
)
def test_sentence_splitting(text: str, sentences: list[str]) -> None:
    doc = segment_text(text)
    assert doc.text == text
    assert _texts(doc) == sentences
    _check(doc)


def test_plain_text_without_blank_lines() -> None:
    text = (
        "一、总体要求\n坚持高质量发展，\n推动区域一体化。\n（一）加强组织领导。优化调整领导小组。\n"
    )
    doc = segment_text(text)
    assert _texts(doc) == [
        "总体要求",
        "坚持高质量发展，推动区域一体化。",
        "加强组织领导。",
        "优化调整领导小组。",
    ]
    assert [(s.title, s.level, s.parent) for s in doc.sections] == [
        ("总体要求", 1, -1),
        ("加强组织领导", 2, 0),
    ]
    _check(doc)


def _one_line(name: str) -> str:
    """A sample document with its line breaks removed, as a page saved in one line."""
    return (SEEDS / name).read_text(encoding="utf-8").replace("\n", "")


def test_a_document_in_one_line_gets_bounded_sentences_and_paragraphs() -> None:
    text = "".join(_one_line(name) for name in NAMES)
    doc = segment_text(text)
    sizes: Counter[int] = Counter()
    for s in doc.sentences:
        sizes[s.paragraph] += len(s.text)
    assert max(len(s.text) for s in doc.sentences) <= 500
    assert max(sizes.values()) <= 3_000
    assert len(sizes) >= len(text) // 3_000
    assert _sentence(doc, "以世界一流标准打造甬江科创区").text.endswith("。")
    _check(doc)


def test_text_without_sentence_ends_is_cut_at_clause_marks() -> None:
    text = "，".join(["推进甬江科创区建设"] * 200)
    doc = segment_text(text)
    assert "".join(_texts(doc)) == text
    assert all(len(s.text) <= 500 and s.text.endswith("，") for s in doc.sentences[:-1])
    _check(doc)


_PIECES = list("宁波甬江科创区一二（）()“”《》【】，。；！？ \n\t\u3000#*-—<>2第版是、：\r\u200b")
_NOISY = st.lists(
    st.sampled_from([*_PIECES, "**", "## ", "【紧接第1版】", "2. >", "\n\n", "一是", "（一）"]),
    max_size=120,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), _NOISY))
def test_any_text_segments_with_exact_offsets(text: str) -> None:
    doc = segment_text(text)
    assert doc.text == text
    _check(doc)
