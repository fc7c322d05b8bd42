"""The import job: received documents -> blocks -> outline -> plan YAML, then checked like any plan.

`import_documents(files, settings, out=…)` reads every file (the first is the document, later
ones are parts sent separately, such as a 任务分工表), recovers the plan, matches its units
against the registry, writes the plan (schema header, `来源: 上级来文`, a comment per task naming
its source) and checks it. Nothing is written when the files cannot be read.

The files come from outside and are read within `docgen.untrusted.Limits` (``--limit`` and
``DOCGEN_LIMITS``, as for returned ledgers): size, unpacked size, nesting, pages, paragraphs and
cells, and the time reading and recovering the document may take. A file past a limit or broken is
a DG700 finding naming what was found and how to raise the limit; nothing is written.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from docgen.cascade.yamltext import dump_edited, header_lines
from docgen.codes import ingest as codes
from docgen.config import Settings
from docgen.errors import UsageError
from docgen.files import atomic_write, output_file
from docgen.ingest import docx as docx_reader
from docgen.ingest import embedded, office, proposal, recover
from docgen.ingest import pdf as pdf_reader
from docgen.ingest import text as text_reader
from docgen.ingest.blocks import Document, Line
from docgen.ingest.docx import Unreadable
from docgen.ingest.emit import Emitter
from docgen.ingest.units import Matcher
from docgen.problems import Location, Problem, Severity, display_path
from docgen.resources import schema_path
from docgen.untrusted import Deadline, LimitExceeded, Limits

SUFFIXES = (".docx", ".pdf", ".txt") + office.SUFFIXES
KINDS = ("实施方案", "工作要点", "工作意见", "实施意见", "通知", "通报", "挂牌督办通知")




@dataclass
class Gap:
    task_id: str
    lead: str
    where: str
    missing: list[str]


@dataclass
class ImportOutcome:
    written: Path | None = None
    problems: list[Problem] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    sections: int = 0
    tasks: int = 0
    with_units: int = 0
    with_deadline: int = 0
    unreadable: bool = False
    #: The proposed registry written with `propose`.
    proposed: Path | None = None
    #: The forwarded documents (attachments of text) written as plans of their own.
    attached: list[Path] = field(default_factory=list)


def read_document(path: Path, limits: Limits | None = None) -> Document:
    """The blocks of one file, by its format; `Unreadable` when it cannot be read, `LimitExceeded`
    past one of `limits`."""
    limits = limits or Limits.from_environment()
    suffix = path.suffix.lower()
    readers = {".docx": docx_reader.read, ".pdf": pdf_reader.read, ".txt": text_reader.read}
    reader = readers.get(suffix) or (office.read if suffix in office.SUFFIXES else None)
    if reader is not None:
        document = reader(path, limits)
        _refuse_garbled(document)
        return document
    raise UsageError(f"{path.name}：docgen 不能导入 {suffix or '没有扩展名的'}文件。"
                           f"可以导入 {'、'.join(SUFFIXES)}。")


#: Below this share (half) of the characters a Chinese document is made of (GB2312's, which holds the 6,763
#: common 汉字, and ASCII), a file's text is not Chinese prose but bytes read in the wrong way: a
#: damaged file, or one that LibreOffice opened as text in some encoding.
GARBLED_BELOW = 0.5
_SAMPLE = 20_000


def _refuse_garbled(document: Document) -> None:
    """`Unreadable` when the text read is mostly characters no Chinese document is written in."""
    sample: list[str] = []
    size = 0
    for block in document.blocks:
        texts = [block.text] if isinstance(block, Line) else [c for row in block.rows for c in row]
        for text in texts:
            sample.append(text)
            size += len(text)
        if size >= _SAMPLE:
            break
    chars = [c for c in "".join(sample)[:_SAMPLE] if not c.isspace()]
    if len(chars) < 20:
        return
    ordinary = sum(1 for c in chars if c.isascii() or _gb2312(c))
    if ordinary < GARBLED_BELOW * len(chars):
        raise Unreadable(f"读出的文字大多是乱码（{len(chars)} 个字符中只有 {ordinary} 个是常用汉字、标点或英文字母），"
                         "文件可能已损坏，或不是 Word、WPS、PDF 或文本格式的公文。请向发文单位重新索取文件。")


def _gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _line_of(where: str) -> int:
    numbers = re.findall(r"\d+", where)
    return int(numbers[-1]) if numbers else 1


def _problem(code, name: str, where: str, message: str) -> Problem:
    return code.problem(f"（{where}）{message}", Location(name, _line_of(where)))


def _issuer(outline: recover.Outline, registry) -> tuple[str, str]:
    """The 发文机关 as registered, from the 发文机关标志, signature, 印发机关 or the title;
    (name, how): how is "" when found as written, "title" when taken from the organisation the
    title names, "unknown" when not registered."""
    names = registry.issuer_names()
    for name in names:
        issuer = registry.issuer(name)
        if outline.mark and issuer and issuer.mark == outline.mark:
            return name, ""
    for candidate in (outline.signature, outline.mark[:-2] if outline.mark.endswith("文件") else outline.mark,
                      outline.printer):
        if candidate and candidate in names:
            return candidate, ""
    guess = outline.signature or (outline.mark[:-2] if outline.mark.endswith("文件") else outline.mark)
    if guess:
        return guess, "unknown"
    # no 版头 and no signature (a 工作要点 copied from a web page): the organ the title starts with
    # ("澄湖市石桥区人民政府关于…"), else the organisation it names ("枫林街道2026年…") and its first organ
    title = outline.notice_title or outline.title
    named = [n for n in names if title.startswith(n)]
    if named:
        return max(named, key=len), ""
    if outline.publisher:  # a web copy: the publisher its publication details name
        return outline.publisher, "web" if outline.publisher in names else "unknown"
    orgs = [org for org in registry.orgs.values() if org.issuers and any(
        title.startswith(written) for written in _written_names(org, registry))]
    if orgs:
        return max(orgs, key=lambda org: len(org.name)).issuers[0].name, "title"
    return "（发文机关未识别）", "unknown"


def _written_names(org, registry) -> list[str]:
    """How a title may name `org`: 枫林街道, 石桥区枫林街道, 澄湖市石桥区枫林街道."""
    out, name, parent = [], org.name, org.parent
    out.append(name)
    while parent and parent in registry.orgs and len(out) < 4:
        name = parent + name
        out.append(name)
        parent = registry.orgs[parent].parent
    return out


def import_documents(files: list[Path], settings: Settings, out: Path | None = None, kind: str | None = None,
                     base: Path | None = None, progress=None, propose: Path | None = None,
                     limits: Limits | None = None) -> ImportOutcome:
    """Import `files` (the first one the document, the others appended) into one received plan.

    `progress(done, total, label)` is told of each file read and of the checking of the result.
    """
    base = base or Path.cwd()
    limits = limits or Limits.from_environment()
    tick = progress or (lambda done, total, label=None: None)
    outcome = ImportOutcome()
    if out is not None:
        output_file(out)  # a symlink loop is refused before anything is read
    for f in files:
        if f.suffix.lower() not in SUFFIXES:
            raise UsageError(f"{display_path(f, base)}：docgen 不能导入 {f.suffix or '没有扩展名的'}文件。"
                                   f"可以导入 {'、'.join(SUFFIXES)}。")
    documents: list[tuple[str, Document]] = []
    for done, f in enumerate(files, start=1):
        name = display_path(f, base)
        try:
            documents.append((name, read_document(f, limits)))
        except (Unreadable, LimitExceeded) as exc:
            outcome.problems.append(codes.ImportUnreadable.problem(f"{exc}", Location(name)))
            outcome.unreadable = True
        tick(done, len(files), "读取")
    if outcome.unreadable:
        return outcome
    main_name, document = documents[0]
    for name, extra in documents[1:]:
        document.blocks.extend(extra.blocks)
        document.closing.extend(extra.closing)
    deadline = Deadline(limits.time)
    try:
        with deadline.guard():
            outline = recover.recover(document, kind)
    except LimitExceeded as exc:
        outcome.problems.append(codes.ImportUnreadable.problem(
            f"整理原文的结构时{exc}", Location(main_name)))
        outcome.unreadable = True
        return outcome
    source_name = main_name
    for code_name, where, message in outline.findings:
        outcome.problems.append(_problem(codes.BY_FINDING[code_name], source_name, where, message))

    from docgen.checked import Loaded, load_registry

    loaded = Loaded()  # keeps the registry's files and findings for checking the imported plan
    registered = load_registry(settings, loaded, base)  # once: units are matched and the plan checked with it
    registry = registered.registry
    data, emitter, found = _emit(outline, registry, source_name)
    outcome.problems.extend(found)

    target = out or base / f"{files[0].stem}.yaml"
    outcome.gaps = [Gap(*g) for g in emitter.gaps]
    schema_ref = _schema_ref(target)
    carried = embedded.find(files[0]) if len(files) == 1 and files[0].suffix.lower() in (".docx", ".pdf") else None
    if carried is not None:
        refused = [p for p in _check_text(carried.text, target, settings, base, loaded, registered)
                   if p.code.startswith("DG0") and p.severity is Severity.ERROR]
        if refused:  # a damaged or crafted part: the printed text is all there is
            outcome.problems.append(codes.PrintedTextEdited.problem(
                f"文件中保存的方案无法读取（{refused[0].message}），已按打印的文字导入。", Location(source_name)))
            carried = None
    if carried is not None and not carried.unchanged:
        embedded.carry(data, carried.text)  # the printed text wins; ids and periods come from the plan
    header = _header(schema_ref, [display_path(f, base) for f in files], outcome.gaps, edited=carried is not None)
    text = header_lines(header) + dump_edited(data)
    if carried is not None and carried.unchanged:
        # docgen's own document, as docgen printed it: the plan it was printed from, exactly
        text = carried.text
        outcome.gaps = []
        outcome.problems = [codes.PlanRestored.problem(
            "这是 docgen 排出的文件，打印的文字没有改动：已按文件中保存的方案原样还原（任务编号、上级任务、"
            "实施期限都与原方案相同）。", Location(source_name))]
    elif carried is not None:
        outcome.problems.extend(_edits(carried.text, text, source_name, settings))
    outcome.tasks = emitter.counter
    tasks = outline.tasks()
    outcome.sections = len(outline.sections())
    outcome.with_units = sum(1 for g in tasks) - sum(1 for g in outcome.gaps if "责任单位" in g.missing)
    outcome.with_deadline = sum(1 for g in tasks) - sum(1 for g in outcome.gaps if "完成时限" in g.missing)

    def check(text: str, path: Path) -> list[Problem]:
        checked = _check_text(text, path, settings, base, loaded, registered)
        broken = [p for p in checked if p.code.startswith("DG0") and p.severity is Severity.ERROR]
        if broken:  # the emitter wrote something the schema refuses: a bug, never a partial file
            raise RuntimeError("imported plan does not validate: " + "; ".join(p.message for p in broken))
        return checked

    tick(0, 1, "检查")
    checked = check(text, target)
    forwarded = [] if carried is not None and carried.unchanged else \
        _forwarded(outline, target, registry, source_name, schema_ref, check)
    tick(1, 1, "检查")
    if propose is not None:
        output_file(propose)
        proposed = proposal.propose(data, outline.mark)
        ref = Path(os.path.relpath(schema_path("registry"), propose.resolve().parent)).as_posix()
        atomic_write(propose, header_lines(f"yaml-language-server: $schema={ref}\n") + dump_edited(proposed))
        outcome.proposed = propose
    atomic_write(target, text)
    for path, sub_text, problems in forwarded:
        atomic_write(path, sub_text)
        outcome.attached.append(path)
        outcome.problems.extend(problems)
    outcome.written = target
    outcome.problems = outcome.problems + checked
    return outcome


def _emit(outline: recover.Outline, registry, source_name: str):
    """The plan data of `outline` with its units matched against `registry`: (data, emitter,
    findings about the issuer and the units)."""
    problems: list[Problem] = []
    issuer, how = _issuer(outline, registry)
    if how == "unknown":
        problems.append(_problem(
            codes.StructureNotFound, source_name, outline.where.get("标题", "第1段"),
            f"发文机关“{issuer}”不在单位库中，责任单位无法与单位库对照；请在方案中改正“发文机关”或在单位库中登记。"))
    elif how == "web":
        problems.append(_problem(
            codes.StructureNotFound, source_name, outline.where.get("标题", "第1段"),
            f"原文没有发文机关标志和署名，发文机关按网页的发布信息取为“{issuer}”；请核对。"))
    elif how == "title":
        problems.append(_problem(
            codes.StructureNotFound, source_name, outline.where.get("标题", "第1段"),
            f"原文没有发文机关标志和署名，发文机关按标题所称的组织取为“{issuer}”；请核对。"))
    matcher = Matcher(registry, registry.organisation_of(issuer))
    emitter = Emitter(outline, matcher, issuer)
    data = emitter.plan()
    for where, message in emitter.unassigned:
        problems.append(_problem(codes.StructureNotFound, source_name, where, message))
    for name in matcher.unknown:
        problems.append(codes.UnitNotRegistered.problem(
            f"单位“{name}”与单位库中的名称都对不上，已按原文保留。{registry.suggest(matcher.org, name) if matcher.org else ''}",
            Location(source_name)))
    for name, (unit, rule) in matcher.changed.items():
        problems.append(codes.UnitRenamed.problem(
            f"原文的“{name}”按{rule}对应为单位库中的“{unit}”，请核对。", Location(source_name)))
    return data, emitter, problems


def _forwarded(outline: recover.Outline, target: Path, registry, source_name: str, schema_ref: str,
               check) -> list[tuple[Path, str, list[Problem]]]:
    """Each attachment of text (the document a 转发通知 forwards) recovered and written as a received
    plan of its own beside `target` (NAME-附件1.yaml …): (path, text, findings)."""
    out = []
    texts = [a for a in outline.attachments if a.blocks]
    for n, att in enumerate(texts, start=1):
        document = Document([Line(att.title, att.where), *att.blocks]) if att.title else Document(list(att.blocks))
        sub = recover.recover(document)
        problems = [_problem(codes.BY_FINDING[code], source_name, where, message)
                    for code, where, message in sub.findings]
        data, emitter, found = _emit(sub, registry, source_name)
        path = target.with_name(f"{target.stem}-附件{n if len(texts) > 1 else ''}.yaml")
        gaps = [Gap(*g) for g in emitter.gaps]
        text = header_lines(_header(schema_ref, [f"{source_name} 的附件“{att.title}”"], gaps)) + dump_edited(data)
        out.append((path, text, problems + found + check(text, path)))
    return out


def _edits(carried: str, printed: str, source_name: str, settings: Settings) -> list[Problem]:
    """One DG708 finding per difference between the plan a document carries and the plan read from
    its printed text (as `docgen diff` names them)."""
    import tempfile

    from docgen.diff import DiffError, compare
    from docgen.diff.sources import load_files

    with tempfile.TemporaryDirectory(prefix="docgen-import-") as tmp:
        old, new = Path(tmp) / "保存的方案.yaml", Path(tmp) / "打印的文字.yaml"
        old.write_text(carried, encoding="utf-8")
        new.write_text(printed, encoding="utf-8")
        try:
            loaded = load_files([old, new], Path(tmp), settings)
        except DiffError:
            loaded = {}
        if loaded.get(old) is None or loaded.get(new) is None:
            return [codes.PrintedTextEdited.problem(
                "这是 docgen 排出的文件，但排版后被改过，文件中保存的方案无法与打印的文字逐项比较；"
                "已按打印的文字导入，请核对。", Location(source_name))]
        changes = compare(loaded[old], loaded[new])
    return [codes.PrintedTextEdited.problem(
        f"这是 docgen 排出的文件，排版后被改过（以打印的文字为准）：{change.summary}。", Location(source_name))
        for change in changes]


def _check_text(text: str, target: Path, settings: Settings, base: Path, loaded, registered) -> list[Problem]:
    """Check the plan text as if it were written at `target` (its folder, its name in findings),
    with the registry `registered` already loaded into `loaded`: `docgen check`'s own run
    (`docgen.checked.check_files`), the text read in place of the file."""
    from docgen.checked import check_files

    loaded.unsaved[target.resolve()] = text
    return check_files([target], settings, loaded, base, registered)[1]


def _schema_ref(target: Path) -> str:
    import os

    try:
        return Path(os.path.relpath(schema_path("plan"), target.resolve().parent)).as_posix()
    except ValueError:
        return schema_path("plan").as_posix()


def _header(schema_ref: str, sources: list[str], gaps: list[Gap], edited: bool = False) -> str:
    lines = [f"yaml-language-server: $schema={schema_ref}", ""]
    if edited:
        lines += [f"由 docgen import 从 {'、'.join(sources)} 导入。这是 docgen 排出的文件，排版后被改过：按打印的文字导入，",
                  "任务编号、上级任务和实施期限取自文件中保存的方案；每处改动都报告为 DG708。"]
    else:
        lines += [f"由 docgen import 从 {'、'.join(sources)} 导入（来源: 上级来文）。每个任务后的注释指明它在原文中的位置。",
                  "任务编号由导入时按顺序编排；起草本级方案时可用 docgen cascade 生成下级方案草稿。"]
    if gaps:
        lines += ["", f"原文没有写明的责任单位和完成时限（{len(gaps)} 项任务，起草本级方案时请补上）：",
                  "编号 | 任务 | 原文位置 | 缺少"]
        lines += [f"{g.task_id} | {g.lead} | {g.where} | {'、'.join(g.missing)}" for g in gaps]
    return "\n".join(lines) + "\n"
