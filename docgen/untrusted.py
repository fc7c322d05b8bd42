"""Reading files other offices send back (ledgers, Word documents): explicit limits, safe XML.

A returned .xlsx or .docx is a zip of XML parts and may be broken or built to hurt: a cell at
XFD1048576, a part that unpacks to a gigabyte, an entity bomb, tables nested thousands deep. Before
a library opens such a file, docgen looks at it through this module:

- `Limits`: size on disk, size unpacked, rows, columns, cells, nesting and time, each with a
  default a user can raise (``--limit rows=50000`` or ``DOCGEN_LIMITS="rows=50000,time=120"``);
- `open_zip` checks the file's size and the sizes the zip declares before anything is unpacked,
  and recognises the files that are not zips at all (a renamed .xls, a password-protected
  workbook, which Office stores as an OLE2 compound file);
- `iter_xml` streams one part through defusedxml (no DTD entities, no external references),
  counting nesting depth and watching the clock; `scan_xml` does the same in one pass of expat
  with callbacks and no element objects (for parts that are only checked, such as a ledger's),
  refusing what defusedxml refuses with defusedxml's own exceptions;
- `check_size` bounds any file on disk (and refuses devices, pipes and folders), `read_bytes` reads one
  within that bound, and `check_pdf_streams` what a PDF unpacks to (a
  PDF's compressed streams are decompressed once, in bounded steps, before pdfminer decodes them
  whole: a 1 MB flate bomb is refused at the unpacked-size limit, not after taking gigabytes).

Failures are `Unreadable` (the file is broken or of another kind) and `LimitExceeded` (a limit
was reached); both carry a Chinese message saying what was found and what to do.
"""

from __future__ import annotations

import io
import os
import re
import signal
import stat
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError
from xml.parsers import expat

import olefile
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import iterparse

from docgen.errors import InputError

ENV = "DOCGEN_LIMITS"
_MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much of an untrusted file docgen is willing to read (see the module docstring)."""

    size: int = 20 * _MIB        # bytes on disk
    unpacked: int = 200 * _MIB   # bytes of all zip members together, as declared
    rows: int = 10_000           # rows of one sheet or table
    columns: int = 200           # columns of one sheet, grid columns of one table row
    cells: int = 200_000         # cells of one workbook or document
    depth: int = 200             # nesting of XML elements (nested tables)
    pages: int = 500             # pages of one PDF
    time: float = 60.0           # seconds for one file

    def with_text(self, text: str) -> Limits:
        """These limits changed by ``name=value,name=value`` (sizes may end in K, M or G)."""
        changes: dict[str, object] = {}
        for item in filter(None, (part.strip() for part in text.split(","))):
            name, sep, value = item.partition("=")
            name = name.strip().lower()
            if not sep or name not in LABELS:
                known = "、".join(LABELS)
                raise ValueError(f"看不懂限制“{item}”：应写作“名称=数值”，名称是 {known} 之一。")
            changes[name] = _number(name, value.strip(), item)
        return replace(self, **changes)

    @classmethod
    def from_environment(cls, extra: tuple[str, ...] = ()) -> Limits:
        """The defaults, changed by ``$DOCGEN_LIMITS`` and then by `extra` (``--limit`` options)."""
        limits = cls()
        for text in (os.environ.get(ENV, ""), *extra):
            limits = limits.with_text(text)
        return limits


#: Limit names as the user writes them, with the Chinese label used in messages.
LABELS = {"size": "文件大小", "unpacked": "解压后大小", "rows": "行数", "columns": "列数", "cells": "单元格数",
          "depth": "嵌套层数", "pages": "页数", "time": "读取时间（秒）"}
_SIZE = re.compile(r"^(\d+(?:\.\d+)?)\s*([KMG]i?B?|B)?$", re.IGNORECASE)


def _number(name: str, value: str, item: str) -> int | float:
    if name == "time":
        try:
            seconds = float(value)
        except ValueError:
            seconds = -1.0
        if not 0 < seconds < 1e6:
            raise ValueError(f"限制“{item}”不对：时间应是正的秒数，例如 time=120。")
        return seconds
    m = _SIZE.match(value)
    if not m or (m.group(2) and name not in ("size", "unpacked")):
        raise ValueError(f"限制“{item}”不对：应是正整数{'（可带 K、M、G）' if name in ('size', 'unpacked') else ''}。")
    scale = {"": 1, "b": 1, "k": 1024, "m": _MIB, "g": 1024 * _MIB}[(m.group(2) or "")[:1].lower()]
    number = int(float(m.group(1)) * scale)
    if number <= 0:
        raise ValueError(f"限制“{item}”不对：应大于 0。")
    return number


def _shown(name: str, value: int | float) -> str:
    if name in ("size", "unpacked"):
        return f"{value / _MIB:.1f} MB" if value >= _MIB else f"{value} 字节"
    if name == "time":
        return f"{value:g}"
    return str(value)


class Unreadable(InputError):
    """The file is broken or not of the expected kind; `message` is Chinese, `part` the zip member. Exit 2."""

    def __init__(self, message: str, part: str = "", line: int = 0, column: int = 0):
        super().__init__(message)
        self.message, self.part, self.line, self.column = message, part, line, column


class LimitExceeded(InputError):
    """A limit of `Limits` was reached; the message names it and how to raise it. Exit 2."""

    def __init__(self, name: str, limit: int | float, found: str):
        self.name, self.limit = name, limit
        super().__init__(
            f"超过了{LABELS[name]}的限制（{_shown(name, limit)}）：{found}。这样的文件不像正常填写的文件，"
            f"docgen 没有读取；确属正常时可以放宽限制，例如 --limit {name}=… 或环境变量 {ENV}=\"{name}=…\"。")
        self.message = str(self)


# -- time ------------------------------------------------------------------------------------------


class Deadline:
    """The time one file may take; `check()` raises `LimitExceeded` once it has passed."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise LimitExceeded("time", self.seconds, f"读取超过了 {self.seconds:g} 秒")

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Interrupt code that cannot call `check()` (a library reading the file) when time runs out.

        Uses a timer signal, so only in the main thread on POSIX; elsewhere the limits on size,
        rows and cells checked beforehand are what bounds the time.
        """
        usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
        if not usable or signal.getitimer(signal.ITIMER_REAL)[0]:
            yield
            return

        def expired(signum, frame):
            raise LimitExceeded("time", self.seconds, f"读取超过了 {self.seconds:g} 秒")

        previous = signal.signal(signal.SIGALRM, expired)
        signal.setitimer(signal.ITIMER_REAL, max(self.end - time.monotonic(), 0.001))
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


# -- the container ---------------------------------------------------------------------------------

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _ole_kind(path: Path) -> str:
    """Why an OLE2 compound file is not an Office Open XML file, in the drafter's words."""
    try:
        with olefile.OleFileIO(str(path)) as ole:
            if ole.exists("EncryptedPackage") or ole.exists("EncryptionInfo"):
                return "encrypted"
            if ole.exists("Workbook") or ole.exists("Book"):
                return "xls"
            if ole.exists("WordDocument"):
                return "doc"
    except Exception:  # noqa: BLE001 - a broken OLE file is just "old format" to the user
        pass
    return "ole"


OLE_MESSAGES = {
    "encrypted": "文件设置了打开密码（已加密），docgen 无法读取。请在 Excel 或 WPS 中取消密码（文件→信息→保护工作簿/"
                 "文档加密）后重新保存再报送",
    "xls": "这是旧版 Excel 97-2003 工作簿（.xls）改成了 .xlsx 扩展名。请在 Excel 或 WPS 中打开，另存为"
           "“Excel 工作簿（*.xlsx）”后再报送",
    "doc": "这是旧版 Word 97-2003 文档（.doc）改成了新的扩展名。请在 Word 或 WPS 中另存为 .docx",
    "ole": "这是旧版 Office 97-2003 格式的文件，不是 .xlsx/.docx。请另存为新格式",
}


def open_zip(path: Path, limits: Limits, kind: str = "Office 文件", data: bytes | None = None) -> zipfile.ZipFile:
    """`path` opened as a zip after checking its size, its type and the sizes it declares; from
    `data` when given (the file's bytes, read by `read_bytes`), so that what is checked is exactly
    what a reader handed the same bytes later reads.

    Raises `Unreadable` (not a zip, an old or encrypted Office file, a broken zip) or
    `LimitExceeded` (too big on disk or once unpacked, too many members).
    """
    if data is None:
        check_size(path, limits)
        try:
            with path.open("rb") as f:
                head = f.read(8)
        except OSError as exc:
            raise Unreadable(f"无法打开文件：{exc.strerror or exc}") from None
    else:
        head = data[:8]
    if head.startswith(OLE_MAGIC):
        raise Unreadable(OLE_MESSAGES[_ole_kind(path)])
    if not head.startswith(b"PK"):
        raise Unreadable(f"不是 {kind}（文件开头不是 zip 格式）")
    try:
        archive = zipfile.ZipFile(path if data is None else io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise Unreadable(f"不是完整的 {kind}（zip 结构损坏：{exc}）") from None
    members = archive.infolist()
    if len(members) > limits.cells:
        archive.close()
        raise LimitExceeded("cells", limits.cells, f"压缩包中有 {len(members)} 个文件")
    total = sum(m.file_size for m in members)
    if total > limits.unpacked:
        archive.close()
        raise LimitExceeded("unpacked", limits.unpacked, f"解压后共有 {_shown('unpacked', total)}")
    return archive


def read_member(archive: zipfile.ZipFile, name: str, limits: Limits) -> bytes:
    """One member's bytes, never more than it declares (zipfile stops there and checks the CRC)."""
    try:
        info = archive.getinfo(name)
        if info.file_size > limits.unpacked:
            raise LimitExceeded("unpacked", limits.unpacked, f"{name} 解压后有 {_shown('unpacked', info.file_size)}")
        with archive.open(info) as f:
            data = f.read(limits.unpacked + 1)
    except KeyError:
        raise Unreadable(f"缺少 {name}", name) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError) as exc:
        raise Unreadable(f"{name} 已损坏，无法解压（{exc}）", name) from None
    if len(data) > limits.unpacked:
        raise LimitExceeded("unpacked", limits.unpacked, f"{name} 解压后超过了声明的大小")
    return data


# -- XML -------------------------------------------------------------------------------------------


class _Chunks:
    """A file-like view of bytes for iterparse."""

    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.pos + size
        chunk = self.data[self.pos:end]
        self.pos += len(chunk)
        return chunk


def iter_xml(data: bytes, part: str, limits: Limits, deadline: Deadline) -> Iterator[tuple[str, Element, int]]:
    """(event, element, depth) for the ``start`` and ``end`` events of one XML part, streamed through
    defusedxml. Raises `Unreadable` for broken XML or entity declarations, `LimitExceeded` for
    nesting deeper than ``limits.depth`` or time running out."""
    depth = 0
    count = 0
    try:
        for event, element in iterparse(_Chunks(data), events=("start", "end"), forbid_dtd=True):
            count += 1
            if not count % 2048:
                deadline.check()
            if event == "start":
                depth += 1
                if depth > limits.depth:
                    raise LimitExceeded("depth", limits.depth, f"{part} 中的元素嵌套超过 {limits.depth} 层")
                yield event, element, depth
            else:
                yield event, element, depth
                depth -= 1
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise Unreadable(f"{part} 第 {line} 行第 {column + 1} 列的 XML 不完整或格式错误（{_reason(exc)}）",
                         part, line, column + 1) from None
    except (EntitiesForbidden, DTDForbidden, ExternalReferenceForbidden):
        raise Unreadable(f"{part} 含有 XML 文档类型或实体声明（DOCTYPE/ENTITY），Office 不会写出这样的文件，"
                         "可能是恶意构造的，docgen 不读取", part) from None
    except DefusedXmlException as exc:
        raise Unreadable(f"{part} 含有不安全的 XML（{exc}），docgen 不读取", part) from None


def _refuse_dtd(name, sysid, pubid, has_internal_subset):
    raise DTDForbidden(name, sysid, pubid)


def _refuse_entity(name, is_parameter_entity, value, base, sysid, pubid, notation_name):
    raise EntitiesForbidden(name, value, base, sysid, pubid, notation_name)


def _refuse_unparsed_entity(name, base, sysid, pubid, notation_name):
    raise EntitiesForbidden(name, None, base, sysid, pubid, notation_name)


def _refuse_external(context, base, sysid, pubid):
    raise ExternalReferenceForbidden(context, base, sysid, pubid)


def _refusing_parser() -> expat.XMLParserType:
    """An expat parser (namespaces split with ``}``) that refuses DTDs, entities and external references."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_entity
    parser.UnparsedEntityDeclHandler = _refuse_unparsed_entity
    parser.ExternalEntityRefHandler = _refuse_external
    return parser


def expat_pass(data: bytes, part: str, start, end, text=None) -> None:
    """One pass of expat over `data` with raw handlers: ``start(name, attributes)``, ``end(name)``
    and ``text(characters)``, names as ``namespace}local``. The refusals and messages of
    `scan_xml`; the handlers themselves must count the nesting depth (`depth_exceeded`) and
    watch the clock, as `scan_xml` does. For the few parts where a handler per element in
    between costs more than the parse (a worksheet's cells)."""
    parser = _refusing_parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    _parse(parser, data, part)


def depth_exceeded(part: str, limits: Limits) -> LimitExceeded:
    """The refusal of an element nested deeper than ``limits.depth`` in `part`."""
    return LimitExceeded("depth", limits.depth, f"{part} 中的元素嵌套超过 {limits.depth} 层")


def _parse(parser, data: bytes, part: str) -> None:
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        line, column = exc.lineno, exc.offset
        raise Unreadable(f"{part} 第 {line} 行第 {column + 1} 列的 XML 不完整或格式错误（{_reason(exc)}）",
                         part, line, column + 1) from None
    except (EntitiesForbidden, DTDForbidden, ExternalReferenceForbidden):
        raise Unreadable(f"{part} 含有 XML 文档类型或实体声明（DOCTYPE/ENTITY），Office 不会写出这样的文件，"
                         "可能是恶意构造的，docgen 不读取", part) from None


def scan_xml(data: bytes, part: str, limits: Limits, deadline: Deadline, start=None, end=None, text=None) -> None:
    """Parse one XML part in a single pass of expat, as `iter_xml` checks it (the same refusals,
    messages and limits) but without building elements: ``start(name, attributes, depth)``,
    ``end(name, depth)`` and ``text(characters)`` are called when given. Names are local
    (namespace dropped); attribute names keep theirs as ``namespace}name``. Like defusedxml with
    ``forbid_dtd=True``, a document type declaration, an entity declaration or an external
    reference stops the parse with defusedxml's exception, reported as `Unreadable`."""
    parser = _refusing_parser()
    depth = 0
    count = 0
    most = limits.depth

    def on_start(name: str, attributes: dict) -> None:
        nonlocal depth, count
        depth += 1
        count += 1
        if depth > most:
            raise depth_exceeded(part, limits)
        if not count & 2047:
            deadline.check()
        if start is not None:
            start(name.rpartition("}")[2], attributes, depth)

    def on_end(name: str) -> None:
        nonlocal depth
        depth -= 1

    def on_end_calling(name: str) -> None:
        nonlocal depth
        end(name.rpartition("}")[2], depth)
        depth -= 1

    parser.StartElementHandler = on_start
    parser.EndElementHandler = on_end if end is None else on_end_calling
    if text is not None:
        parser.CharacterDataHandler = text
    _parse(parser, data, part)


_EXPAT = {"no element found": "文件在中途截断", "unclosed token": "文件在中途截断",
          "mismatched tag": "标签不配对", "not well-formed (invalid token)": "含有非法字符",
          "junk after document element": "根元素之后还有内容", "syntax error": "语法错误",
          "reference to invalid character number": "含有非法字符", "undefined entity": "引用了未定义的实体",
          "unbound prefix": "使用了未声明的命名空间前缀", "duplicate attribute": "同一属性写了两次",
          "XML or text declaration not at start of entity": "XML 声明不在文件开头",
          "unknown encoding": "编码无法识别", "encoding specified in XML declaration is incorrect": "XML 声明的编码不对"}


def _reason(exc: ParseError | expat.ExpatError) -> str:
    text = str(exc).split(":")[0]
    return _EXPAT.get(text, text)


def check_size(path: Path, limits: Limits) -> int:
    """The size of `path` on disk, within ``limits.size`` (`LimitExceeded` otherwise, `Unreadable`
    when it cannot be read)."""
    try:
        info = path.stat()
    except OSError as exc:
        raise Unreadable(f"无法打开文件：{exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        # a device (/dev/zero), a pipe or a folder: reading it would never end or means nothing
        raise Unreadable("不是普通文件（是设备、管道或文件夹），无法读取。请给出要读取的文件本身。")
    if info.st_size > limits.size:
        raise LimitExceeded("size", limits.size, f"文件有 {_shown('size', info.st_size)}")
    return info.st_size


def read_bytes(path: Path, limits: Limits) -> bytes:
    """The bytes of the regular file `path`, within ``limits.size`` even when the file grows while
    it is read (`Unreadable`, `LimitExceeded` as `check_size`)."""
    check_size(path, limits)
    try:
        with path.open("rb") as f:
            data = f.read(limits.size + 1)
    except OSError as exc:
        raise Unreadable(f"无法打开文件：{exc.strerror or exc}") from None
    if len(data) > limits.size:
        raise LimitExceeded("size", limits.size, f"文件超过 {_shown('size', limits.size)}")
    return data


# -- PDF streams -----------------------------------------------------------------------------------

#: The keyword that opens a stream, after its dictionary (``<< … >> stream``), as PDF writes it.
_STREAM = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_LZW = re.compile(rb"/LZWDecode|/LZW\b")
_STEP = 1 << 16


def check_pdf_streams(data: bytes, limits: Limits, deadline: Deadline) -> int:
    """The bytes the compressed streams of a PDF (`data`, the whole file) unpack to, counted in
    bounded steps; `LimitExceeded` once the total passes ``limits.unpacked``.

    Every ``stream`` keyword starts a candidate: a flate stream (the common filter, and the one zip
    bombs use) is inflated in 64 KB steps of input with the output capped at what is left of the
    budget; an LZW stream (its dictionary, just before the keyword, names /LZWDecode) is decoded
    chunk by chunk. What is not a valid stream of either kind is left to the PDF reader: it counts
    for nothing here.
    """
    budget = limits.unpacked
    total = 0
    end = -1
    view = memoryview(data)  # slices of it copy nothing
    lzw = _LZW.search(data) is not None
    for n, m in enumerate(_STREAM.finditer(data)):
        if not n % 256:
            deadline.check()
        start = m.end()
        if end < start:  # the next "endstream" once, however many "stream" words come before it
            end = data.find(b"endstream", start)
            end = len(data) if end < 0 else end
        head = data[max(0, m.start() - 512):m.start()] if lzw else b""
        if lzw and _LZW.search(head[head.rfind(b"obj") + 1:]):
            total += _lzw_size(data[start:end], budget - total, deadline)
        elif start + 1 < end and data[start] & 0x0F == 8 and (data[start] * 256 + data[start + 1]) % 31 == 0:
            total += _flate_size(view, start, end, budget - total, deadline)  # a zlib header: deflate
        if total > budget:
            raise LimitExceeded("unpacked", budget, f"PDF 中压缩的内容解压后超过 {_shown('unpacked', budget)}")
    return total


def _flate_size(data: memoryview, start: int, end: int, left: int, deadline: Deadline) -> int:
    inflate = zlib.decompressobj()
    size = 0
    try:
        for at in range(start, end, _STEP):
            chunk = data[at:min(at + _STEP, end)]
            while chunk and not inflate.eof:  # (after the end, what follows stays in unconsumed_tail)
                out = inflate.decompress(chunk, max(min(left - size + 1, 16 * _STEP), 1))
                size += len(out)
                if size > left:
                    return size
                chunk = inflate.unconsumed_tail
                deadline.check()
            if inflate.eof:
                break
    except zlib.error:
        pass  # not a flate stream, or a damaged one: what it gave so far is counted
    return size


def _lzw_size(raw: bytes, left: int, deadline: Deadline) -> int:
    import io

    from pdfminer.lzw import LZWDecoder

    size = 0
    try:
        for n, chunk in enumerate(LZWDecoder(io.BytesIO(raw)).run()):
            size += len(chunk)
            if size > left:
                break
            if not n % 4096:
                deadline.check()
    except LimitExceeded:
        raise
    except Exception:  # noqa: BLE001 - a damaged LZW stream is the PDF reader's to report
        pass
    return size


def local(tag: str) -> str:
    """The local name of a ``{namespace}name`` tag."""
    return tag.rsplit("}", 1)[-1]

