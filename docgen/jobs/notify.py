"""The notify job: a 通知 (.docx) and a ledger (.xlsx) for every unit with tasks in a plan.

`notify()` reads top to bottom: check the plan -> choose the recipients -> name their files ->
lock the output folder -> render them (in `jobs` forked processes; the template is parsed and
compiled once, before they fork) into a staging folder -> PDFs (LibreOffice, parallel chunks) -> the bundle ->
the manifest -> publish the whole batch (`docgen.outfolder`). One unit failing does not stop the
others; the outcome lists what failed and why. Anything else that fails (a full disk, LibreOffice)
stops the run with a `RenderError` and leaves the output folder as it was.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import hashlib
import io
import json
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing import connection
from pathlib import Path

from docgen.checked import prepare_plans
from docgen.compose import kinds
from docgen.compose.notice import NoticeSettings, Online, UnitNotice, notice_settings
from docgen.config import Settings
from docgen.errors import UsageError
from docgen.jobs.needs import organisation, require_plan
from docgen.model import Plan
from docgen.notify import ledger
from docgen.notify.names import UniqueNames
from docgen.notify.recipients import Recipient, recipients, select
from docgen.outfolder import OutputFolder
from docgen.problems import Problem, Severity, display_path
from docgen.registry import Registry
from docgen.render import pdf as pdf_stage
from docgen.render.docx import DocxWriter
from docgen.render.template import choose

MANIFEST = "manifest.json"
BUNDLE_STEM = "通知汇编"
BUNDLE = f"{BUNDLE_STEM}.pdf"




@dataclass
class UnitFiles:
    recipient: Recipient
    stem: str
    docx: Path | None = None
    xlsx: Path | None = None
    pdf: Path | None = None
    error: str | None = None
    #: sha256 of the files, by kind (notice, ledger, pdf)
    hashes: dict[str, str] = field(default_factory=dict)


@dataclass
class Outcome:
    problems: list[Problem] = field(default_factory=list)
    units: list[UnitFiles] = field(default_factory=list)
    #: Units named with --unit that have no task; registry units of the organisation with no task.
    idle: list[str] = field(default_factory=list)
    without_tasks: list[str] = field(default_factory=list)
    bundle: Path | None = None
    manifest: Path | None = None
    #: PDFs converted, the seconds it took and the LibreOffice processes used.
    pdf_count: int = 0
    pdf_seconds: float = 0.0
    pdf_processes: int = 0
    bundle_hash: str | None = None

    @property
    def failures(self) -> list[UnitFiles]:
        return [u for u in self.units if u.error]


# -- rendering, in this process or in forked ones (the plan and template inherited, never pickled) --
class _Batch:
    """What every unit's notice and ledger are made from, the template read and compiled once."""

    def __init__(self, plan: Plan, registry: Registry, settings: NoticeSettings, writer: DocxWriter,
                 plan_file: str, jobs: list[tuple[Recipient, str]], online: dict[str, Online] | None = None,
                 typst: bool = False):
        self.plan, self.registry, self.settings, self.writer = plan, registry, settings, writer
        self.plan_file, self.jobs = plan_file, jobs
        #: unit -> its link to report online and QR code (`notify --links`)
        self.online = online or {}
        #: The Typst engine prints each notice's PDF here, from the same tree (in the worker).
        self.typst = typst
        self.ledgers = ledger.LedgerWriter(f"{settings.date.isoformat()}T00:00:00Z")

    def render_one(self, index: int) -> tuple[int, bytes | None, bytes | None, bytes | None, str | None]:
        recipient, stem = self.jobs[index]
        try:
            doc = kinds.compose(kinds.TASK_NOTICE, UnitNotice(self.plan, recipient, self.settings,
                                                              self.online.get(recipient.name)), self.registry)
            notice = self.writer.write(doc)
            book = self.ledgers.write(ledger.Content.of(recipient, self.plan.title.value, self.plan_file,
                                                        self.settings.due,
                                                        self.registry.organisation_of(self.plan.issuer.value)))
            pdf = None
            if self.typst:
                from docgen.render import typeset  # noqa: PLC0415 - only with --pdf-engine typst

                pdf = typeset.pdf(doc)
            return index, notice, book, pdf, None
        except Exception as exc:  # noqa: BLE001 - one unit's failure must not stop the batch
            return index, None, None, None, f"{type(exc).__name__}: {exc}"

    def render_share(self, parent: int, indices: range, out) -> None:
        """In a forked worker: render `indices`, sending each result down the pipe `out`."""
        _init_worker_process(parent)
        with out:
            for index in indices:
                out.send(self.render_one(index))


def _init_worker_process(parent: int) -> None:
    """A worker dies with the process that started it, even when that one is killed (-9)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
    if os.getppid() != parent:  # the parent died before prctl
        os._exit(1)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def notify(plan_path: Path, settings: Settings, out_dir: Path, *, units: list[str] = (), pdf: bool = False,
           bundle: bool = False, jobs: int = 1, date: dt.date | None = None, due: dt.date | None = None,
           contact: str = "", number: str = "", base: Path | None = None,
           progress: Callable[[int, int], None] | None = None,
           timeout: float = pdf_stage.DEFAULT_TIMEOUT, links: Path | None = None,
           pdf_engine: str = pdf_stage.DEFAULT_ENGINE) -> Outcome:
    """Write notices and ledgers for the units of `plan_path` into `out_dir` (module docstring).

    `links`: `docgen serve`'s data folder or its links.csv: each notice then gives the unit's link to
    report online and its QR code.

    Raises `UsageError` (bad options) or `RenderError` (template, output folder, LibreOffice;
    the folder is then left as it was)."""
    base = base or Path.cwd()
    outcome = Outcome()
    ctx, result = prepare_plans([plan_path], settings, base)
    require_plan(ctx, result, plan_path, base)
    errors = [p for p in result.problems if p.severity is Severity.ERROR]
    if errors or not ctx.plans:
        outcome.problems = errors or result.problems
        return outcome
    plan = ctx.plans[0]
    registry = ctx.registry
    org, outcome.problems = organisation(ctx, plan, "notify")
    if org is None:
        return outcome
    everyone = recipients(plan, registry, org)
    try:
        picked, outcome.idle = select(everyone, list(units), registry, org)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    with_tasks = {r.name for r in everyone}
    candidates = [u.name for u in org.units] + [c.name for c in org.children]
    outcome.without_tasks = [n for n in candidates if n not in with_tasks]
    batch = notice_settings(plan, registry, date, due, contact, number)
    online = _online(links, [u.name for u in picked]) if links is not None else {}
    names = UniqueNames(reserved=(BUNDLE_STEM,))
    outcome.units = [UnitFiles(r, names.take(r.name)) for r in picked]
    template = choose(plan, org)
    typst = (pdf or bundle) and pdf_stage.engine_for(template, pdf_engine) == "typst"
    if (pdf or bundle) and not typst:
        pdf_stage.find_soffice()  # before anything is rendered
    if typst:
        from docgen.render import typeset  # noqa: PLC0415 - only with --pdf-engine typst

        typeset.check_available()

    # The template read and compiled once, here (a bad one stops the run before any output); the
    # worker processes are forked from this one and inherit it.
    rendering = _Batch(plan, registry, batch, DocxWriter(template, settings.font_set),
                       display_path(plan.path, base), [(u.recipient, u.stem) for u in outcome.units], online,
                       typst)
    with _terminated_as_exit(), OutputFolder(out_dir, MANIFEST) as folder:
        _render_all(outcome, folder, rendering, jobs, progress)
        if (pdf or bundle) and not typst:
            _pdfs(outcome, folder, timeout, progress)
        elif typst:
            outcome.pdf_count = sum(1 for u in outcome.units if u.pdf)
            outcome.pdf_processes = 0
        if bundle:
            outcome.bundle = _bundle(outcome, folder)
        data = _manifest(outcome, plan, base)
        folder.write(MANIFEST, data)
        folder.publish(_published(outcome))
    for unit in outcome.units:  # the paths the files now have
        for kind in ("docx", "xlsx", "pdf"):
            staged = getattr(unit, kind)
            if staged is not None:
                setattr(unit, kind, out_dir / staged.name)
    outcome.bundle = out_dir / BUNDLE if outcome.bundle else None
    outcome.manifest = out_dir / MANIFEST
    return outcome


def _online(path: Path, units: list[str]) -> dict[str, Online]:
    """unit -> its link and QR code, from `docgen serve`'s links.csv (`path`, or the data folder
    holding it); a unit without a link is a usage error naming it."""
    from docgen.serve import links

    try:
        known = links.read(path)
    except links.LinksError as exc:
        raise UsageError(str(exc)) from None
    missing = [u for u in units if not known.get(u)]
    if missing:
        raise UsageError(f"链接清单中没有{'、'.join(missing[:8])}{'等' if len(missing) > 8 else ''}的链接"
                         "（单位名与方案不一致，或链接已作废）。请用 docgen serve 启动同一方案，或用 docgen serve reissue 发放。")
    return {u: Online(known[u], links.qr_png(known[u])) for u in units}


class _Terminated(SystemExit):
    """SIGTERM while a batch runs: unwinds like an exception, so staging, pool and LibreOffice are
    cleaned up; exits 143 like an unhandled SIGTERM."""


class _terminated_as_exit:
    def __enter__(self):
        self.old = None
        if threading.current_thread() is threading.main_thread():
            self.old = signal.signal(signal.SIGTERM, self._raise)
        return self

    @staticmethod
    def _raise(signum, frame):
        raise _Terminated(128 + signum)

    def __exit__(self, *exc) -> None:
        if self.old is not None:
            signal.signal(signal.SIGTERM, self.old)


def _published(outcome: Outcome) -> list[str]:
    names = [p.name for u in outcome.units for p in (u.docx, u.xlsx, u.pdf) if p is not None]
    return names + ([BUNDLE] if outcome.bundle else [])


def _render_all(outcome: Outcome, folder: OutputFolder, batch: _Batch, jobs: int, progress) -> None:
    total = len(outcome.units)
    tick = progress or (lambda done, total: None)
    if batch.typst and jobs > 1:
        from docgen.render import typeset  # noqa: PLC0415 - only with --pdf-engine typst

        if not typeset.forkable():  # this process printed with Typst before: its forks would hang
            jobs = 1
    if jobs <= 1 or total <= 1:
        _collect(outcome, folder, map(batch.render_one, range(total)), tick, total)
        return
    _collect(outcome, folder, _forked(batch, total, jobs), tick, total)
    for unit in outcome.units:
        if unit.docx is None and unit.error is None:  # its worker was killed
            unit.error = "生成它的进程意外退出（可能被系统终止），请重新运行"


def _forked(batch: _Batch, total: int, jobs: int) -> Iterator[tuple[int, bytes | None, bytes | None, bytes | None,
                                                                     str | None]]:
    """`batch.render_one` of every unit in `jobs` forked processes (every `jobs`-th unit each), the
    results as they come. A worker that dies ends its share; the others go on."""
    context = multiprocessing.get_context("fork")
    workers, readers = [], []
    try:
        for first in range(min(jobs, total)):
            reader, writer = context.Pipe(duplex=False)
            worker = context.Process(target=batch.render_share, args=(os.getpid(), range(first, total, jobs), writer),
                                     daemon=True)
            worker.start()
            writer.close()  # the worker's end: the pipe reads EOF once the worker is gone
            workers.append(worker)
            readers.append(reader)
        while readers:
            for reader in connection.wait(readers):
                try:
                    yield reader.recv()
                except EOFError:
                    readers.remove(reader)
                    reader.close()
    finally:
        for worker in workers:
            worker.terminate()  # a no-op for those that finished
            worker.join()


def _collect(outcome: Outcome, folder: OutputFolder, results, tick, total: int) -> None:
    for done, (index, notice, book, pdf, error) in enumerate(results, start=1):
        unit = outcome.units[index]
        if error:
            unit.error = error
        else:
            unit.docx = folder.staging / f"{unit.stem}.docx"
            folder.write(unit.docx.name, notice)
            unit.hashes["notice"] = _sha256(notice)
            unit.xlsx = folder.staging / f"{unit.stem}-台账.xlsx"
            folder.write(unit.xlsx.name, book)
            unit.hashes["ledger"] = _sha256(book)
            if pdf is not None:
                unit.pdf = folder.staging / f"{unit.stem}.pdf"
                folder.write(unit.pdf.name, pdf)
                unit.hashes["pdf"] = _sha256(pdf)
        tick(done, total)


def _pdfs(outcome: Outcome, folder: OutputFolder, timeout: float, progress=None) -> None:
    done = [u for u in outcome.units if u.docx and not u.error]
    if not done:
        return
    work = folder.staging / ".pdf"
    start = time.perf_counter()
    outcome.pdf_processes = min(pdf_stage.default_processes(), len(done))
    tick = progress or (lambda done, total, label=None: None)
    produced = pdf_stage.convert([u.docx for u in done], work, timeout, labels=[u.docx.name for u in done],
                                 processes=outcome.pdf_processes,
                                 progress=lambda n, total: tick(n, total, "生成 PDF"))
    for unit, path in zip(done, produced):
        data = pdf_stage.reproducible([path.read_bytes()], unit.recipient.full_name)
        unit.pdf = folder.staging / f"{unit.stem}.pdf"
        folder.write(unit.pdf.name, data)
        unit.hashes["pdf"] = _sha256(data)
        path.unlink()
    outcome.pdf_count = len(done)
    outcome.pdf_seconds = time.perf_counter() - start


def _bundle(outcome: Outcome, folder: OutputFolder) -> Path | None:
    with_pdf = [u for u in outcome.units if u.pdf]
    if not with_pdf:
        return None
    from pypdf import PdfReader

    parts = [u.pdf.read_bytes() for u in with_pdf]
    bookmarks, page = [], 0
    for unit, part in zip(with_pdf, parts):
        bookmarks.append((unit.recipient.full_name, page))
        page += len(PdfReader(io.BytesIO(part)).pages)
    data = pdf_stage.reproducible(parts, "通知汇编", bookmarks)
    folder.write(BUNDLE, data)
    outcome.bundle_hash = _sha256(data)
    return folder.staging / BUNDLE


def _manifest(outcome: Outcome, plan: Plan, base: Path) -> bytes:
    def entry(path: Path | None, kind: str, digest: str | None) -> dict | None:
        return {"kind": kind, "path": path.name, "sha256": digest} if path else None

    units = []
    for unit in outcome.units:
        files = [e for e in (entry(unit.docx, "notice", unit.hashes.get("notice")),
                             entry(unit.xlsx, "ledger", unit.hashes.get("ledger")),
                             entry(unit.pdf, "pdf", unit.hashes.get("pdf"))) if e]
        units.append({"unit": unit.recipient.name, "full_name": unit.recipient.full_name,
                      "tasks": [a.task.id for a in unit.recipient.tasks], "files": files,
                      **({"error": unit.error} if unit.error else {})})
    bundle = entry(outcome.bundle, "bundle", outcome.bundle_hash)
    data = {"plan": display_path(plan.path, base), "title": plan.title.value, "units": units,
            "bundle": bundle, "without_tasks": outcome.without_tasks, "idle": outcome.idle}
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
