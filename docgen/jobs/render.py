"""The render pipeline: check → compose → write .docx → PDF (optional) → publish.

`render(...)` reads top to bottom as the stages. A plan with errors stops everything before
anything is written; every file is produced in a staging folder inside the output folder and
moved into place only when all of them (PDFs included) are done, so a failed run leaves the
previous output untouched and no half-written file behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from docgen.checked import prepare_plans
from docgen.compose import ComposeError, kinds
from docgen.compose.bulletin import BulletinComposeError
from docgen.config import Settings
from docgen.errors import FindingsError, OutputError
from docgen.files import reason
from docgen.model import Plan
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
           keep_folders: bool = False, timeout: float = pdf_stage.DEFAULT_TIMEOUT, progress=None) -> Rendered:
    """Render every plan under `paths` into `out_dir` as .docx (and PDF with `pdf`).

    With `keep_folders`, a plan's folder below the path it was found under is kept
    (plans/city/x.yaml → OUT/city/x.docx); otherwise outputs are named after the plan alone.
    Raises `PlanErrors` (the plans must be fixed) or `RenderError` (template, folder, LibreOffice).
    """
    base = base or Path.cwd()
    ctx, result = prepare_plans(paths, settings, base)
    if result.errors:
        raise PlanErrors(result.problems, [])
    written = render_checked([*ctx.plans, *ctx.bulletins], ctx.registry, settings, out_dir, paths=paths, pdf=pdf,
                             keep_folders=keep_folders, timeout=timeout, progress=progress)
    return Rendered(written, result.problems)


def render_checked(plans: list, registry: Registry, settings: Settings, out_dir: Path, *,
                   paths: list[Path], pdf: bool, keep_folders: bool = False,
                   timeout: float = pdf_stage.DEFAULT_TIMEOUT, progress=None) -> list[Path]:
    """Compose and write plans (and 通报) that already passed the checks (a job must not re-check
    what it was handed: `cascade --render` passes the children it just checked in memory)."""
    tick = progress or (lambda done, total, label=None: None)
    jobs = _jobs(plans, paths, keep_folders)
    documents = _compose(jobs, registry)
    # templates named in plans and registry entries stay in the project or the registry's own
    folders = [settings.root, *(project_folder(r) for r in settings.registry)]
    staging = _staging(out_dir)
    try:
        staged = []
        for i, (job, doc) in enumerate(zip(jobs, documents)):
            template = choose(job.plan, registry.organisation_of(job.plan.issuer.value), folders)
            path = staging / f"{i:03d}.docx"
            path.write_bytes(write(doc, template, settings.font_set))
            staged.append(path)
            tick(i + 1, len(jobs), "排版")
        pdfs = _pdfs(jobs, documents, staged, staging, timeout, tick) if pdf else []
        return _publish(out_dir, jobs, staged, pdfs)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


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


def _pdfs(jobs: list[_Job], documents, staged: list[Path], staging: Path, timeout: float, tick) -> list[Path]:
    """The PDFs of the staged .docx files, rewritten to be byte-reproducible (pypdf)."""
    pdfs = pdf_stage.convert(staged, staging, timeout, labels=[str(job.output) for job in jobs],
                             progress=lambda done, total: tick(done, total, "生成 PDF"))
    for pdf, doc in zip(pdfs, documents):
        pdf.write_bytes(pdf_stage.reproducible([pdf.read_bytes()], doc.title))
    return pdfs


def _staging(out_dir: Path) -> Path:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=".docgen-", dir=out_dir))
    except OSError as exc:
        raise OutputError(f"无法写入输出目录 {out_dir}：{reason(exc)}。请换一个目录（-o）或检查权限。") from None


def _publish(out_dir: Path, jobs: list[_Job], staged: list[Path], pdfs: list[Path]) -> list[Path]:
    written: list[Path] = []
    try:
        for i, job in enumerate(jobs):
            target = out_dir / job.output
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged[i], target)
            written.append(target)
            if pdfs:
                os.replace(pdfs[i], target.with_suffix(".pdf"))
                written.append(target.with_suffix(".pdf"))
    except OSError as exc:
        raise OutputError(f"无法写入 {out_dir / job.output}：{reason(exc)}。") from None
    return written
