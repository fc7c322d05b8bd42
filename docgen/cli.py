"""The `docgen` command line. Parses options, calls the pipeline, maps the outcome to an exit code.

Exit codes: 0 clean, 1 findings, 2 usage error or unreadable input, 3 internal error.
Machine output goes to stdout; summaries and progress to stderr.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import traceback
from pathlib import Path

import click

from docgen.problems import DocgenError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _codes(values: tuple[str, ...]) -> list[str]:
    return [c.strip() for v in values for c in v.split(",") if c.strip()]


def _print_problems(problems) -> None:
    for p in problems:
        click.echo(f"{p.location}: {p.severity.label} {p.code} [{p.name}] {p.message}", err=True)


class _Group(click.Group):
    """Turns the core's usage-type failures into click's: a message and exit 2, never a traceback."""

    def invoke(self, ctx):
        from docgen.jobs.check import NotAPlan
        from docgen.files import OutputError

        try:
            return super().invoke(ctx)
        except NotAPlan as exc:
            raise click.UsageError(str(exc)) from None
        except OutputError as exc:
            click.echo(f"docgen: {exc}", err=True)
            sys.exit(EXIT_USAGE)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="docgen")
def cli() -> None:
    """docgen：把结构化的工作方案生成规范公文。

    \b
    docgen check [PATH ...]   检查方案和单位库
    docgen rules [CODE]       列出检查规则，或解释一条规则
    docgen diff OLD NEW       比较方案的两个版本（也可比较 git 版本），可写出修订对照表
    docgen git-setup          让 git diff 显示方案的语义差异
    docgen render PLAN        把一份方案排版成公文（.docx，加 --pdf 同时生成 PDF）
    docgen build [DIR]        把 plans/ 下的全部方案排版成公文，放到 build/
    docgen cascade PARENT     把方案级联为各下级组织的方案草稿
    docgen notify PLAN        为每个成员单位生成任务通知和台账
    docgen collect LEDGER...  汇总各单位报送的台账，写出进展文件
    docgen report PLAN        根据进展文件生成工作进展情况通报
    docgen remind PLAN        为有逾期、滞后任务的单位生成督办通知
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True, help="输出格式：text 给人看，json 给程序读，github 生成 GitHub Actions 注释。")
@click.option("--select", multiple=True, metavar="CODES", help="只检查这些规则（代码、代码前缀或名称，逗号分隔）。")
@click.option("--ignore", multiple=True, metavar="CODES", help="不检查这些规则（代码、代码前缀或名称，逗号分隔）。")
@click.option("--registry", "registry_paths", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="单位库文件或目录（可多次指定），代替配置中的 registry。")
def check(paths: tuple[Path, ...], fmt: str, select: tuple[str, ...], ignore: tuple[str, ...],
          registry_paths: tuple[Path, ...]) -> None:
    """检查方案和单位库：先按 schema 检查结构，再按规则检查内容。

    PATH 可以是文件或目录，默认检查配置中的 paths（plans/）。退出码：0 没有问题，1 发现问题，
    2 用法错误或文件无法读取。
    """
    from docgen.jobs.check import check as run_check
    from docgen.config import load_settings
    from docgen.report import REPORTERS, summary
    from docgen.rules import registry

    settings = _settings(load_settings)
    if select:
        settings.select = _codes(select)
    settings.ignore = settings.ignore + _codes(ignore)
    if registry_paths:
        settings.registry = list(registry_paths)
    try:
        registry.selected_codes(settings.select, settings.ignore)
    except registry.UnknownRule as exc:
        raise click.UsageError(f"“{exc.key}”不是规则代码或名称。可用的规则见 `docgen rules`。") from None
    targets = list(paths) or [p for p in settings.paths if p.exists()]
    if not targets:
        raise click.UsageError("没有要检查的文件：请指定路径，或在 pyproject.toml 的 [tool.docgen] 中设置 paths。")
    result = run_check(targets, settings)
    REPORTERS[fmt]().report(result, sys.stdout)
    click.echo(summary(result), err=True)
    if any(p.code == "DG008" for p in result.problems):
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_CLEAN if result.clean else EXIT_FINDINGS)


@cli.command()
@click.argument("code", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules(code: str | None, fmt: str) -> None:
    """列出全部检查规则；给出 CODE（代码或名称）时显示这条规则的说明。"""
    from docgen.rules import registry

    if code:
        try:
            rule = registry.get(code)
        except registry.UnknownRule:
            raise click.UsageError(f"没有规则“{code}”。运行 `docgen rules` 查看全部规则。") from None
        if fmt == "json":
            click.echo(json.dumps(_rule_dict(rule), ensure_ascii=False, indent=2))
        else:
            click.echo(f"{rule.code} {rule.name}（{rule.severity.label}）\n\n{rule.doc()}")
        return
    if fmt == "json":
        click.echo(json.dumps([_rule_dict(r) for r in registry.ALL], ensure_ascii=False, indent=2))
        return
    for rule in registry.ALL:
        click.echo(f"{rule.code}  {rule.name:<26} {rule.severity.label}  {rule.summary}")


@cli.command()
@click.argument("parent", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--to", "to", multiple=True, metavar="UNIT", help="为这些下级组织生成（可多次指定；可以是更下一级，中间层级一并生成）。")
@click.option("--to-level", metavar="LEVEL", help="为这一层级的全部下级组织生成，例如“乡镇街道”“村社区”。")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="输出目录（默认是上级方案所在目录）；每个下级写到 目录/组织名称/方案文件名。")
@click.option("--earlier-months", type=click.IntRange(0, 24), default=0, show_default=True,
              help="把每个有日期的完成时限比上级提前这么多个月。")
@click.option("--force", is_flag=True, help="已有的下级方案直接覆盖，不做合并（会丢弃其中的修改）。")
@click.option("--render", "render_children", is_flag=True, help="生成后把每个下级方案排版为 .docx（写到 build/）。")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True)
def cascade(parent: Path, to: tuple[str, ...], to_level: str | None, out_dir: Path | None, earlier_months: int,
            force: bool, render_children: bool, fmt: str) -> None:
    """把上级方案级联为各下级组织的方案草稿（YAML，可直接修改）。

    默认为上级方案所属组织的每个直属下级各生成一份。已有的下级方案会做三方合并：保留本级的修改，
    合并上级的修改，两边改了同一处时报告冲突。退出码：0 完成，1 有问题或冲突，2 用法错误。
    """
    from docgen.cascade.derive import Options
    from docgen.jobs.cascade import CascadeUsageError
    from docgen.jobs.cascade import cascade as run_cascade
    from docgen.config import load_settings
    from docgen.problems import Result
    from docgen.report import REPORTERS

    if to and to_level:
        raise click.UsageError("--to 和 --to-level 只能用一个。")
    settings = _settings(load_settings)
    with _Progress("级联") as tick:
        try:
            outcome = run_cascade(parent, settings, to=list(to), to_level=to_level, out_dir=out_dir,
                                  options=Options(earlier_months), force=force, progress=tick)
        except CascadeUsageError as exc:
            raise click.UsageError(str(exc)) from None
    if outcome.problems:
        REPORTERS[fmt]().report(Result(problems=outcome.problems), sys.stdout)
        click.echo(f"发现 {len(outcome.problems)} 个问题，没有写出任何下级方案。", err=True)
        sys.exit(EXIT_FINDINGS)
    from docgen.problems import display_path
    merged = sum(1 for c in outcome.children if c.merged)
    for child, conflict, line in outcome.conflicts:
        click.echo(f"{display_path(child.path)}:{line}: 冲突 {conflict.tag} 本级为“{conflict.mine}”，"
                   f"上级方案改为“{conflict.theirs}”")
    click.echo(f"写出 {len(outcome.children)} 个下级方案（其中 {merged} 个与已有文件合并），"
               f"冲突 {len(outcome.conflicts)} 处。", err=True)
    if render_children:
        _render_plans([c.path for c in outcome.children], settings)
    sys.exit(EXIT_FINDINGS if outcome.conflicts else EXIT_CLEAN)


class _Progress:
    """A progress bar on stderr whose total is learnt from the first tick(done, total)."""

    def __init__(self, label: str):
        self.label = label
        self.bar = None

    def __enter__(self):
        return self.tick

    def tick(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(1)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _render_plans(paths: list[Path], settings) -> None:
    """Render plans to .docx in build/ (used by cascade --render)."""
    from docgen.problems import display_path
    from docgen.jobs.render import render_plans

    with _render_errors():
        rendered = render_plans(paths, settings)
    for path in rendered.files:
        click.echo(display_path(path))


def _date_option(ctx, param, value):
    if value is None:
        return None
    from docgen.deadlines import DeadlineError, parse_date

    try:
        return parse_date(value)
    except DeadlineError as exc:
        raise click.BadParameter(str(exc)) from None


@cli.command()
@click.argument("plan", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--unit", "units", multiple=True, metavar="NAME", help="只为这些单位（或单位组）生成，可多次指定。")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="输出目录（默认 build/notify/方案文件名/）。")
@click.option("--pdf", is_flag=True, help="同时生成每份通知的 PDF（LibreOffice 一次转换全部）。")
@click.option("--bundle", is_flag=True, help="另外生成一份带书签的通知汇编 PDF（含 --pdf）。")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True, help="并行的进程数。")
@click.option("--date", callback=_date_option, metavar="DATE", help="通知的成文日期（默认为方案的印发日期）。")
@click.option("--due", callback=_date_option, metavar="DATE", help="台账报送截止日期（默认成文日期后 15 天）。")
@click.option("--contact", default="", metavar="TEXT", help="联系人和电话，例如“张明，0000-1234567”。")
@click.option("--number", default="", metavar="TEXT", help="通知的发文字号（整批共用，可不写）。")
def notify(plan: Path, units: tuple[str, ...], out_dir: Path | None, pdf: bool, bundle: bool, jobs: int, date,
           due, contact: str, number: str) -> None:
    """为方案中每个有任务的单位生成任务通知（.docx）和台账（.xlsx），并写出清单 manifest.json。

    单位组按单位库展开（如“各乡镇（街道）”为每个乡镇、街道各生成一份）。一个单位失败不影响其他单位；
    退出码：0 全部完成，1 方案有错误或有单位失败，2 用法错误、模板或 LibreOffice 的问题。
    """
    from docgen.config import load_settings
    from docgen.jobs.notify import NotifyUsageError
    from docgen.jobs.notify import notify as run_notify
    from docgen.problems import display_path

    settings = _settings(load_settings)
    if number:
        from docgen.rules.wording import DocNumberFormat

        advice = DocNumberFormat.diagnose(number)
        if advice:
            raise click.BadParameter(f"发文字号“{number}”格式不对：{advice}", param_hint="--number")
    target = out_dir or settings.root / "build" / "notify" / plan.stem
    with _render_errors(), _Progress("通知") as tick:
        try:
            outcome = run_notify(plan, settings, target, units=list(units), pdf=pdf or bundle, bundle=bundle,
                                 jobs=jobs, date=date, due=due, contact=contact, number=number, progress=tick)
        except NotifyUsageError as exc:
            raise click.UsageError(str(exc)) from None
    if outcome.problems:
        _print_problems(outcome.problems)
        click.echo("方案有错误，没有生成通知。请先改正上面的问题。", err=True)
        sys.exit(EXIT_FINDINGS)
    done = [u for u in outcome.units if not u.error]
    click.echo(display_path(outcome.manifest))
    if outcome.bundle:
        click.echo(display_path(outcome.bundle))
    click.echo(f"为 {len(done)} 个单位生成了通知和台账，写在 {display_path(target)}。", err=True)
    if outcome.idle:
        click.echo(f"以下单位在方案中没有任务，未生成通知：{'、'.join(outcome.idle)}。", err=True)
    elif outcome.without_tasks:
        click.echo(f"单位库中另有 {len(outcome.without_tasks)} 个单位在方案中没有任务，未生成通知"
                   f"（{'、'.join(outcome.without_tasks[:8])}{'等' if len(outcome.without_tasks) > 8 else ''}）。",
                   err=True)
    for unit in outcome.failures:
        click.echo(f"失败：{unit.recipient.name}：{unit.error}", err=True)
    sys.exit(EXIT_FINDINGS if outcome.failures else EXIT_CLEAN)


# -- progress: collect ledgers, 通报, 督办 (docgen.progress) ----------------------------------------


def _limits(ctx, param, values: tuple[str, ...]):
    """--limit NAME=VALUE (repeatable) over $DOCGEN_LIMITS over the defaults (docgen.untrusted)."""
    from docgen.untrusted import Limits

    try:
        return Limits.from_environment(values)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


_LIMIT_OPTION = click.option(
    "--limit", "limits", multiple=True, metavar="NAME=VALUE", callback=_limits,
    help="放宽或收紧读取外来文件的限制（可多次指定，也可用环境变量 DOCGEN_LIMITS）：size 文件大小、unpacked 解压后大小"
         "（可带 K/M/G）、rows 行数、columns 列数、cells 单元格数、depth 嵌套层数、time 每个文件的读取秒数。")


@contextlib.contextmanager
def _progress_errors():
    """Unreadable input or bad options of collect/report/remind: one Chinese line, exit 2."""
    from docgen.jobs.progress import ProgressUsageError

    try:
        yield
    except ProgressUsageError as exc:
        click.echo(f"docgen: {exc}", err=True)
        sys.exit(EXIT_USAGE)


def _plan_failed(problems) -> None:
    _print_problems(problems)
    click.echo("方案有错误，请先改正上面的问题（docgen check 可单独检查）。", err=True)
    sys.exit(EXIT_FINDINGS)


@cli.command()
@click.argument("ledgers", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="写出的进展文件（YAML）。")
@click.option("--plan", "plan", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="台账所属的方案（默认取台账“填报信息”中的方案文件）。")
@click.option("--as-of", "as_of", callback=_date_option, metavar="DATE", help="统计截止日期（默认今天）。")
@click.option("--partial", is_flag=True, help="台账有错误时，仍写出其余正确的行。")
@_LIMIT_OPTION
def collect(ledgers: tuple[Path, ...], out: Path, plan: Path | None, as_of, partial: bool, limits) -> None:
    """汇总各单位报送的台账（.xlsx），写出按任务和单位排列的进展文件。

    逐个报告问题（文件:工作表!单元格）。有错误时不写进展文件，除非加 --partial（只写正确的行）。
    退出码：0 全部正确，1 台账或方案有错误，2 用法错误或文件无法读取。
    """
    from docgen.config import load_settings
    from docgen.problems import display_path
    from docgen.jobs.progress import collect as run_collect

    settings = _settings(load_settings)
    with _progress_errors():
        result = run_collect(list(ledgers), settings, out, plan_path=plan, as_of=as_of, partial=partial,
                             limits=limits)
    _print_problems(result.problems)
    errors = [p for p in result.problems if p.severity.value == "error"]
    if result.written:
        click.echo(display_path(result.written))
        click.echo(f"汇总了 {result.units} 个单位的 {result.rows} 条进展。", err=True)
    elif errors:
        click.echo(f"台账有 {len(errors)} 处错误，没有写出进展文件。改正后重新汇总，或加 --partial 只汇总正确的行。",
                   err=True)
    sys.exit(EXIT_FINDINGS if errors else EXIT_CLEAN)


@cli.command()
@click.argument("plan", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--progress", "progress_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="进展文件（docgen collect 写出或手写）。")
@click.option("--as-of", "as_of", callback=_date_option, metavar="DATE", help="统计截止日期（默认为进展文件中的“截至”）。")
@click.option("--previous", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="上一期的进展文件，用于环比。")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="输出目录（默认 build/report/方案文件名/）。")
@click.option("--signature", default="", metavar="TEXT", help="署名（默认“方案简称工作专班（代章）”）。")
@click.option("--number", default="", metavar="TEXT", help="通报的发文字号（可不写）。")
def report(plan: Path, progress_file: Path, as_of, previous: Path | None, out_dir: Path | None, signature: str,
           number: str) -> None:
    """根据进展文件生成工作进展情况通报（.docx）：统计、完成情况、存在问题、下一步措施和附表。

    退出码：0 已生成，1 方案有错误，2 用法错误、文件无法读取或模板的问题。
    """
    from docgen.config import load_settings
    from docgen.problems import display_path
    from docgen.jobs.progress import report as run_report

    settings = _settings(load_settings)
    target = out_dir or settings.root / "build" / "report" / plan.stem
    with _render_errors(), _progress_errors():
        result = run_report(plan, settings, progress_file, target, as_of=as_of, previous=previous,
                            signature=signature, number=number)
    if result.problems:
        _plan_failed(result.problems)
    click.echo(display_path(result.written))
    f = result.figures
    click.echo(f"{len(f.tasks)} 项任务已完成 {f.done} 项，逾期 {f.count('overdue')} 项，滞后 {f.count('lagging')} 项。",
               err=True)
    sys.exit(EXIT_CLEAN)


@cli.command()
@click.argument("plan", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--progress", "progress_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="进展文件（docgen collect 写出或手写）。")
@click.option("--as-of", "as_of", callback=_date_option, metavar="DATE", help="统计截止日期（默认为进展文件中的“截至”）。")
@click.option("--due", callback=_date_option, metavar="DATE", help="办理情况报送期限（默认截止日期后 10 天）。")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="输出目录（默认 build/remind/方案文件名/）。")
@click.option("--number", default="", metavar="TEXT", help="督办通知的发文字号（整批共用，可不写）。")
def remind(plan: Path, progress_file: Path, as_of, due, out_dir: Path | None, number: str) -> None:
    """只为有逾期或进度滞后任务的单位生成督办通知（.docx），列出这些任务。

    退出码：0 已生成（或没有需要督办的单位），1 方案有错误，2 用法错误或文件无法读取。
    """
    from docgen.config import load_settings
    from docgen.problems import display_path
    from docgen.jobs.remind import remind as run_remind

    settings = _settings(load_settings)
    target = out_dir or settings.root / "build" / "remind" / plan.stem
    with _render_errors(), _progress_errors():
        result = run_remind(plan, settings, progress_file, target, as_of=as_of, due=due, number=number)
    if result.problems:
        _plan_failed(result.problems)
    for path in result.written.values():
        click.echo(display_path(path))
    if result.written:
        click.echo(f"为 {len(result.written)} 个单位生成了督办通知，写在 {display_path(target)}。", err=True)
    else:
        click.echo("没有逾期或进度滞后的任务，无需督办。", err=True)
    sys.exit(EXIT_CLEAN)


@contextlib.contextmanager
def _render_errors():
    """Plans with errors exit 1 with their findings; template, folder or LibreOffice trouble exits 2."""
    from docgen.jobs.render import PlanErrors
    from docgen.render import RenderError

    try:
        yield
    except PlanErrors as exc:
        _print_problems(exc.problems)
        for location, message in exc.findings:
            click.echo(f"{location}: 错误 {message}", err=True)
        click.echo("方案有错误，没有生成文件。请先改正上面的问题（docgen check 可单独检查）。", err=True)
        sys.exit(EXIT_FINDINGS)
    except RenderError as exc:
        click.echo(f"docgen: {exc}", err=True)
        sys.exit(EXIT_USAGE)


# -- diff and git integration (docgen.diff) ---------------------------------------------------------


class _PathsAfterDashDash(click.Command):
    """Keeps the arguments after ``--`` apart: click would otherwise merge them with the rest."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" in args:
            cut = args.index("--")
            ctx.meta["docgen.paths"] = args[cut + 1:]
            args = args[:cut]
        return super().parse_args(ctx, args)


def _use_color(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty() or bool(os.environ.get("GIT_PAGER_IN_USE"))


def _diff_failed(exc) -> None:
    """Print why a diff could not be made (findings first, then one line) and exit 2."""
    _print_problems(getattr(exc, "problems", []))
    click.echo(getattr(exc, "message", str(exc)), err=True)
    sys.exit(EXIT_USAGE)


@cli.command(cls=_PathsAfterDashDash)
@click.argument("args", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True,
              help="输出格式：text 给人看（终端上带颜色），markdown 用于合并请求评论和 CI 摘要，json 给程序读。")
@click.option("--docx", "docx_path", type=click.Path(dir_okay=False, path_type=Path),
              help="同时把修订对照表（原文｜修改后｜修改说明）写入这个 .docx 文件。")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="text 格式是否带颜色；auto 表示只在终端上带颜色。")
@click.pass_context
def diff(ctx: click.Context, args: tuple[str, ...], fmt: str, docx_path: Path | None, color: str) -> None:
    """比较方案的两个版本，按审稿人的说法列出修改。

    \b
    docgen diff 旧文件 新文件             比较两个方案文件
    docgen diff 版本 [版本2] [-- 路径…]    比较 git 版本中每个有修改的方案
                                         （只给一个版本时与工作区比较，不给版本时比较 HEAD
                                         与工作区；也可写 A..B、A...B）

    \b
    列出新增、删除、移动、改写、改编号的任务（改写逐字标出），以及责任单位、
    完成时限、指标和文件要素的修改；插入任务引起的序号变化不算修改。
    退出码：0 没有修改，1 有修改，2 出错（文件或版本无法读取）。
    """
    from docgen.config import load_settings
    from docgen.diff.formats import FORMATS, TextFormat
    from docgen.diff.result import DiffError, summary
    from docgen.diff.sources import compare

    settings = _settings(load_settings)
    try:
        result = compare(list(args), ctx.meta.get("docgen.paths"), Path.cwd(), settings)
    except DiffError as exc:
        _diff_failed(exc)
    formatter = TextFormat(_use_color(color)) if fmt == "text" else FORMATS[fmt]()
    formatter.write(result, sys.stdout)
    if docx_path is not None:
        from docgen.compose.revisions import write_revision_table

        try:
            write_revision_table(result, docx_path)
        except OSError as exc:
            from docgen.files import describe

            _diff_failed(DiffError(f"无法写入修订对照表 {docx_path}：{describe(exc)}。请检查路径和权限。"))
        click.echo(f"修订对照表已写入 {docx_path}。", err=True)
    click.echo(summary(result), err=True)
    sys.exit(EXIT_FINDINGS if result.different else EXIT_CLEAN)


@cli.command("git-setup")
def git_setup() -> None:
    """配置当前 git 仓库：git diff 显示方案的语义差异，Word 文件显示其中的文字。

    \b
    git log -p、git show 显示方案提纲的差异（加 --ext-diff 显示语义差异）。
    写入 .gitattributes（请提交）和本仓库的 git 配置（.git/config，不提交；
    每份克隆各运行一次）。
    """
    from docgen.config import load_settings
    from docgen.diff.git import setup
    from docgen.diff.result import DiffError
    from docgen.gitutil import GitError

    settings = _settings(load_settings)
    try:
        report = setup(Path.cwd(), settings)
    except (DiffError, GitError) as exc:
        _diff_failed(exc)
    click.echo(f"已更新 {report.attributes}（请提交这个文件）：")
    for line in report.patterns:
        click.echo(f"  {line}")
    click.echo("已写入本仓库的 git 配置：")
    for key, value in report.config.items():
        click.echo(f"  {key} = {value}")
    click.echo("现在 git diff 显示方案的语义差异；git log -p、git show 显示方案提纲的差异，加 --ext-diff 显示语义差异。")


@cli.command("git-diff-driver", hidden=True, context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def git_diff_driver(args: tuple[str, ...]) -> None:
    """git 调用的外部差异程序（由 docgen git-setup 配置，参数由 git 传入）。"""
    from docgen.config import Settings
    from docgen.diff.git import driver
    from docgen.diff.result import DiffError

    try:
        click.echo(driver(list(args), Settings(root=Path.cwd()), _use_color("auto")), nl=False, color=True)
    except DiffError as exc:
        _diff_failed(exc)


@cli.command(hidden=True)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_LIMIT_OPTION
def textconv(path: Path, limits) -> None:
    """把文件转为文字供 git 比较：方案显示为提纲，Word 文件显示段落和表格。"""
    from docgen.config import Settings
    from docgen.diff.git import textconv as convert
    from docgen.diff.result import DiffError

    try:
        click.echo(convert(path, Settings(root=Path.cwd()), limits), nl=False)
    except DiffError as exc:
        _diff_failed(exc)


_REGISTRY_OPTION = click.option(
    "--registry", "registry_paths", multiple=True, type=click.Path(exists=True, path_type=Path),
    help="单位库文件或目录（可多次指定），代替配置中的 registry。")
_TIMEOUT_OPTION = click.option(
    "--timeout", type=click.FloatRange(min=1), default=300, show_default=True, metavar="SECONDS",
    help="LibreOffice 转换 PDF 的时限（秒）。")


@cli.command()
@click.argument("plan", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="输出目录，默认为项目下的 build/。")
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 生成 PDF。")
@_REGISTRY_OPTION
@_TIMEOUT_OPTION
def render(plan: Path, out_dir: Path | None, pdf: bool, registry_paths: tuple[Path, ...], timeout: float) -> None:
    """把方案 PLAN 生成符合 GB/T 9704 的公文：DIR/方案文件名.docx（加 --pdf 再生成 .pdf）。

    方案先经过检查，有错误时不生成任何文件。退出码：0 成功，1 方案有错误，2 模板、输出目录或
    LibreOffice 的问题。
    """
    _run_render([plan], out_dir, pdf=pdf, registry_paths=registry_paths, timeout=timeout, keep_folders=False)


@cli.command()
@click.argument("out_dir", metavar="[DIR]", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--pdf/--no-pdf", default=True, show_default=True, help="是否同时生成 PDF。")
@_REGISTRY_OPTION
@_TIMEOUT_OPTION
def build(out_dir: Path | None, pdf: bool, registry_paths: tuple[Path, ...], timeout: float) -> None:
    """把配置中 paths（默认 plans/）下的全部方案生成公文，放到 DIR（默认 build/），保留子目录。

    例如 plans/city/three-year-plan.yaml 生成 build/city/three-year-plan.docx 和 .pdf。
    任何一份方案有错误时不生成任何文件。退出码同 render。
    """
    _run_render(None, out_dir, pdf=pdf, registry_paths=registry_paths, timeout=timeout, keep_folders=True)


def _run_render(paths: list[Path] | None, out_dir: Path | None, *, pdf: bool, registry_paths: tuple[Path, ...],
                timeout: float, keep_folders: bool) -> None:
    from docgen.config import load_settings
    from docgen.jobs.render import render as run_render

    settings = _settings(load_settings)
    if registry_paths:
        settings.registry = list(registry_paths)
    targets = paths or [p for p in settings.paths if p.exists()]
    if not targets:
        raise click.UsageError("没有要生成的方案：请在 pyproject.toml 的 [tool.docgen] 中设置 paths。")
    with _render_errors():
        rendered = run_render(targets, settings, out_dir or settings.root / "build", pdf=pdf, timeout=timeout,
                              keep_folders=keep_folders)
    _print_problems(rendered.warnings)
    from docgen.problems import display_path

    for path in rendered.files:
        click.echo(display_path(path))
    click.echo(f"生成了 {len(rendered.files)} 个文件。", err=True)
    sys.exit(EXIT_CLEAN)


def _rule_dict(rule) -> dict[str, str]:
    return {"code": rule.code, "name": rule.name, "severity": rule.severity.value,
            "stage": rule.stage, "summary": rule.summary, "doc": rule.doc()}


def _settings(load_settings):
    try:
        return load_settings()
    except DocgenError as exc:
        _print_problems(exc.problems)
        sys.exit(EXIT_USAGE)


def main() -> None:
    """Console entry point: a bug prints one line (full traceback with DOCGEN_DEBUG=1), exit 3."""
    try:
        cli(prog_name="docgen")
    except DocgenError as exc:
        _print_problems(exc.problems)
        sys.exit(EXIT_USAGE)
    except Exception as exc:  # noqa: BLE001 - last line of defence, bugs only
        if os.environ.get("DOCGEN_DEBUG"):
            traceback.print_exc()
        click.echo(f"docgen 内部错误：{type(exc).__name__}: {exc}。请设置 DOCGEN_DEBUG=1 重试并报告。", err=True)
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
