"""The render pipeline: check → compose → write .docx → PDF (optional) → publish.

`render(...)` reads top to bottom as the stages. A plan with errors stops everything before
anything is written; every file is produced in a staging folder inside the output folder and
moved into place only when all of them (PDFs included) are done, so a failed run leaves the
previous output untouched and no half-written file behind.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from docgen import load as loader
from docgen import planpart
from docgen.bulletin.model import is_bulletin
from docgen.checked import SourceCache, prepare_plans
from docgen.compose import ComposeError, kinds
from docgen.compose.bulletin import BulletinComposeError
from docgen.config import Settings
from docgen.errors import FindingsError, OutputError, UsageError
from docgen.files import reason
from docgen.model import Plan
from docgen.outfolder import FolderLock, staging_folder
from docgen.problems import Location, Problem, display_path
from docgen.project import project_folder
from docgen.registry import Registry
from docgen.render import pdf as pdf_stage
from docgen.render.docx import write
from docgen.render.errors import RenderError
from docgen.render.template import choose


class PlanErrors(FindingsError):
    """The plans cannot be rendered as written: check findings, or text compose refused."""

    def __init__(self, problems: list[Problem], findings: list[tuple[Location, str]]):
        super().__init__("方案有错误，没有生成文件。请先改正上面的问题（docgen check 可单独检查）。",
                         problems=problems)
        self.findings = findings


@dataclass
class Rendered:
    """What a run wrote, and the warnings of its check."""

    files: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class _Job:
    plan: Plan
    #: The .docx path relative to the output folder.
    output: Path


def render(paths: list[Path], settings: Settings, out_dir: Path, *, pdf: bool, base: Path | None = None,
           keep_folders: bool = False, timeout: float = pdf_stage.DEFAULT_TIMEOUT, progress=None,
           pdf_engine: str = pdf_stage.DEFAULT_ENGINE, cache: SourceCache | None = None) -> Rendered:
    """Render every plan under `paths` into `out_dir` as .docx (and PDF with `pdf`).

    With `keep_folders`, a plan's folder below the path it was found under is kept
    (plans/city/x.yaml → OUT/city/x.docx); otherwise outputs are named after the plan alone.
    `cache`: files already read by the calling job (`prepare`).
    Raises `PlanErrors` (the plans must be fixed) or `RenderError` (template, folder, LibreOffice).
    """
    base = base or Path.cwd()
    _refuse_data_files(paths, settings, base)
    ctx, result = prepare_plans(paths, settings, base, cache=cache)
    if result.errors:
        raise PlanErrors(result.problems, [])
    written = render_checked([*ctx.plans, *ctx.bulletins], ctx.registry, settings, out_dir, paths=paths, pdf=pdf,
                             keep_folders=keep_folders, timeout=timeout, progress=progress, pdf_engine=pdf_engine)
    return Rendered(written, result.problems)


def _refuse_data_files(paths: list[Path], settings: Settings, base: Path) -> None:
    """A 通报's data file named on the command line is not a document: say which 通报 uses it (exit 2).
    Named together with that 通报 (a shell glob, plans/bulletins/*.yaml), it is simply its data."""
    given = {p.resolve() for p in paths if p.is_file()}
    for path in paths:
        if path.is_dir() or not path.is_file():
            continue
        if path.suffix.lower() == ".xlsx":
            pass
        elif path.suffix.lower() in (".yaml", ".yml"):
            source, _ = loader.load(path, display_path(path, base))
            if source is None or source.kind != "data":
                continue
        else:
            continue
        users = data_users(path, [path.parent, *settings.paths])
        if any(u in given for u in users):
            continue
        shown = display_path(path, base)
        if not users and path.suffix.lower() == ".xlsx":
            continue  # a workbook no 通报 names: a ledger or anything else, reported as before
        if users:
            names = "、".join(display_path(u, base) for u in users)
            raise UsageError(f"{shown} 是通报的数据文件，本身不生成公文；使用它的是 {names}。"
                             f"请生成那份通报：docgen render {display_path(users[0], base)}")
        raise UsageError(f"{shown} 是通报的数据文件，本身不生成公文，也没有找到写“数据: {path.name}”的通报。"
                         "请在通报文件中用“数据”指向它，再生成那份通报。")


def data_users(data_path: Path, folders: list[Path]) -> list[Path]:
    """The 通报 files under `folders` whose 数据 is `data_path`, in path order."""
    target = data_path.resolve()
    found: set[Path] = set()
    for folder in folders:
        if not folder.is_dir():
            continue
        for candidate in sorted(folder.rglob("*.y*ml")):
            try:
                text = candidate.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if "数据:" not in text or "文种:" not in text:
                continue
            source, _ = loader.load(candidate, str(candidate))
            if source is None or not is_bulletin(source) or not isinstance(source.data.get("数据"), str):
                continue
            if (candidate.parent / source.data["数据"]).resolve() == target:
                found.add(candidate.resolve())
    return sorted(found)


def render_checked(plans: list, registry: Registry, settings: Settings, out_dir: Path, *,
                   paths: list[Path], pdf: bool, keep_folders: bool = False,
                   timeout: float = pdf_stage.DEFAULT_TIMEOUT, progress=None, reentrant: bool = False,
                   pdf_engine: str = pdf_stage.DEFAULT_ENGINE) -> list[Path]:
    """Compose and write plans (and 通报) that already passed the checks (a job must not re-check
    what it was handed: `cascade --render` passes the children it just checked in memory, and
    `reentrant`, as it may hold the lock of `out_dir` already)."""
    tick = progress or (lambda done, total, label=None: None)
    jobs = _jobs(plans, paths, keep_folders)
    documents = _compose(jobs, registry)
    # templates named in plans and registry entries stay in the project or the registry's own
    folders = [settings.root, *(project_folder(r) for r in settings.registry)]
    # the folder is this run's alone (a second build or cascade --render waits its turn), and what a
    # killed run left in it is removed first
    with FolderLock(out_dir, reentrant=reentrant):
        staging = _staging(out_dir)
        try:
            staged, engines = [], []
            for i, (job, doc) in enumerate(zip(jobs, documents)):
                template = choose(job.plan, registry.organisation_of(job.plan.issuer.value), folders)
                path = staging / f"{i:03d}.docx"
                _stage(path, write(doc, template, settings.font_set, job.plan.source_text), out_dir / job.output)
                staged.append(path)
                engine = pdf_stage.engine_for(template, pdf_engine)
                if engine == "typst":
                    from docgen.render import typeset  # noqa: PLC0415 - only with --pdf-engine typst

                    engine = "typst" if typeset.supports(doc) else "libreoffice"
                engines.append(engine)
                tick(i + 1, len(jobs), "排版")
            pdfs = _pdfs(jobs, documents, staged, staging, timeout, tick, engines) if pdf else []
            return _publish(out_dir, jobs, staged, pdfs)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _stage(path: Path, data: bytes, shown: Path) -> None:
    """Write a staged file; a full disk or a refused write names the file the user expects."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise OutputError(f"无法写入 {display_path(shown)}：{reason(exc)}。没有改动输出目录中已有的文件；"
                          "请腾出磁盘空间、检查权限或用 -o 换一个目录后重新运行。") from None


def _jobs(plans: list, paths: list[Path], keep_folders: bool) -> list[_Job]:
    """Where each plan's document goes; two plans may not share a name."""
    roots = [p.resolve() for p in paths if p.is_dir()]
    files = [p.resolve() for p in paths if not p.is_dir()]
    if files:  # plans named one by one keep their folders below their common folder
        roots.append(Path(os.path.commonpath([f.parent for f in files])))
    jobs: list[_Job] = []
    seen: dict[Path, Plan] = {}
    for plan in plans:
        output = Path(f"{plan.name}.docx")
        where = plan.path.resolve()
        if keep_folders:
            root = next((r for r in roots if where.is_relative_to(r)), where.parent)
            output = where.relative_to(root).with_suffix(".docx")
        if output in seen:
            raise RenderError(f"{display_path(seen[output].path)} 和 {display_path(plan.path)} 都会生成 {output}。"
                              "请给其中一个方案文件改名。")
        seen[output] = plan
        jobs.append(_Job(plan, output))
    return jobs


def _compose(jobs: list[_Job], registry):
    documents, findings = [], []
    for job in jobs:
        try:
            documents.append(kinds.compose(job.plan.kind, job.plan, registry))
        except (ComposeError, BulletinComposeError) as exc:
            findings.extend(exc.findings)
    if findings:
        raise PlanErrors([], findings)
    return documents


def _pdfs(jobs: list[_Job], documents, staged: list[Path], staging: Path, timeout: float, tick,
          engines: list[str]) -> list[Path]:
    """The PDFs of the documents: Typst prints the composed tree; LibreOffice converts the staged
    .docx files, rewritten to be byte-reproducible (pypdf)."""
    out: list[Path | None] = [None] * len(jobs)
    typst = [i for i, e in enumerate(engines) if e == "typst"]
    if typst:
        from docgen.render import typeset  # noqa: PLC0415 - only with --pdf-engine typst

        printed = typeset.pdfs(documents[i] for i in typst)
        for done, (i, data) in enumerate(zip(typst, printed), start=1):
            out[i] = staging / f"{i:03d}.pdf"
            carried = _carried(jobs[i])
            if carried:  # the plan travels inside the PDF, as with LibreOffice
                data = pdf_stage.reproducible([data], documents[i].title, attachments=carried)
            _stage(out[i], data, staging.parent / jobs[i].output.with_suffix(".pdf"))
            tick(done, len(typst), "生成 PDF")
    rest = [i for i, e in enumerate(engines) if e != "typst"]
    if rest:
        pdfs = pdf_stage.convert([staged[i] for i in rest], staging, timeout,
                                 labels=[str(jobs[i].output) for i in rest],
                                 progress=lambda done, total: tick(done, total, "生成 PDF"))
        for i, pdf in zip(rest, pdfs):
            _stage(pdf, pdf_stage.reproducible([pdf.read_bytes()], documents[i].title, attachments=_carried(jobs[i])),
                   staging.parent / jobs[i].output.with_suffix(".pdf"))
            out[i] = pdf
    return out


def _carried(job: _Job) -> list:
    """The plan's text as a PDF attachment (`docgen.planpart`), if it has one."""
    source = job.plan.source_text
    return [(planpart.PDF_NAME, planpart.item_xml(source, ""))] if source else []


def _staging(out_dir: Path) -> Path:
    try:
        return staging_folder(out_dir)
    except OSError as exc:
        raise OutputError(f"无法写入输出目录 {out_dir}：{reason(exc)}。请换一个目录（-o）或检查权限。") from None


def _publish(out_dir: Path, jobs: list[_Job], staged: list[Path], pdfs: list[Path]) -> list[Path]:
    written: list[Path] = []
    job = jobs[0] if jobs else None
    try:
        for job in jobs:  # every folder first: a full disk stops the run before any file is replaced
            (out_dir / job.output).parent.mkdir(parents=True, exist_ok=True)
        for i, job in enumerate(jobs):
            target = out_dir / job.output
            os.replace(staged[i], target)
            written.append(target)
            if pdfs:
                os.replace(pdfs[i], target.with_suffix(".pdf"))
                written.append(target.with_suffix(".pdf"))
    except OSError as exc:
        raise OutputError(f"无法写入 {display_path(out_dir / job.output)}：{reason(exc)}。"
                          "请腾出磁盘空间、检查权限或用 -o 换一个目录后重新运行。") from None
    return written
