"""The collect, report and remind jobs: load the plan, call the pure parts, write files atomically.

Each returns an outcome for the CLI; plan errors come back as `problems` (exit 1), bad options or
unreadable input raise `UsageError` (exit 2), rendering trouble raises `RenderError`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from docgen.bulletin import draft
from docgen.checked import SourceCache, paused_gc, prepare_plans
from docgen.compose.notice import notice_settings
from docgen.config import Settings
from docgen.errors import OutputError, UsageError
from docgen.files import atomic_write, reason
from docgen.jobs.needs import organisation, require_plan
from docgen.jobs.render import render as render_job
from docgen.model import Plan
from docgen.notify.recipients import Recipient, recipients
from docgen.problems import Problem, Severity, display_path
from docgen.progress.model import Progress, ProgressError, dump, load
from docgen.progress.stats import Figures, compute
from docgen.registry import Registry
from docgen.untrusted import Limits


@dataclass
class Loaded:
    plan: Plan
    registry: Registry
    org: object
    recipients: list[Recipient]


def load_plan(plan_path: Path, settings: Settings, base: Path,
              cache: SourceCache | None = None) -> tuple[Loaded | None, list[Problem]]:
    """The checked plan with its recipients, or None and the plan's errors (`cache`: see `prepare`)."""
    ctx, result = prepare_plans([plan_path], settings, base, cache=cache)
    require_plan(ctx, result, plan_path, base)
    errors = [p for p in result.problems if p.severity is Severity.ERROR]
    if errors or not ctx.plans:
        return None, errors or result.problems
    plan = ctx.plans[0]
    org, problems = organisation(ctx, plan, "progress")
    if org is None:
        return None, problems
    return Loaded(plan, ctx.registry, org, recipients(plan, ctx.registry, org)), []


def _schema_ref(out: Path) -> str:
    """The schema, relative to the progress file (for the yaml-language-server line)."""
    from docgen import resources

    return Path(os.path.relpath(resources.schema_path("progress"), out.resolve().parent)).as_posix()


# -- collect -----------------------------------------------------------------------------------------


@dataclass
class CollectResult:
    problems: list[Problem] = field(default_factory=list)
    written: Path | None = None
    units: int = 0
    rows: int = 0


_PLAN_SUFFIXES = (".yaml", ".yml")


def plan_of_ledgers(ledgers: list[Path], settings: Settings, base: Path,
                    limits: Limits) -> tuple[Path | None, list[Problem]]:
    """The plan file named in the first readable ledger's 填报信息 (as notify wrote it), or None and
    the findings of the ledgers that cannot be read.

    The ledger is untrusted, so the file it names is opened only when it is a .yaml file inside
    the project (`settings.root`) or next to the ledger; anything else is refused (usage error).
    """
    from docgen.notify import ledger
    from docgen.progress import collect as collect_stage

    problems: list[Problem] = []
    for path in ledgers:
        wb, problem = collect_stage.open_ledger(path, display_path(path, base), limits)
        if problem:
            problems.append(problem)
            continue
        if ledger.INFO_SHEET not in wb.sheetnames:
            continue  # reported by collect itself
        info = collect_stage.info_of(wb)
        named = info.get("方案文件", ("", 0))[0]  # ledgers written before the plan was named by title only
        if named:
            return _named_plan(named, path, settings.root, base), []
        title = info.get("方案", ("", 0))[0]
        if title:
            found = _plan_titled(title, settings)
            if found is None:
                raise UsageError(f"在 {'、'.join(display_path(p, base) for p in settings.paths)} 中找不到标题为"
                                 f"《{title[:80]}》的方案，请用 --plan 指定台账所属的方案。")
            return found, []
    return None, problems


_TITLE_LINE = re.compile(r"^标题:[ \t]*[\"']?(.+?)[\"']?[ \t]*(?:#.*)?$", re.MULTILINE)


def _plan_titled(title: str, settings: Settings) -> Path | None:
    """The plan under the configured paths whose 标题 is `title` (a ledger names its plan by title)."""
    from docgen.checked import discover

    for path in discover([p for p in settings.paths if p.exists()]):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        if "文种" in text and any(m.group(1) == title for m in _TITLE_LINE.finditer(text)):
            return path
    return None


def _named_plan(named: str, ledger_path: Path, root: Path, base: Path) -> Path:
    """The plan file a ledger names, if docgen may open it (see `plan_of_ledgers`)."""
    shown = named if len(named) <= 80 else named[:80] + "…"
    given = Path(named)
    candidates = [given] if given.is_absolute() else [base / given, root / given]
    candidates.append(ledger_path.parent / given.name)
    allowed = [root.resolve(), ledger_path.parent.resolve()]
    refused = False
    for candidate in candidates:
        try:
            if not candidate.exists():
                continue
            real = candidate.resolve()
            inside = any(real == folder or folder in real.parents for folder in allowed)
            if inside and real.suffix.lower() in _PLAN_SUFFIXES and real.is_file():
                return real
            refused = True
        except (OSError, ValueError, RuntimeError):  # NUL bytes, loops, names too long
            refused = True
    if refused:
        raise UsageError(
            f"台账“填报信息”中的方案文件“{shown}”不是项目目录或台账所在目录中的 .yaml 方案文件，"
            "docgen 不打开台账指向的其他文件。请用 --plan 指定台账所属的方案。")
    raise UsageError(f"找不到台账所属的方案文件“{shown}”，请用 --plan 指定。")


def collect(ledgers: list[Path], settings: Settings, out: Path, *, plan_path: Path | None = None,
            as_of: dt.date | None = None, partial: bool = False, base: Path | None = None,
            limits: Limits | None = None, progress=None) -> CollectResult:
    """Read `ledgers` and write the progress file `out` (see `docgen.progress.collect` for the policy):
    written when no ledger has an error, or with `partial` (the valid rows only). Each ledger is
    read within `limits` (`docgen.untrusted`)."""
    base = base or Path.cwd()
    limits = limits or Limits()
    if len(ledgers) == 1 and ledgers[0].is_dir():
        return _collect_served(ledgers[0], settings, out, plan_path=plan_path, as_of=as_of, partial=partial,
                               base=base)
    if any(p.is_dir() for p in ledgers):
        raise UsageError("汇总在线填报的数据时只给一个数据目录（docgen serve 的 --data），不要与台账文件混在一起。")
    if plan_path is None:
        plan_path, unreadable = plan_of_ledgers(ledgers, settings, base, limits)
        if plan_path is None:
            if unreadable and len(unreadable) == len(ledgers):
                return CollectResult(sorted(unreadable, key=Problem.sort_key))
            raise UsageError("台账中没有写明所属的方案文件，请用 --plan 指定。")
    elif not plan_path.is_file():
        raise UsageError(f"找不到方案文件“{plan_path}”，请用 --plan 指定。")
    loaded, problems = load_plan(plan_path, settings, base)
    if loaded is None:
        return CollectResult(problems)
    from docgen.progress import collect as collect_stage  # openpyxl: only where ledgers are read

    outcome = collect_stage.collect(loaded.plan, loaded.recipients, ledgers, as_of or dt.date.today(), base, limits,
                                    progress)
    return _write_progress(outcome, loaded, out, partial)


def _write_progress(outcome, loaded: Loaded, out: Path, partial: bool) -> CollectResult:
    result = CollectResult(sorted(outcome.problems, key=Problem.sort_key), units=len(outcome.ledgers),
                           rows=sum(len(u) for u in outcome.progress.entries.values()))
    if outcome.errors and not partial:
        return result
    text = dump(outcome.progress, [t.id for t in loaded.plan.tasks()], _schema_ref(out))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(out, text.encode("utf-8"))
    except OSError as exc:
        raise OutputError(f"无法写入 {out}：{reason(exc)}。") from None
    result.written = out
    return result


def _collect_served(folder: Path, settings: Settings, out: Path, *, plan_path: Path | None, as_of: dt.date | None,
                    partial: bool, base: Path) -> CollectResult:
    """Collect what units submitted through `docgen serve` (data folder `folder`): each unit's last
    submitted values, as ledger rows (`docgen.serve.records`), read by the ledger reader."""
    from docgen.serve import records
    from docgen.serve.store import SQLITE_NAME, StoreError, open_store, recorded_url

    if not (folder / SQLITE_NAME).exists() and not recorded_url(folder):
        raise UsageError(f"{folder} 是目录，但不是 docgen serve 的数据目录（没有 {SQLITE_NAME}）。"
                         "汇总台账请给出 .xlsx 文件。")
    try:
        store = open_store(folder)
        if store.version() == 0:
            raise UsageError(f"{folder} 中的数据库是空的。")
        store.migrate()
        plans = store.plans()
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    try:
        if plan_path is None:
            if len(plans) != 1:
                raise UsageError(f"{folder} 服务了 {len(plans)} 个方案，请用 --plan 指定汇总哪一个。")
            plan_path = Path(plans[0]["path"])
        loaded, problems = load_plan(plan_path, settings, base)
        if loaded is None:
            return CollectResult(problems)
        real = str(loaded.plan.path.resolve())
        key = next((p["key"] for p in plans if p["path"] == real), None)
        if key is None:
            key = next((p["key"] for p in plans if p["title"] == loaded.plan.title.value), None)
        if key is None:
            raise UsageError(f"{folder} 没有服务方案《{loaded.plan.title.value}》。")
        submitted: dict[str, dict[str, dict]] = {}
        for entry in store.entries(plan=key):
            if entry.submitted:
                submitted.setdefault(entry.unit, {})[entry.task] = entry.submitted
    finally:
        store.close()
    shown = display_path(folder, base)
    by_name = {r.name: r for r in loaded.recipients}
    sources = []
    for unit in sorted(submitted, key=lambda u: list(by_name).index(u) if u in by_name else len(by_name)):
        recipient = by_name.get(unit)
        name = f"{shown}（在线填报：{unit}）"
        if recipient is None:
            sources.append((name, unit, []))
            continue
        # a task never submitted is a row without its number (left out, reported as missing), so that
        # the rows keep the numbers they have in the exported ledger
        rows = [r if r[0] in submitted[unit] else ("",) * len(r) for r in records.rows(recipient, submitted[unit])]
        sources.append((name, unit, rows))
    from docgen.progress import collect as collect_stage

    outcome = collect_stage.collect_rows(loaded.plan, loaded.recipients, sources, as_of or dt.date.today(), base)
    return _write_progress(outcome, loaded, out, partial)


# -- report ------------------------------------------------------------------------------------------


@dataclass
class ReportResult:
    problems: list[Problem] = field(default_factory=list)
    written: Path | None = None
    figures: Figures | None = None
    #: The 通报 file (the drafter's) and its data file (rewritten each run).
    draft: Path | None = None
    data: Path | None = None
    #: Everything rendered (.docx, and .pdf with `pdf`).
    files: list[Path] = field(default_factory=list)


def read_progress(path: Path, loaded: Loaded) -> Progress:
    """A progress file checked against the plan: same plan, known task numbers, units on their tasks."""
    plan = loaded.plan
    try:
        progress = load(path)
    except ProgressError as exc:
        raise UsageError(str(exc)) from None
    if progress.plan_title and progress.plan_title != plan.title.value:
        raise UsageError(f"进展文件 {path} 属于《{progress.plan_title}》，不是《{plan.title.value}》。")
    unknown = sorted(set(progress.entries) - set(plan.task_by_id()))
    if unknown:
        raise UsageError(f"进展文件 {path} 中的任务编号 {'、'.join(unknown)} 在方案中不存在。")
    assigned = {(a.task.id, r.name) for r in loaded.recipients for a in r.tasks}
    stray = [f"{tid}/{unit}" for tid, units in progress.entries.items() for unit in units
             if (tid, unit) not in assigned]
    if stray:
        raise UsageError(f"进展文件 {path} 中的 {'、'.join(stray)}：方案没有把这项任务分给这个单位。")
    return progress


def figures_for(loaded: Loaded, progress_path: Path, as_of: dt.date | None) -> tuple[Progress, Figures]:
    progress = read_progress(progress_path, loaded)
    when = as_of or progress.as_of
    return progress, compute(loaded.plan, loaded.recipients, progress, when)


def issuer_for(loaded: Loaded, when: dt.date, number: str):
    try:
        return notice_settings(loaded.plan, loaded.registry, when, when, "", number)
    except UsageError as exc:
        raise UsageError(str(exc)) from None


def report(plan_path: Path, settings: Settings, progress_path: Path, out_dir: Path, *,
           as_of: dt.date | None = None, previous: Path | None = None, signature: str = "",
           number: str = "", base: Path | None = None, pdf: bool = False, progress=None) -> ReportResult:
    """Write the draft 通报 of `plan_path` as of `as_of` (default: the progress file's 截至) into
    `out_dir` and render it: the data file is rewritten every time; the 通报 file (the drafter's
    sentences) only when it is not there yet (`docgen.bulletin.draft`).

    `progress(done, total, label)` hears of each step (the whole takes seconds on a large plan).
    The garbage collector is paused throughout (`paused_gc`): the plan, the progress file and the
    document are large trees that all stay alive until the end."""
    with paused_gc():
        return _report(plan_path, settings, progress_path, out_dir, as_of=as_of, previous=previous,
                       signature=signature, number=number, base=base, pdf=pdf, progress=progress)


def _report(plan_path: Path, settings: Settings, progress_path: Path, out_dir: Path, *,
            as_of: dt.date | None, previous: Path | None, signature: str, number: str, base: Path | None,
            pdf: bool, progress) -> ReportResult:
    base = base or Path.cwd()
    steps = ("检查方案", "统计进展", "写出草稿和数据", "排版")
    tick = progress or (lambda done, total, label=None: None)
    tick(1, len(steps), f"通报（{steps[0]}）")
    cache = SourceCache()  # the registry, read once for the plan and again for the 通报 it becomes
    loaded, problems = load_plan(plan_path, settings, base, cache)
    if loaded is None:
        return ReportResult(problems)
    tick(2, len(steps), f"通报（{steps[1]}）")
    progress, figures = figures_for(loaded, progress_path, as_of)
    prior = None
    if previous is not None:
        prior = figures_for(loaded, previous, None)[1]
    plan = loaded.plan
    issuer_for(loaded, figures.as_of, number)  # the issuer must have a 版头 in the registry
    names = {r.name: r.full_name for r in loaded.recipients}
    stem = f"{plan.name}-进展通报"
    draft_path, data_path = out_dir / f"{stem}.yaml", out_dir / f"{stem}数据.yaml"
    tick(3, len(steps), f"通报（{steps[2]}）")
    content = draft.data(plan, progress, figures, prior, names)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        atomic_write(data_path, draft.data_text(content, _schema_for(data_path, "bulletin-data")).encode("utf-8"))
        if not draft_path.exists():
            text = draft.draft_text(draft.draft(
                plan, progress, figures, prior, data_name=data_path.name,
                signature=signature or f"{draft.short_title(plan)}工作专班（代章）", number=number,
                recipients=[r.value for r in plan.recipients] or ["各有关单位"]), _schema_for(draft_path, "plan"))
            atomic_write(draft_path, text.encode("utf-8"))
    except OSError as exc:
        raise OutputError(f"无法写入 {display_path(out_dir)}：{reason(exc)}。") from None
    tick(4, len(steps), f"通报（{steps[3]}）")
    rendered = render_job([draft_path], settings, out_dir, pdf=pdf, base=base, cache=cache,
                          progress=lambda done, total, label=None: tick(done, total, label) if label else None)
    return ReportResult(written=rendered.files[0], figures=figures, draft=draft_path, data=data_path,
                        files=rendered.files)


def _schema_for(out: Path, kind: str) -> str:
    from docgen import resources

    return Path(os.path.relpath(resources.schema_path(kind), out.resolve().parent)).as_posix()
