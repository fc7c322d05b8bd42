"""Fuzzing `docgen import` with untrusted .txt, .docx and PDF files (issue 26): each case imports, or
is refused with a located DG700 finding and exit 2 (nothing written); never exit 3, never a
traceback, within its time and memory (`harness`).

Cases start from real received documents (tests/ingest/fixtures) and from a Word file and a PDF
built here, then edit them as a careless sender or an attacker would: lines deleted, swapped and
broken, control characters and YAML syntax inserted, other encodings; zip parts truncated or
swapped for entity declarations, nested or huge tables, odd numbering levels and merged cells;
PDF objects with broken numbers, truncated streams and compressed content.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from crafted import pdf
from harness import budget, within_limits
from hypothesis import example, given
from hypothesis import strategies as st
from test_fuzz import TEXT, damaged_zip, invoke, logged, mutated, position

from docgen.ingest.text import decode

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests/ingest/fixtures"
TEXTS = [decode(p.read_bytes()) for p in sorted(FIXTURES.glob("*.txt"))]  # one is in GBK, as offices send
PYPROJECT = f'[tool.docgen]\nregistry = ["{(FIXTURES / "registry").as_posix()}"]\n'


def imported(tmp_path_factory, name: str, data: bytes, *limits: str):
    """Import `data` as `name`; a refused file writes nothing."""
    work = tmp_path_factory.mktemp("import")
    (work / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (work / name).write_bytes(data)
    out = work / "out.yaml"
    options = [a for limit in limits for a in ("--limit", limit)]
    with within_limits():
        result = invoke("import", name, "-o", out, *options, cwd=work)
    if result.exit_code == 2:
        assert not out.exists(), result.output
        assert "DG700" in result.output or "docgen:" in result.output, result.output
    else:
        assert out.exists(), result.output
    return result


# -- plain text ------------------------------------------------------------------------------------


@st.composite
def text_files(draw) -> bytes:
    text = draw(mutated(draw(st.sampled_from(TEXTS))))
    if draw(st.booleans()):  # lines run together, as text copied from a web page
        text = text.replace("\n", draw(st.sampled_from(["", " ", "\t", "\r\n", "\u3000"])))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    data = text.encode(encoding, "replace" if encoding != "utf-8" else "surrogatepass")
    if draw(st.integers(0, 9)) == 0:
        at = position(draw, len(data))
        data = data[:at] + draw(st.binary(max_size=16)) + data[at:]
    return data


@budget("import-txt")
@given(data=text_files())
def test_fuzz_import_text(tmp_path_factory, data):
    with logged("import-txt"):
        imported(tmp_path_factory, "来文.txt", data)


# -- Word ------------------------------------------------------------------------------------------

PARAGRAPHS = ["松原市安全生产委员会关于印发某某方案的通知", "一、总体要求", "（一）加强领导。", "1.着力推进达标工作。",
              "（责任单位：市应急管理局；完成时限：2025年6月底前）", "附件：任务分工表", "松原市安全生产委员会", "2025年3月1日"]


def base_docx() -> bytes:
    document = docx.Document()
    for text in PARAGRAPHS:
        document.add_paragraph(text)
    table = document.add_table(rows=3, cols=4)
    for r, row in enumerate([["序号", "工作任务", "责任单位", "完成时限"], ["1", "排查隐患", "市应急管理局", "2025年底前"],
                             ["2", "开展培训", "市人社局", "2025年9月底前"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


BASE_DOCX = base_docx()
DOC = "word/document.xml"
#: XML a hostile or broken Word file may hold, inserted before the body's section properties.
BODY_XML = st.sampled_from([
    b'<w:p><w:pPr><w:numPr><w:ilvl w:val="9"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>x</w:t></w:r></w:p>',
    b'<w:p><w:pPr><w:numPr><w:ilvl w:val="-3"/><w:numId w:val="x"/></w:numPr></w:pPr><w:r><w:t>x</w:t></w:r></w:p>',
    b'<w:p><w:pPr><w:jc w:val="sideways"/><w:pStyle w:val="nope"/></w:pPr><w:r><w:rPr><w:b w:val="maybe"/></w:rPr>'
    b'<w:t>x</w:t></w:r></w:p>',
    b'<w:tbl><w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>',
    b'<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="99999"/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>',
    b'<w:tbl><w:tr><w:trPr><w:gridBefore w:val="3"/></w:trPr><w:tc><w:tcPr><w:gridSpan w:val="x"/></w:tcPr><w:p/>'
    b'</w:tc></w:tr></w:tbl>',
    b"<w:tbl>" * 60 + b"<w:tr><w:tc><w:p/></w:tc></w:tr>" + b"</w:tbl>" * 60,
    b"<w:tbl>" + b"<w:tr><w:tc><w:p/></w:tc></w:tr>" * 300 + b"</w:tbl>",
    b"<w:p><w:r><w:t>" + "序号\t工作任务\u0085\u2028".encode() + b"</w:t></w:r></w:p>",
    b'<w:p><w:r><w:t xml:space="preserve">  \xe3\x80\x80 </w:t><w:br/><w:tab/></w:r></w:p>',
    b"<w:sectPr><w:pgSz w:w=\"99999999999\" w:h=\"-1\" w:orient=\"landscape\"/></w:sectPr>",
])
NUMBERING_XML = st.sampled_from([
    b'<w:num w:numId="1"/>',
    b'<w:num w:numId="1"><w:abstractNumId w:val="404"/></w:num>',
    b'<w:abstractNum w:abstractNumId="9"><w:lvl w:ilvl="12"><w:start w:val="-5"/><w:numFmt w:val="chineseCounting"/>'
    b'<w:lvlText w:val="%13%1%9"/><w:lvlRestart w:val="x"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="9"/></w:num>',
    b'<w:abstractNum w:abstractNumId="8"><w:lvl w:ilvl="0"><w:start w:val="99999999999999999999"/><w:numFmt w:val="decimalEnclosedCircle"/>'
    b'<w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="8"/>'
    b'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="0"/></w:lvlOverride></w:num>',
])


def rezip(data: bytes, edits: dict[str, object]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            part = old.read(info)
            change = edits.get(info.filename)
            new.writestr(info.filename, change(part) if callable(change) else part)
    return buffer.getvalue()


@st.composite
def word_files(draw) -> bytes:
    data = BASE_DOCX
    inserted = draw(st.lists(BODY_XML, max_size=3))
    numbering = draw(st.lists(NUMBERING_XML, max_size=2))
    if inserted or numbering:
        numbered = b'<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>y</w:t></w:r></w:p>'
        data = rezip(data, {
            DOC: lambda d: d.replace(b"<w:sectPr", numbered + b"".join(inserted) + b"<w:sectPr", 1),
            "word/numbering.xml": lambda d: d.replace(b"</w:numbering>", b"".join(numbering) + b"</w:numbering>")})
    if draw(st.booleans()):
        data = damaged_zip(draw, data)
    return data


def numbered(numbering: bytes, ilvl: int) -> bytes:
    """The base file with one paragraph numbered by `numbering` at level `ilvl` (issue 26 item 5)."""
    paragraph = b'<w:p><w:pPr><w:numPr><w:ilvl w:val="%d"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>y</w:t></w:r></w:p>'
    return rezip(BASE_DOCX, {DOC: lambda d: d.replace(b"<w:sectPr", paragraph % ilvl + b"<w:sectPr", 1),
                             "word/numbering.xml": lambda d: d.replace(b"</w:numbering>", numbering + b"</w:numbering>")})


LEVEL_9 = (b'<w:abstractNum w:abstractNumId="9"><w:lvl w:ilvl="9"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
           b'<w:lvlText w:val="%10."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="9"/></w:num>')


@budget("import-docx")
@given(data=word_files())
@example(data=numbered(LEVEL_9, 9))  # IndexError in Numbering.label
@example(data=numbered(b'<w:num w:numId="1"/>', 0))  # AttributeError: a w:num without w:abstractNumId
@example(data=rezip(BASE_DOCX, {DOC: lambda d: d.replace("一、总体要求".encode(), "一、总体\x01要求".encode())}))
def test_fuzz_import_word(tmp_path_factory, data):
    with logged("import-docx"):
        imported(tmp_path_factory, "来文.docx", data)


# -- PDF -------------------------------------------------------------------------------------------


LINES = ["Notice on the plan", "1. Inspect hazards.", "(Lead: Emergency Bureau; by June 2025)", "2. Train staff.",
         "Attachment 1", "No.  Task  Unit  Deadline", "2025-03-01", "- 3 -", "\\001\\033 control \\177\\000",
         "\\(unbalanced", "#&*!|>: {}[]"]
NUMBERS = st.sampled_from([b"0", b"595", b"842", b"-1", b"1e309", b"99999999999", b"/x", b"(a)", b"[]", b"null", b"0.5"])


@st.composite
def pdf_files(draw) -> bytes:
    shown = draw(st.lists(st.sampled_from(LINES), min_size=1, max_size=8))
    content = b"BT /F1 12 Tf " + b"".join(
        b"72 %d Td (%s) Tj " % (750 - 20 * i, line.encode()) for i, line in enumerate(shown)) + b"ET"
    if draw(st.booleans()):
        content += b"\n" + draw(st.sampled_from([b"0 0 m 100 100 l S", b"10 10 500 20 re S " * 5, b"q Q " * 50]))
    box = b"[%s %s %s %s]" % tuple(draw(NUMBERS) if draw(st.integers(0, 5)) == 0 else v
                                   for v in (b"0", b"0", b"595", b"842"))
    data = pdf(content, box, flate=draw(st.booleans()), pages=draw(st.integers(1, 3)))
    kind = draw(st.sampled_from(["none", "none", "truncate", "insert", "flip", "number"]))
    if kind == "truncate":
        data = data[: position(draw, len(data))]
    elif kind == "insert":
        at = position(draw, len(data))
        data = data[:at] + draw(st.one_of(st.binary(max_size=20), TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")))) + data[at:]
    elif kind == "flip":
        at = position(draw, len(data))
        data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1:]
    elif kind == "number":
        data = data.replace(b"/Count ", b"/Count " + draw(NUMBERS) + b" ", 1)
    return data


@budget("import-pdf")
@given(data=pdf_files())
@example(data=pdf(b"BT /F1 12 Tf 72 750 Td (x) Tj ET", b"[0 0 /abc (x)]"))  # a MediaBox of non-numbers (exit 3)
@example(data=pdf(b"BT /F1 12 Tf 72 750 Td (x) Tj ET\n" + b" " * (3 * 1024 * 1024), flate=True))  # counted past 1 MB
def test_fuzz_import_pdf(tmp_path_factory, data):
    with logged("import-pdf"):
        imported(tmp_path_factory, "来文.pdf", data)
