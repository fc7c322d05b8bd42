"""The notify job: a 通知 (.docx) and a ledger (.xlsx) for every unit with tasks in a plan.

`notify()` reads top to bottom: check the plan -> choose the recipients -> name their files ->
render them (in `jobs` processes; the template is parsed and compiled once per process) -> write
each file atomically -> PDFs in one LibreOffice pass -> the bundle -> the manifest. One unit
failing does not stop the others; the outcome lists what failed and why.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import multiprocessing
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from docgen.jobs.check import prepare_plans
from docgen.compose.tree import Document
from docgen.config import Settings
from docgen.files import atomic_write, describe
from docgen.model import Plan
from docgen.notify import ledger
from docgen.notify.names import UniqueNames
from docgen.compose.notice import NoticeSettings, compose_notice
from docgen.notify.recipients import Recipient, recipients, select
from docgen.problems import Problem, Severity, display_path
from docgen.registry import Registry
from docgen.render import pdf as pdf_stage
from docgen.render.docx import DocxWriter
from docgen.render.errors import RenderError
from docgen.render.template import choose

MANIFEST = "manifest.json"
BUNDLE = "通知汇编.pdf"
DEFAULT_DUE_DAYS = 15


class NotifyUsageError(ValueError):
    """Bad options (unknown unit, no date): a usage error, exit 2."""


@dataclass
class UnitFiles:
    recipient: Recipient
    stem: str
    docx: Path | None = None
    xlsx: Path | None = None
    pdf: Path | None = None
    error: str | None = None


@dataclass
class Outcome:
    problems: list[Problem] = field(default_factory=list)
    units: list[UnitFiles] = field(default_factory=list)
    #: Units named with --unit that have no task; registry units of the organisation with no task.
    idle: list[str] = field(default_factory=list)
    without_tasks: list[str] = field(default_factory=list)
    bundle: Path | None = None
    manifest: Path | None = None

    @property
    def failures(self) -> list[UnitFiles]:
        return [u for u in self.units if u.error]


# -- per-process rendering (fork: the plan and template are inherited, never pickled) ------------
_STATE: dict = {}


def _init_worker() -> None:
    _STATE["writer"] = DocxWriter(_STATE["template"], _STATE["font_set"])


def _render_one(index: int) -> tuple[int, bytes | None, bytes | None, str | None]:
    recipient, stem = _STATE["jobs"][index]
    try:
        doc: Document = compose_notice(_STATE["plan"], recipient, _STATE["registry"], _STATE["settings"],
                                       f"{stem}-台账.xlsx")
        notice = _STATE["writer"].write(doc)
        book = ledger.build(recipient, _STATE["plan"].title.value, _STATE["plan_file"], _STATE["settings"].due,
                            _STATE["stamp"])
        return index, notice, book, None
    except Exception as exc:  # noqa: BLE001 - one unit's failure must not stop the batch
        return index, None, None, f"{type(exc).__name__}: {exc}"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def notice_settings(plan: Plan, registry: Registry, date: dt.date | None, due: dt.date | None,
                     contact: str, number: str) -> NoticeSettings:
    issuer_name = plan.printer.value if plan.printer and registry.issuer(plan.printer.value) else plan.issuer.value
    issuer = registry.issuer(issuer_name)
    when = date or (plan.print_date.date if plan.print_date and plan.print_date.date else None) or (
        plan.date.date if plan.date and plan.date.date else None)
    if when is None:
        raise NotifyUsageError("方案没有成文日期或印发日期，请用 --date 指定通知的日期。")
    return NoticeSettings(
        issuer=issuer_name,
        mark=issuer.mark if issuer else f"{issuer_name}文件",
        doc_number=number,
        date=when,
        due=due or when + dt.timedelta(days=DEFAULT_DUE_DAYS),
        contact=contact,
    )


def notify(plan_path: Path, settings: Settings, out_dir: Path, *, units: list[str] = (), pdf: bool = False,
           bundle: bool = False, jobs: int = 1, date: dt.date | None = None, due: dt.date | None = None,
           contact: str = "", number: str = "", base: Path | None = None,
           progress: Callable[[int, int], None] | None = None) -> Outcome:
    """Write notices and ledgers for the units of `plan_path` into `out_dir` (module docstring)."""
    base = base or Path.cwd()
    outcome = Outcome()
    ctx, result = prepare_plans([plan_path], settings, base)
    errors = [p for p in result.problems if p.severity is Severity.ERROR]
    if errors or not ctx.plans:
        outcome.problems = errors or result.problems
        return outcome
    plan = ctx.plans[0]
    registry = ctx.registry
    org = ctx.org_of(plan)
    everyone = recipients(plan, registry, org)
    try:
        picked, outcome.idle = select(everyone, list(units), registry, org)
    except ValueError as exc:
        raise NotifyUsageError(str(exc)) from None
    with_tasks = {r.name for r in everyone}
    candidates = [u.name for u in org.units] + [c.name for c in org.children]
    outcome.without_tasks = [n for n in candidates if n not in with_tasks]
    batch = notice_settings(plan, registry, date, due, contact, number)
    names = UniqueNames()
    outcome.units = [UnitFiles(r, names.take(r.name)) for r in picked]
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RenderError(f"无法创建输出目录 {out_dir}：{describe(exc)}。") from None

    _STATE.update(
        plan=plan, registry=registry, settings=batch, font_set=settings.font_set,
        template=choose(plan, org), plan_file=display_path(plan.path, base),
        stamp=f"{batch.date.isoformat()}T00:00:00Z",
        jobs=[(u.recipient, u.stem) for u in outcome.units],
    )
    _render_all(outcome, out_dir, jobs, progress)
    if pdf or bundle:
        _pdfs(outcome, out_dir)
    if bundle:
        outcome.bundle = _bundle(outcome, out_dir)
    outcome.manifest = _manifest(outcome, out_dir, plan, base)
    return outcome


def _render_all(outcome: Outcome, out_dir: Path, jobs: int, progress) -> None:
    total = len(outcome.units)
    tick = progress or (lambda done, total: None)
    if jobs <= 1 or total <= 1:
        _init_worker()
        results = map(_render_one, range(total))
        _collect(outcome, out_dir, results, tick, total)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=_init_worker) as pool:
        results = pool.imap_unordered(_render_one, range(total), chunksize=max(1, total // (jobs * 8)))
        _collect(outcome, out_dir, results, tick, total)


def _collect(outcome: Outcome, out_dir: Path, results, tick, total: int) -> None:
    for done, (index, notice, book, error) in enumerate(results, start=1):
        unit = outcome.units[index]
        if error:
            unit.error = error
        else:
            try:
                unit.docx = out_dir / f"{unit.stem}.docx"
                atomic_write(unit.docx, notice)
                unit.xlsx = out_dir / f"{unit.stem}-台账.xlsx"
                atomic_write(unit.xlsx, book)
            except OSError as exc:
                unit.error = f"无法写入：{describe(exc)}"
        tick(done, total)


def _pdfs(outcome: Outcome, out_dir: Path) -> None:
    done = [u for u in outcome.units if u.docx and not u.error]
    staging = Path(tempfile.mkdtemp(prefix=".docgen-pdf-", dir=out_dir))
    try:
        pdfs = pdf_stage.convert([u.docx for u in done], staging)
        for unit, produced in zip(done, pdfs):
            unit.pdf = out_dir / f"{unit.stem}.pdf"
            atomic_write(unit.pdf, _reproducible_pdf([produced.read_bytes()], unit.recipient.full_name))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _reproducible_pdf(parts: list[bytes], title: str, bookmarks: list[tuple[str, int]] = ()) -> bytes:
    """`parts` joined into one PDF through a fresh pypdf writer: LibreOffice's creation dates and
    document ids are left behind, so equal input gives equal bytes. `bookmarks`: (title, first page)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)), import_outline=False)
    for name, page in bookmarks:
        writer.add_outline_item(title=name, page_number=page)
    writer.add_metadata({"/Title": title, "/Producer": "docgen", "/Creator": "docgen"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _bundle(outcome: Outcome, out_dir: Path) -> Path | None:
    with_pdf = [u for u in outcome.units if u.pdf]
    if not with_pdf:
        return None
    from pypdf import PdfReader

    parts = [u.pdf.read_bytes() for u in with_pdf]
    bookmarks, page = [], 0
    for unit, part in zip(with_pdf, parts):
        bookmarks.append((unit.recipient.full_name, page))
        page += len(PdfReader(io.BytesIO(part)).pages)
    path = out_dir / BUNDLE
    atomic_write(path, _reproducible_pdf(parts, "通知汇编", bookmarks))
    return path


def _manifest(outcome: Outcome, out_dir: Path, plan: Plan, base: Path) -> Path:
    def entry(path: Path | None, kind: str) -> dict | None:
        return {"kind": kind, "path": path.name, "sha256": _sha256(path)} if path else None

    units = []
    for unit in outcome.units:
        files = [e for e in (entry(unit.docx, "notice"), entry(unit.xlsx, "ledger"), entry(unit.pdf, "pdf")) if e]
        units.append({"unit": unit.recipient.name, "full_name": unit.recipient.full_name,
                      "tasks": [a.task.id for a in unit.recipient.tasks], "files": files,
                      **({"error": unit.error} if unit.error else {})})
    data = {"plan": display_path(plan.path, base), "title": plan.title.value, "units": units,
            "bundle": entry(outcome.bundle, "bundle"), "without_tasks": outcome.without_tasks, "idle": outcome.idle}
    path = out_dir / MANIFEST
    atomic_write(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return path
