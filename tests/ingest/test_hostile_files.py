"""Untrusted files given to `docgen import` (issue 26, items 5 and 6): each one crafted here ends in a
located Chinese DG700 finding and exit 2 (or imports), never exit 3, within the limits of
`docgen.untrusted` that `docgen collect` applies to ledgers (``--limit`` and ``DOCGEN_LIMITS``)."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import docx
import pytest
from crafted import pdf

from tests.conftest import REGISTRY

DOC = "word/document.xml"


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pyproject.toml").write_text(f'[tool.docgen]\nregistry = ["{REGISTRY.as_posix()}"]\n', encoding="utf-8")
    return tmp_path


def base_docx() -> bytes:
    document = docx.Document()
    for text in ("松原市安全生产委员会关于印发某某方案的通知", "一、总体要求", "1.着力推进达标工作。",
                 "（责任单位：市应急局；完成时限：2025年6月底前）"):
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def crafted(path: Path, edits: dict[str, object]) -> Path:
    """The base .docx with parts replaced (bytes, or a function of the old bytes)."""
    with zipfile.ZipFile(io.BytesIO(base_docx())) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            change = edits.get(info.filename)
            new.writestr(info.filename, change(data) if callable(change) else (change if change is not None else data))
        for name, data in edits.items():
            if name not in old.namelist():
                new.writestr(name, data)
    return path


def in_body(xml: bytes) -> object:
    return lambda data: data.replace(b"<w:sectPr", xml + b"<w:sectPr", 1)


def imported(run, project: Path, path: Path, *limits: str):
    options = [a for limit in limits for a in ("--limit", limit)]
    result = run("import", path, "-o", project / "out.yaml", *options, cwd=project)
    assert "Traceback" not in result.output and "内部错误" not in result.output, result.output
    return result


def refused(run, project: Path, path: Path, *limits: str) -> str:
    """The one DG700 line of an import that read nothing (exit 2, no plan written)."""
    result = imported(run, project, path, *limits)
    assert result.exit_code == 2, result.output
    assert not (project / "out.yaml").exists()
    assert "文件无法读取，没有写出方案。" in result.stderr
    [line] = [line for line in result.output.splitlines() if "DG700" in line]
    assert line.startswith(f"{path.name}:1:1: 错误 DG700 [import-unreadable]"), line
    return line


# -- .docx (item 5) --------------------------------------------------------------------------------


def test_malformed_xml_is_located(run, project):
    bad = crafted(project / "截断.docx", {DOC: lambda d: d[: len(d) // 2]})
    assert "word/document.xml 第 2 行第 1 列的 XML 不完整或格式错误（文件在中途截断）" in refused(run, project, bad)


def test_an_entity_bomb_is_refused_before_expansion(run, project):
    bomb = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    bad = crafted(project / "实体.docx", {DOC: lambda d: bomb + re.sub(rb"^<\?xml[^>]*\?>", b"", d).replace(
        "总体要求".encode(), b"&b;")})
    assert "含有 XML 文档类型或实体声明（DOCTYPE/ENTITY）" in refused(run, project, bad)


@pytest.mark.parametrize("char", [b"\x01", b"&#x1;"])
def test_a_control_character_in_text_is_located(run, project, char):
    bad = crafted(project / "控制字符.docx", {DOC: lambda d: d.replace("总体要求".encode(), "总体".encode() + char + "要求".encode())})
    line = refused(run, project, bad)
    assert re.search(r"word/document\.xml 第 2 行第 \d+ 列的 XML 不完整或格式错误（含有非法字符）", line), line


def test_a_zip_bomb_is_refused_at_the_unpacked_limit(run, project):
    """3 MB of text in a 3 KB part: refused from the sizes the zip declares, nothing unpacked."""
    big = b"<w:p><w:r><w:t>" + b"a" * (3 * 1024 * 1024) + b"</w:t></w:r></w:p>"
    bad = crafted(project / "炸弹.docx", {DOC: in_body(big)})
    assert bad.stat().st_size < 100_000
    line = refused(run, project, bad, "unpacked=2M")
    assert "超过了解压后大小的限制（2.0 MB）" in line and "--limit unpacked=" in line
    assert imported(run, project, bad, "unpacked=20M").exit_code in (0, 1)  # the limit is the user's to raise


def nested_tables(depth: int) -> bytes:
    inner = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>"
    for _ in range(depth):
        inner = b"<w:tbl><w:tr><w:tc>" + inner + b"<w:p/></w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl><w:p/>"
    return inner


def test_deeply_nested_tables_stop_at_the_depth_limit(run, project):
    bad = crafted(project / "嵌套.docx", {DOC: in_body(nested_tables(150))})
    started = time.monotonic()
    assert "超过了嵌套层数的限制（200）：word/document.xml 中的元素嵌套超过 200 层" in refused(run, project, bad)
    assert time.monotonic() - started < 20  # a generous bound: it used to hang


def test_wide_and_long_tables_stop_at_their_limits(run, project):
    wide = crafted(project / "宽.docx", {DOC: in_body(
        b'<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="1000000000"/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>')})
    assert "超过了列数的限制（200）：word/document.xml 中有横跨 1000000000 列的单元格" in refused(run, project, wide)
    long = crafted(project / "长.docx", {DOC: in_body(b"<w:tbl>" + b"<w:tr><w:tc><w:p/></w:tc></w:tr>" * 51 + b"</w:tbl>")})
    assert "超过了行数的限制（50）" in refused(run, project, long, "rows=50")


NUMBERING = "word/numbering.xml"


def numbered(ilvl: int) -> dict[str, object]:
    numbering = (b'<w:abstractNum w:abstractNumId="77"><w:lvl w:ilvl="%d"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
                 b'<w:lvlText w:val="%%1."/></w:lvl></w:abstractNum><w:num w:numId="77"><w:abstractNumId w:val="77"/></w:num>'
                 % ilvl)
    return {NUMBERING: lambda d: d.replace(b"</w:numbering>", numbering + b"</w:numbering>"),
            DOC: lambda d: d.replace("<w:p><w:r><w:t>一、".encode(), b'<w:p><w:pPr><w:numPr><w:ilvl w:val="%d"/>'
                                     b'<w:numId w:val="77"/></w:numPr></w:pPr><w:r><w:t>' % ilvl + "一、".encode())}


@pytest.mark.parametrize("ilvl", [9, 100, -1])
def test_numbering_beyond_words_nine_levels_is_read_without_a_number(run, project, ilvl):
    """w:ilvl 9 used to raise IndexError in `Numbering.label`: Word shows levels 0-8 only."""
    result = imported(run, project, crafted(project / "级别.docx", numbered(ilvl)))
    assert result.exit_code in (0, 1), result.output
    assert "总体要求" in (project / "out.yaml").read_text(encoding="utf-8")


def test_a_list_without_abstract_numbering_shows_no_number(run, project):
    """A w:num without w:abstractNumId used to raise AttributeError."""
    bad = crafted(project / "编号.docx", {NUMBERING: lambda d: d.replace(b"</w:numbering>", b'<w:num w:numId="78"/></w:numbering>'),
                                          DOC: lambda d: d.replace("<w:p><w:r><w:t>一、".encode(),
                                                                   b'<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="78"/>'
                                                                   b'</w:numPr></w:pPr><w:r><w:t>' + "一、".encode())})
    result = imported(run, project, bad)
    assert result.exit_code in (0, 1), result.output
    assert "总体要求" in (project / "out.yaml").read_text(encoding="utf-8")


def test_merged_cells_read_in_one_pass_even_when_odd(run, project):
    """A cell continuing a vertical merge in a table's first row made python-docx raise ValueError;
    odd toggle and alignment values used to raise too. Now: the text as it stands."""
    table = ("<w:tbl><w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p><w:r><w:t>序号</w:t></w:r></w:p></w:tc>"
             "<w:tc><w:p><w:r><w:t>工作任务</w:t></w:r></w:p></w:tc></w:tr>"
             "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>排查</w:t></w:r></w:p></w:tc></w:tr>"
             "</w:tbl>").encode()
    odd = crafted(project / "合并.docx", {DOC: lambda d: in_body(table)(d).replace(
        "<w:p><w:r><w:t>一、".encode(), '<w:p><w:pPr><w:jc w:val="sideways"/></w:pPr><w:r><w:rPr><w:b w:val="maybe"/></w:rPr><w:t>一、'.encode())})
    from docgen.ingest import docx as reader

    document = reader.read(odd)
    [table] = [b for b in document.blocks if hasattr(b, "rows")]
    assert table.rows == [["序号", "工作任务"], ["序号", "排查"]]
    assert imported(run, project, odd).exit_code in (0, 1)


# -- PDF (item 6) ----------------------------------------------------------------------------------


TEXT = b"BT /F1 12 Tf 72 750 Td (Hello) Tj ET"


def test_an_error_while_reading_a_page_is_a_finding(run, project):
    """A MediaBox of non-numbers raised from pdfminer while the pages were read (exit 3)."""
    bad = project / "页面.pdf"
    bad.write_bytes(pdf(TEXT, mediabox=b"[0 0 /abc (x)]"))
    assert "PDF 文件已损坏，无法读取（" in refused(run, project, bad)


def test_a_flate_bomb_is_stopped_at_the_unpacked_limit(run, project):
    """300 MB of spaces in a 300 KB stream: counted in bounded steps, never decoded whole."""
    bad = project / "炸弹.pdf"
    bad.write_bytes(pdf(TEXT + b"\n" + b" " * (300 * 1024 * 1024), flate=True))
    assert bad.stat().st_size < 1024 * 1024
    line = refused(run, project, bad)
    assert "超过了解压后大小的限制（200.0 MB）：PDF 中压缩的内容解压后超过 200.0 MB" in line


def test_pages_and_size_of_a_pdf_have_limits(run, project):
    many = project / "多页.pdf"
    many.write_bytes(pdf(TEXT, pages=12))
    assert "超过了页数的限制（10）：PDF 有超过 10 页" in refused(run, project, many, "pages=10")
    assert "超过了文件大小的限制（100 字节）" in refused(run, project, many, "size=100")


def test_a_file_that_is_not_a_pdf_is_refused(run, project):
    bad = project / "假的.pdf"
    bad.write_bytes(b"PK\x03\x04 not a pdf")
    assert "不是有效的 PDF 文件（文件开头没有 %PDF）" in refused(run, project, bad)


# -- plain text (item 6) ---------------------------------------------------------------------------


def test_a_large_text_is_refused_at_the_size_and_paragraph_limits(run, project):
    big = project / "大.txt"
    big.write_text("一、总体要求\n" + "着力推进达标工作。\n" * 300, encoding="utf-8")
    assert "超过了文件大小的限制（1024 字节）" in refused(run, project, big, "size=1K")
    assert "超过了单元格数的限制（100）：文本有 301 个段落和表格单元格" in refused(run, project, big, "cells=100")


def test_recovery_has_the_time_limit(run, project, monkeypatch):
    from docgen.ingest import recover

    monkeypatch.setattr(recover, "recover", lambda document, kind: time.sleep(5))
    text = project / "慢.txt"
    text.write_text("一、总体要求\n", encoding="utf-8")
    started = time.monotonic()
    line = refused(run, project, text, "time=0.5")
    assert "整理原文的结构时超过了读取时间（秒）的限制（0.5）" in line and time.monotonic() - started < 4


def test_limits_come_from_the_environment_too(run, project, monkeypatch):
    monkeypatch.setenv("DOCGEN_LIMITS", "pages=3")
    many = project / "多页.pdf"
    many.write_bytes(pdf(TEXT, pages=4))
    assert "超过了页数的限制（3）" in refused(run, project, many)


def test_a_large_compressed_stream_within_the_limit_is_counted_once(run, project):
    """Found while measuring: a flate stream unpacking past one step (1 MB) and followed by the usual
    newline before ``endstream`` kept the counting loop spinning until the time limit."""
    from docgen.untrusted import Deadline, Limits, check_pdf_streams

    big = project / "大.pdf"
    big.write_bytes(pdf(TEXT + b"\n" + b" " * (5 * 1024 * 1024), flate=True))
    started = time.monotonic()
    assert check_pdf_streams(big.read_bytes(), Limits(), Deadline(5)) > 5 * 1024 * 1024
    assert time.monotonic() - started < 3
    assert imported(run, project, big).exit_code in (0, 1)
    # a file that is nothing but stream keywords is looked at once, not once per keyword
    started = time.monotonic()
    assert check_pdf_streams(b"%PDF-1.4\n" + b">> stream\n" * 200_000, Limits(), Deadline(30)) == 0
    assert time.monotonic() - started < 10


def test_a_text_past_the_default_size_limit_is_refused_at_once(run, project):
    """Issue 26 item 6: a .txt of more than 20 MB was read and recovered without any limit."""
    big = project / "大.txt"
    big.write_bytes(("一、总体要求\n" + "着力推进达标工作。" * 60 + "\n").encode() * 13_000)
    assert big.stat().st_size > 20 * 1024 * 1024
    started = time.monotonic()
    assert "超过了文件大小的限制（20.0 MB）" in refused(run, project, big)
    assert time.monotonic() - started < 5


# -- files that are not files, and bytes that are not text (a probe of session 5) ----------------------


@pytest.mark.parametrize("suffix", [".txt", ".pdf", ".docx", ".wps"])
def test_a_device_given_as_a_document_is_refused_at_once(run, project, suffix):
    """/dev/zero under a document's name used to hang a .txt or .pdf import (read to the end, never)."""
    link = project / f"zero{suffix}"
    link.symlink_to("/dev/zero")
    started = time.monotonic()
    result = imported(run, project, link)
    assert result.exit_code == 2, result.output
    assert "不是普通文件" in result.output
    assert time.monotonic() - started < 30
    assert not (project / "out.yaml").exists()


def test_a_pipe_given_as_a_document_is_refused(run, project):
    import os

    fifo = project / "received.txt"
    os.mkfifo(fifo)
    result = imported(run, project, fifo)
    assert result.exit_code == 2 and "不是普通文件" in result.output, result.output


def test_bytes_read_as_random_characters_are_refused_not_imported(run, project):
    """A damaged .wps that LibreOffice opens as text in some encoding reads as rare 汉字, Hangul and
    symbols: that is no document, and no plan full of placeholders is written for it."""
    import random

    rng = random.Random(7)
    garbage = "".join(chr(rng.randrange(0x3400, 0xD7A3)) for _ in range(3000))
    path = project / "received.txt"
    path.write_text(garbage, encoding="utf-8")
    result = imported(run, project, path)
    assert result.exit_code == 2, result.output
    assert "乱码" in result.output and not (project / "out.yaml").exists()


def test_a_document_with_a_few_rare_characters_is_still_imported(run, project):
    """Names written in 汉字 outside GB2312 (堃, 玥, 喆) are ordinary in a real document."""
    path = project / "received.txt"
    path.write_text("松原市安全生产委员会关于印发某某方案的通知\n一、总体要求\n1.着力推进达标工作，王堃、李玥、张喆负责联络。\n"
                    "（责任单位：市应急局；完成时限：2025年6月底前）\n", encoding="utf-8")
    result = imported(run, project, path)
    assert result.exit_code in (0, 1), result.output
    assert (project / "out.yaml").exists()
