"""`docgen textconv` (run by git on every .docx) on malformed and hostile Word files: bounded time and
memory, a clear Chinese message and exit 2, never an internal error; normal files read as before."""

from __future__ import annotations

import re
import struct
import zipfile
from pathlib import Path

import docx
import pytest
from crafted import compound_file

from docgen.diff.docxtext import docx_text
from docgen.untrusted import Limits

ROOT = Path(__file__).resolve().parents[2]
DOC = "word/document.xml"
W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def python_docx_text(path: Path) -> str:
    """The naive reading (python-docx loads the whole document), for comparison: paragraphs and table
    rows as lines, cells joined by `` | ``.

    Raises ValueError when `path` is not a Word document.
    """
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as exc:
        raise ValueError(str(exc)) from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                lines.append(" | ".join(cell.text.replace("\n", " ") for cell in row.cells))
        else:
            lines.append(block.text)
    return "\n".join(lines) + "\n"



@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """A small .docx with a paragraph and a 2x2 table, written by python-docx."""
    path = tmp_path_factory.mktemp("docx") / "base.docx"
    document = docx.Document()
    document.add_paragraph("通知正文")
    table = document.add_table(rows=2, cols=2)
    for r in range(2):
        for c in range(2):
            table.cell(r, c).text = f"格{r}{c}"
    document.save(path)
    return path


def with_body(base: Path, target: Path, body: bytes) -> Path:
    """`base` with the body of word/document.xml replaced by `body`."""
    with zipfile.ZipFile(base) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == DOC:
                data = re.sub(rb"<w:body>.*</w:body>", lambda _: b"<w:body>" + body + b"</w:body>", data, flags=re.S)
            new.writestr(info.filename, data)
    return target


def textconv(run, path: Path):
    result = run("textconv", path)
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output and "内部错误" not in result.output
    return result


def cell(text: bytes, props: bytes = b"") -> bytes:
    return b"<w:tc><w:tcPr>" + props + b"</w:tcPr><w:p><w:r><w:t>" + text + b"</w:t></w:r></w:p></w:tc>"


def test_a_million_column_span_is_refused(run, base, tmp_path):
    bad = with_body(base, tmp_path / "span.docx",
                    b"<w:tbl><w:tr>" + cell(b"x", b'<w:gridSpan w:val="1000000"/>') + b"</w:tr></w:tbl>")
    result = textconv(run, bad)
    assert result.exit_code == 2 and "超过了列数的限制（200）" in result.stderr and "横跨 1000000 列" in result.stderr


def test_two_thousand_rows_of_vertical_merges_read_in_linear_time(run, base, tmp_path):
    rows = [b"<w:tr>" + cell(b"\xe5\x90\x88", b'<w:vMerge w:val="restart"/>') + cell(b"a0") + b"</w:tr>"]
    rows += [b"<w:tr>" + cell(b"", b"<w:vMerge/>") + cell(b"a%d" % i) + b"</w:tr>" for i in range(1, 2000)]
    merged = with_body(base, tmp_path / "vmerge.docx", b"<w:tbl>" + b"".join(rows) + b"</w:tbl>")
    result = textconv(run, merged)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 2000 and lines[0] == "合 | a0" and lines[-1] == "合 | a1999"


def test_declared_unpacked_size_is_checked_before_reading(run, base, tmp_path):
    bad = tmp_path / "huge.docx"
    data = bytearray(base.read_bytes())
    # claim that word/document.xml unpacks to 1 GiB (central directory: uncompressed size at +24)
    name = DOC.encode()
    at = data.find(b"PK\x01\x02")
    while at != -1:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46: at + 46 + length] == name:
            struct.pack_into("<I", data, at + 24, 1 << 30)
        at = data.find(b"PK\x01\x02", at + 4)
    bad.write_bytes(bytes(data))
    result = textconv(run, bad)
    assert result.exit_code == 2 and "超过了解压后大小的限制（200.0 MB）" in result.stderr, result.stderr


def test_a_part_bigger_than_the_limit_is_refused(run, base, tmp_path, monkeypatch):
    big = with_body(base, tmp_path / "big.docx", b"<w:p><w:r><w:t>" + b"x" * 3_000_000 + b"</w:t></w:r></w:p>")
    monkeypatch.setenv("DOCGEN_LIMITS", "unpacked=2M")
    result = textconv(run, big)
    assert result.exit_code == 2 and "超过了解压后大小的限制（2.0 MB）" in result.stderr


def test_broken_xml_is_located(run, base, tmp_path):
    bad = with_body(base, tmp_path / "broken.docx", b"<w:p><w:r><w:t>x</w:r></w:p>")
    result = textconv(run, bad)
    assert result.exit_code == 2
    assert re.search(r"word/document\.xml 第 \d+ 行第 \d+ 列的 XML 不完整或格式错误（标签不配对）", result.stderr)


def test_an_entity_bomb_is_refused(run, base, tmp_path):
    bad = tmp_path / "bomb.docx"
    with zipfile.ZipFile(base) as old, zipfile.ZipFile(bad, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == DOC:
                data = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
                        b"<w:document " + W + b"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>")
            new.writestr(info.filename, data)
    result = textconv(run, bad)
    assert result.exit_code == 2 and "含有 XML 文档类型或实体声明" in result.stderr


def test_three_thousand_nested_tables_are_refused(run, base, tmp_path):
    nested = b"<w:p/>"
    for _ in range(3000):
        nested = b"<w:tbl><w:tr><w:tc>" + nested + b"</w:tc></w:tr></w:tbl>"
    bad = with_body(base, tmp_path / "nested.docx", nested)
    result = textconv(run, bad)
    assert result.exit_code == 2 and "超过了嵌套层数的限制（200）" in result.stderr


def test_old_and_encrypted_word_files(run, tmp_path):
    doc = tmp_path / "旧.docx"
    doc.write_bytes(compound_file("WordDocument"))
    assert "旧版 Word 97-2003 文档" in textconv(run, doc).stderr
    locked = tmp_path / "密.docx"
    locked.write_bytes(compound_file("EncryptionInfo", "EncryptedPackage"))
    assert "设置了打开密码" in textconv(run, locked).stderr


@pytest.mark.parametrize("path", ["templates/official.docx"])
def test_ordinary_documents_read_as_python_docx_reads_them(tmp_path, run, path, base):
    # a rendered plan (tables, merged head cells), the template, and a simple document
    rendered = run("render", ROOT / "plans/city/three-year-plan.yaml", "-o", tmp_path)
    assert rendered.exit_code == 0, rendered.output
    for document in (tmp_path / "three-year-plan.docx", ROOT / path, base):
        assert docx_text(document, Limits()) == python_docx_text(document)


def test_an_unreadable_file_is_a_usage_error(run, tmp_path):
    folder = tmp_path / "目录.docx"
    folder.mkdir()
    from docgen.config import Settings
    from docgen.diff.git import textconv as convert
    from docgen.diff.result import DiffError

    with pytest.raises(DiffError) as caught:
        convert(folder, Settings(root=tmp_path))
    assert "无法读取" in caught.value.message and "这是一个目录" in caught.value.message
