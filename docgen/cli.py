"""The `docgen` command line. Parses options, calls the pipeline, maps the outcome to an exit code.

Exit codes: 0 clean, 1 findings, 2 usage error or unreadable input, 3 internal error.
Machine output goes to stdout; summaries and progress to stderr.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path

import click

from docgen import clitext
from docgen.errors import DocgenError

clitext.install()

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _codes(values: tuple[str, ...]) -> list[str]:
    return [c.strip() for v in values for c in v.split(",") if c.strip()]


def _print_problems(problems) -> None:
    for p in problems:
        click.echo(f"{p.location}: {p.severity.label} {p.code} [{p.name}] {p.message}", err=True)


def _report_error(exc: DocgenError) -> None:
    """Print a `DocgenError` as the drafter should see it: its findings, then one line."""
    _print_problems(exc.problems)
    for location, message in getattr(exc, "findings", ()):
        click.echo(f"{location}: 错误 {message}", err=True)
    shown = {p.message for p in exc.problems}
    if exc.message and exc.message not in shown:
        click.echo(f"docgen: {exc}", err=True)


#: Modules of the optional extras (pyproject.toml): a light install (the pre-commit hook's) lacks them.
_EXTRAS = {"docx": "documents", "docxtpl": "documents", "jinja2": "documents", "openpyxl": "documents",
           "xlsxwriter": "documents", "pypdf": "documents", "jieba": "documents", "pdfplumber": "documents",
           "matplotlib": "documents", "defusedxml": "documents", "olefile": "documents", "pygls": "lsp",
           "lsprotocol": "lsp", "starlette": "serve", "uvicorn": "serve", "psycopg": "serve", "segno": "serve",
           "multipart": "serve", "python_multipart": "serve", "httptools": "serve", "uvloop": "serve",
           "typst": "documents"}


def _missing_extra(exc: ModuleNotFoundError) -> bool:
    """Say which extra to install when a command needs a module the light install leaves out."""
    top = (exc.name or "").split(".")[0]
    extra = _EXTRAS.get(top)
    if extra is None:
        return False
    click.echo(f"docgen：这条命令需要 {top}，当前安装的是只含检查功能的精简版。请安装完整版："
               f"pip install 'docgen[all]'（或只装 docgen[{extra}]）。", err=True)
    return True


class _Command(click.Command):
    """A command whose usage line reads in Chinese."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)


class _Group(click.Group):
    """Maps the one error hierarchy to exit codes: findings 1, everything else the user can fix 2."""

    command_class = _Command

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except DocgenError as exc:
            _report_error(exc)
            sys.exit(exc.exit_code)
        except ModuleNotFoundError as exc:
            if not _missing_extra(exc):
                raise
            sys.exit(EXIT_USAGE)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 120})
@click.version_option(package_name="docgen", message="%(prog)s，版本 %(version)s")
def cli() -> None:
    """docgen：把结构化的工作方案生成规范公文。

    先用 docgen check 检查方案，再用 render、build 生成公文，用 cascade 级联到下级，用 notify 给成员单位
    发通知和台账，用 collect、report、remind 汇总进展、写通报、督办；收到的公文用 import 导入为方案。
    每条命令加 -h 查看用法。退出码：0 完成，1 发现问题，2 用法错误或文件无法读取。
    """


@cli.command()
@click.argument("paths", nargs=-1, metavar="[路径]...", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "sarif"]), default="text",
              show_default=True, help="输出格式：text 给人看，json 给程序读，github 生成 GitHub Actions 注释，sarif 是 "
                                      "SARIF 2.1.0（GitHub 代码扫描、GitLab 等读取）。")
@click.option("--select", multiple=True, metavar="规则", help="只检查这些规则（代码、代码前缀或名称，逗号分隔）。")
@click.option("--ignore", multiple=True, metavar="规则", help="不检查这些规则（代码、代码前缀或名称，逗号分隔）。")
@click.option("--registry", "registry_paths", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="单位库文件或目录（可多次指定），代替配置中的 registry。")
@click.option("--dependents", is_flag=True,
              help="同时检查依赖于这些文件的方案：给出单位库文件时检查配置 paths 下的全部方案，给出方案时检查以它为"
                   "上级方案（逐级）的方案。pre-commit 钩子用它。")
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default=None,
              help="什么问题算失败（退出码 1）：error 只有错误时（默认，只有警告时退出码为 0），warning 有警告也算。"
                   "默认取配置中的 fail-on。")
@click.option("--exit-zero", is_flag=True, help="发现问题时退出码也为 0（只报告，不让提交或 CI 失败）。")
@click.option("--fix", "apply_fixes", is_flag=True,
              help="自动改正能安全改正的问题（发文字号的括号、半角标点、只有一个明确对象的单位名称、实施期限确定的"
                   "年份），只改这几处文字，注释和格式不变；再报告其余的问题。")
@click.option("--diff", "show_diff", is_flag=True, help="显示 --fix 会做的修改（统一差异格式），不写入文件。")
def check(paths: tuple[Path, ...], fmt: str, select: tuple[str, ...], ignore: tuple[str, ...],
          registry_paths: tuple[Path, ...], dependents: bool, fail_on: str | None, exit_zero: bool,
          apply_fixes: bool, show_diff: bool) -> None:
    """检查方案和单位库：先按 schema 检查结构，再按规则检查内容。

    路径可以是文件或目录，默认检查配置中的 paths（plans/）。

    退出码：0 没有问题或只有警告；1 发现错误（fail-on 为 warning 时有警告也是 1）；2 用法错误或文件无法读取。
    """
    from docgen.config import load_settings
    from docgen.jobs.check import check_projects, settings_for
    from docgen.problems import Severity, display_path
    from docgen.report import REPORTERS, failed, summary

    options = _options(select, ignore, registry_paths)
    here = load_settings()
    targets = list(paths) or [p for p in here.paths if p.exists()]
    if not targets:
        raise click.UsageError("没有要检查的文件：请指定路径，或在 pyproject.toml 的 [tool.docgen] 中设置 paths。")
    settings = settings_for(targets[0], options)
    if fail_on:
        settings.fail_on = Severity(fail_on)
    if dependents:
        from docgen.jobs.dependents import find

        found = find(targets, settings)
        if found.added:
            names = "、".join(display_path(p) for p in found.added)
            click.echo(f"另外检查依赖于这些文件的 {len(found.added)} 个方案：{names}", err=True)
        targets = found.files
    if show_diff:
        from docgen.jobs.check import fix

        result, edited = fix(targets, options, write=False)
        for one in edited:
            click.echo(one.diff(), nl=False)
        count = sum(one.applied for one in edited)
        click.echo(f"可以自动改正 {len(edited)} 个文件中的 {count} 处问题（加 --fix 写入）。" if count
                   else "没有可以自动改正的问题。", err=True)
        sys.exit(EXIT_FINDINGS if count and not exit_zero else EXIT_CLEAN)
    if apply_fixes:
        from docgen.jobs.check import fix

        result, edited = fix(targets, options)
        for one in edited:
            click.echo(f"已改正 {display_path(Path(one.name))}：{one.applied} 处。", err=True)
    else:
        with _Progress("检查（MB）") as tick:
            result = check_projects(targets, options, progress=_large_check(tick))
    REPORTERS[fmt]().report(result, sys.stdout)
    click.echo(summary(result, settings.fail_on, exit_zero), err=True)
    if any(p.code == "DG008" for p in result.problems):
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_FINDINGS if failed(result, settings.fail_on) and not exit_zero else EXIT_CLEAN)


@cli.command()
@click.argument("code", required=False, metavar="[规则]")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式：text 给人看，json 给程序读。")
def rules(code: str | None, fmt: str) -> None:
    """列出全部检查规则；给出规则（代码或名称）时显示这条规则的说明。"""
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
@click.argument("parent", metavar="上级方案", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--to", "to", multiple=True, metavar="组织", help="为这些下级组织生成（可多次指定；可以是更下一级，中间层级一并生成）。")
@click.option("--to-level", metavar="层级", help="为这一层级的全部下级组织生成，例如“乡镇街道”“村社区”。")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="输出目录（默认是项目下的 build/cascade/；级联 build/cascade/ 中的草稿时是它所在的目录）；"
                   "每个下级写到 目录/组织名称/方案文件名。")
@click.option("--into", "into", type=click.Path(file_okay=False, path_type=Path),
              help="把下级方案写到方案目录中（例如 --into plans/city，写到 plans/city/组织名称/），与正式方案放在一起，"
                   "此后 docgen check、build 也会处理它们。")
@click.option("--earlier-months", type=clitext.IntRange(0, 24), metavar="月数", default=0, show_default=True,
              help="把每个有日期的完成时限比上级提前这么多个月。")
@click.option("--force", is_flag=True, help="已有的下级方案直接覆盖，不做合并（会丢弃其中的修改）。")
@click.option("--render", "render_children", is_flag=True, help="生成后把每个下级方案排版为 .docx（写到 build/）。")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="问题的输出格式：text 给人看，json 给程序读，github 生成 GitHub Actions 注释。")
def cascade(parent: Path, to: tuple[str, ...], to_level: str | None, out_dir: Path | None, into: Path | None,
            earlier_months: int, force: bool, render_children: bool, fmt: str) -> None:
    """把上级方案级联为各下级组织的方案草稿（YAML，可直接修改）。

    默认为上级方案所属组织的每个直属下级各生成一份，写到项目下的 build/cascade/组织名称/（不与正式方案混在一起；
    定稿后用 --into plans/… 放到方案目录中）。已有的下级方案会做三方合并：保留本级的修改，
    合并上级的修改，两边改了同一处时报告冲突。退出码：0 完成，1 有问题或冲突，2 用法错误。
    """
    from docgen.cascade.derive import Options
    from docgen.jobs.cascade import cascade as run_cascade
    from docgen.problems import Result
    from docgen.report import REPORTERS

    if to and to_level:
        raise click.UsageError("--to 和 --to-level 只能用一个。")
    if into and out_dir:
        raise click.UsageError("-o 和 --into 只能用一个。")
    settings = _settings(parent)
    out_dir = into or out_dir or _drafts_folder(parent, settings.root)
    with _Progress("级联") as tick:
        outcome = run_cascade(parent, settings, to=list(to), to_level=to_level, out_dir=out_dir,
                              options=Options(earlier_months), force=force, progress=tick,
                              render_to=settings.root / "build" if render_children else None)
    if outcome.problems:
        REPORTERS[fmt]().report(Result(problems=outcome.problems), sys.stdout)
        click.echo(f"发现 {len(outcome.problems)} 个问题，没有写出任何下级方案。", err=True)
        sys.exit(EXIT_FINDINGS)
    if outcome.warnings:  # the children are written; these are for the drafter to look at
        REPORTERS[fmt]().report(Result(problems=outcome.warnings), sys.stdout)
    from docgen.problems import display_path
    merged = sum(1 for c in outcome.children if c.merged)
    for child in outcome.children:
        click.echo(display_path(child.path))
    for child, conflict, line in outcome.conflicts:
        click.echo(f"{display_path(child.path)}:{line}: 冲突 {conflict.tag} 本级为“{conflict.mine}”，"
                   f"上级方案改为“{conflict.theirs}”")
    click.echo(f"写出 {len(outcome.children)} 个下级方案（其中 {merged} 个与已有文件合并），"
               f"冲突 {len(outcome.conflicts)} 处。", err=True)
    for path in outcome.rendered:
        click.echo(display_path(path))
    sys.exit(EXIT_FINDINGS if outcome.conflicts else EXIT_CLEAN)


def _drafts_folder(parent: Path, root: Path) -> Path:
    """Where cascade drafts go by default: build/cascade/ of the project, apart from the real plans
    (which check and build read); a draft already there gets its children beside it."""
    drafts = root / "build" / "cascade"
    try:
        parent.resolve().relative_to(drafts.resolve())
    except ValueError:
        return drafts
    return parent.parent


class _Progress:
    """Progress of a long job on stderr, never stdout: a bar on a terminal, a line per step otherwise.

    Jobs call ``tick(done, total)`` and may name a new phase with ``tick(done, total, label)``
    (say "生成 PDF" after the documents); off a terminal a line is printed at each tenth of a
    phase, so a log shows that the job is alive without drowning in lines.
    """

    def __init__(self, label: str, stream=None):
        self.label = label
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.bar = None
        self.done = 0
        self.step = 0

    def __enter__(self):
        return self.tick

    def tick(self, done: int, total: int, label: str | None = None) -> None:
        if label and label != self.label:
            self._close()
            self.label, self.done, self.step = label, 0, 0
        if self.tty:
            if self.bar is None:
                self.bar = click.progressbar(length=total, label=self.label, file=self.stream)
                self.bar.__enter__()
            self.bar.update(done - self.done)
        else:
            step = done * 10 // max(total, 1)
            if step > self.step or done == total and self.done != total:
                click.echo(f"{self.label}：{done}/{total}", file=self.stream)
                self.step = step
        self.done = done

    def _close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def __exit__(self, *exc) -> None:
        self._close()


#: Checks of fewer bytes than this (about 8,000 tasks, two seconds) show no progress: the summary suffices.
CHECK_PROGRESS_BYTES = 4 * 1024 * 1024


def _large_check(tick):
    """A `check_files` progress callback (bytes) that shows megabytes, only for a large check."""
    def progress(done: int, total: int) -> None:
        if total >= CHECK_PROGRESS_BYTES:
            tick(done // (1024 * 1024), total // (1024 * 1024))
    return progress


def _date_option(ctx, param, value):
    if value is None:
        return None
    from docgen.deadlines import DeadlineError, parse_date

    try:
        return parse_date(value)
    except DeadlineError as exc:
        raise click.BadParameter(str(exc)) from None


_ENGINE_OPTION = click.option(
    "--pdf-engine", type=click.Choice(["typst", "libreoffice"]), default="typst", show_default=True,
    help="生成 PDF 的引擎：typst 直接排版同一份文档（默认，快得多，不需要 LibreOffice；方案或单位自带 Word 模板时"
         "仍用 LibreOffice）；libreoffice 转换 .docx。")

@cli.command()
@click.argument("plan", metavar="方案", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--unit", "units", multiple=True, metavar="单位", help="只为这些单位（或单位组）生成，可多次指定。")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="输出目录（默认 build/notify/方案文件名/）。")
@click.option("--pdf", is_flag=True, help="同时生成每份通知的 PDF（默认用 Typst 排版；--pdf-engine libreoffice 时分批并行转换）。")
@click.option("--bundle", is_flag=True, help="另外生成一份带书签的通知汇编 PDF（含 --pdf）。")
@click.option("-j", "--jobs", type=clitext.IntRange(1, 64), metavar="进程数", default=1, show_default=True, help="并行的进程数。")
@click.option("--date", callback=_date_option, metavar="日期", help="通知的成文日期（默认为方案的印发日期）。")
@click.option("--due", callback=_date_option, metavar="日期", help="台账报送截止日期（默认成文日期后 15 天）。")
@click.option("--contact", default="", metavar="联系人", help="联系人和电话，例如“张明，0000-1234567”。")
@click.option("--number", default="", metavar="字号", help="通知的发文字号（整批共用）；不写时通知不用版头，以标题开头。")
@click.option("--timeout", type=clitext.FloatRange(min=1), default=300, show_default=True, metavar="秒数",
              help="LibreOffice 每次转换 PDF（至多 40 份）的时限（秒）。")
@_ENGINE_OPTION
@click.option("--links", "links", type=click.Path(exists=True, path_type=Path), metavar="目录",
              help="docgen serve 的数据目录或其中的 links.csv：每份通知写上本单位的在线填报链接和二维码。")
def notify(plan: Path, units: tuple[str, ...], out_dir: Path | None, pdf: bool, bundle: bool, jobs: int, date,
           due, contact: str, number: str, timeout: float, pdf_engine: str, links: Path | None) -> None:
    """为方案中每个有任务的单位生成任务通知（.docx）和台账（.xlsx），并写出清单 manifest.json。

    单位组按单位库展开（如“各乡镇（街道）”为每个乡镇、街道各生成一份）。一个单位失败不影响其他单位；
    整批文件先写在输出目录内的临时目录中，全部完成后连同清单一起放入输出目录（替换上次生成的文件）；
    中途失败或被中止时输出目录保持原样。同一输出目录同时只能运行一个 notify。
    退出码：0 全部完成，1 方案有错误或有单位失败，2 用法错误、模板、输出目录或 LibreOffice 的问题。
    """
    from docgen.jobs.notify import notify as run_notify
    from docgen.problems import display_path

    settings = _settings(plan)
    if number:
        from docgen.rules.wording import DocNumberFormat

        advice = DocNumberFormat.diagnose(number)
        if advice:
            raise click.BadParameter(f"发文字号“{number}”格式不对：{advice}", param_hint="--number")
    target = out_dir or settings.root / "build" / "notify" / plan.stem
    with _Progress("通知") as tick:
        outcome = run_notify(plan, settings, target, units=list(units), pdf=pdf or bundle, bundle=bundle,
                             jobs=jobs, date=date, due=due, contact=contact, number=number, progress=tick,
                             timeout=timeout, pdf_engine=pdf_engine, links=links)
    if outcome.problems:
        _print_problems(outcome.problems)
        click.echo("方案有错误，没有生成通知。请先改正上面的问题。", err=True)
        sys.exit(EXIT_FINDINGS)
    done = [u for u in outcome.units if not u.error]
    for unit in done:
        for path in (unit.docx, unit.xlsx, unit.pdf):
            if path is not None:
                click.echo(display_path(path))
    click.echo(display_path(outcome.manifest))
    if outcome.bundle:
        click.echo(display_path(outcome.bundle))
    click.echo(f"为 {len(done)} 个单位生成了通知和台账，写在 {display_path(target)}。", err=True)
    if outcome.pdf_count and not outcome.pdf_processes:
        click.echo(f"PDF：{outcome.pdf_count} 份（Typst 排版）。", err=True)
    elif outcome.pdf_count:
        rate = outcome.pdf_count / outcome.pdf_seconds if outcome.pdf_seconds else 0
        click.echo(f"PDF：{outcome.pdf_count} 份，用时 {outcome.pdf_seconds:.1f} 秒，每秒 {rate:.1f} 份"
                   f"（{outcome.pdf_processes} 个 LibreOffice 进程并行）。", err=True)
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
    "--limit", "limits", multiple=True, metavar="名称=值", callback=_limits,
    help="放宽或收紧读取外来文件的限制（可多次指定，也可用环境变量 DOCGEN_LIMITS）：size 文件大小、unpacked 解压后大小"
         "（可带 K/M/G）、rows 行数、columns 列数、cells 单元格数（导入时也数段落）、depth 嵌套层数、pages PDF 页数、"
         "time 每个文件的读取秒数。")


def _plan_failed(problems) -> None:
    _print_problems(problems)
    click.echo("方案有错误，请先改正上面的问题（docgen check 可单独检查）。", err=True)
    sys.exit(EXIT_FINDINGS)


@cli.command()
@click.argument("ledgers", nargs=-1, required=True, metavar="台账...", type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="写出的进展文件（YAML）。")
@click.option("--plan", "plan", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="台账所属的方案（默认取台账“填报信息”中的方案文件）。")
@click.option("--as-of", "as_of", callback=_date_option, metavar="日期", help="统计截止日期（默认今天）。")
@click.option("--partial", is_flag=True, help="台账有错误时，仍写出其余正确的行。")
@_LIMIT_OPTION
def collect(ledgers: tuple[Path, ...], out: Path, plan: Path | None, as_of, partial: bool, limits) -> None:
    """汇总各单位报送的台账（.xlsx），或 docgen serve 数据目录中在线报送的数据，写出按任务和单位排列的进展文件。

    逐个报告问题（文件:工作表!单元格）。有错误时不写进展文件，除非加 --partial（只写正确的行）。
    退出码：0 全部正确，1 台账或方案有错误，2 用法错误或文件无法读取。
    """
    from docgen.jobs.progress import collect as run_collect
    from docgen.jobs.serve import served_plan
    from docgen.problems import display_path

    settings = _settings(plan or (served_plan(ledgers[0]) if len(ledgers) == 1 else None) or ledgers[0])
    with _Progress("汇总台账") as tick:
        result = run_collect(list(ledgers), settings, out, plan_path=plan, as_of=as_of, partial=partial,
                             limits=limits, progress=tick)
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
@click.argument("plan", metavar="方案", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--progress", "progress_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="进展文件（docgen collect 写出或手写）。")
@click.option("--as-of", "as_of", callback=_date_option, metavar="日期", help="统计截止日期（默认为进展文件中的“截至”）。")
@click.option("--previous", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="上一期的进展文件，用于环比。")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="输出目录（默认 build/report/方案文件名/）。")
@click.option("--signature", default="", metavar="署名", help="署名（默认“方案简称工作专班（代章）”）。")
@click.option("--number", default="", metavar="字号", help="通报的发文字号；不写时通报不用版头，以标题开头。")
@click.option("--pdf", is_flag=True, help="同时生成 PDF（需要 LibreOffice）。")
def report(plan: Path, progress_file: Path, as_of, previous: Path | None, out_dir: Path | None, signature: str,
           number: str, pdf: bool) -> None:
    """根据进展文件写出通报草稿（.yaml，文字归起草人）和数据文件，并生成通报（.docx）。

    再次运行只更新数据文件（数字、表格、图表），保留草稿中的文字；改好草稿后也可用 docgen render 生成。
    退出码：0 已生成，1 方案或草稿有错误，2 用法错误、文件无法读取或模板的问题。
    """
    from docgen.jobs.progress import report as run_report
    from docgen.problems import display_path

    settings = _settings(plan)
    target = out_dir or settings.root / "build" / "report" / plan.stem
    with _Progress("通报") as tick:
        result = run_report(plan, settings, progress_file, target, as_of=as_of, previous=previous,
                            signature=signature, number=number, pdf=pdf, progress=tick)
    if result.problems:
        _plan_failed(result.problems)
    for path in (result.draft, result.data, *result.files):
        click.echo(display_path(path))
    f = result.figures
    click.echo(f"{len(f.tasks)} 项任务已完成 {f.done} 项，逾期 {f.count('overdue')} 项，滞后 {f.count('lagging')} 项。",
               err=True)
    sys.exit(EXIT_CLEAN)


@cli.command()
@click.argument("plan", metavar="方案", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--progress", "progress_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="进展文件（docgen collect 写出或手写）。")
@click.option("--as-of", "as_of", callback=_date_option, metavar="日期", help="统计截止日期（默认为进展文件中的“截至”）。")
@click.option("--due", callback=_date_option, metavar="日期", help="办理情况报送期限（默认截止日期后 10 天）。")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="输出目录（默认 build/remind/方案文件名/）。")
@click.option("--number", default="", metavar="字号", help="督办通知的发文字号（整批共用）；不写时不用版头，以标题开头。")
@click.option("--urgency", default="", type=click.Choice(["", "特急", "加急"]), metavar="特急|加急",
              help="紧急程度，排在版头左上角（需同时给 --number）。")
@click.option("--pdf", is_flag=True, help="同时生成 PDF（需要 LibreOffice）。")
def remind(plan: Path, progress_file: Path, as_of, due, out_dir: Path | None, number: str, urgency: str,
           pdf: bool) -> None:
    """只为有逾期或进度滞后任务的单位生成督办通知（.docx），列出这些任务。

    退出码：0 已生成（或没有需要督办的单位），1 方案有错误，2 用法错误或文件无法读取。
    """
    from docgen.jobs.remind import remind as run_remind
    from docgen.problems import display_path

    settings = _settings(plan)
    target = out_dir or settings.root / "build" / "remind" / plan.stem
    if urgency and not number:
        raise click.UsageError("--urgency 印在版头，而没有 --number（发文字号）的督办通知不用版头。请同时给 --number。")
    with _Progress("督办") as tick:
        result = run_remind(plan, settings, progress_file, target, as_of=as_of, due=due, number=number, pdf=pdf,
                            urgency=urgency, progress=tick)
    if result.problems:
        _plan_failed(result.problems)
    for path in [*result.written.values(), *result.pdfs]:
        click.echo(display_path(path))
    if result.written:
        click.echo(f"为 {len(result.written)} 个单位生成了督办通知，写在 {display_path(target)}。", err=True)
    else:
        click.echo("没有逾期或进度滞后的任务，无需督办。", err=True)
    sys.exit(EXIT_CLEAN)


@cli.command("import")
@click.argument("files", nargs=-1, required=True, metavar="文件...", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="写出的方案文件（默认是当前目录下的 原文件名.yaml）。")
@click.option("--kind", type=click.Choice(["实施方案", "工作要点", "工作意见", "实施意见", "通知", "通报", "挂牌督办通知"]),
              help="文种（默认按标题判断；督办通知、转发通知和函按通知导入）。")
@click.option("--registry", "registry_paths", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="单位库文件或目录（可多次指定），代替配置中的 registry。")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="问题的输出格式：text 给人看，json 给程序读，github 生成 GitHub Actions 注释。")
@click.option("--propose-registry", "propose", type=click.Path(dir_okay=False, path_type=Path),
              help="另写一份拟定的单位库（发文机关、主送和任务中的单位、下级组织），供核对后登记。")
@_LIMIT_OPTION
def import_(files: tuple[Path, ...], out: Path | None, kind: str | None, registry_paths: tuple[Path, ...],
            fmt: str, propose: Path | None, limits) -> None:
    """把收到的公文导入为方案（YAML，来源: 上级来文），供核对、级联和下发。

    \b
    文件可以是 .docx、.doc、.wps、.odt、.rtf（经 LibreOffice 转换）、.pdf（需有文字层）或 .txt；
    给出多个文件时，后面的文件（如单独发来的任务分工表）接在第一个文件之后。
    问题报告到原文的段落（第12段）或页、行（第3页第5行）；原文没有写明的责任单位和完成时限
    列成一张表。外来文件在限制之内读取（大小、解压后大小、页数、嵌套层数、段落数、时间），确属正常的大文件
    可用 --limit 放宽。退出码：0 已导入且只有提示，1 已导入但有需要核对的问题，2 文件无法读取、超过限制或用法错误。
    """
    from docgen.jobs.imports import import_documents
    from docgen.problems import Result, display_path
    from docgen.report import REPORTERS

    settings = _settings(out or Path.cwd(), registry_paths)
    with _Progress("读取") as tick:
        outcome = import_documents(list(files), settings, out=out, kind=kind, progress=tick, propose=propose,
                                   limits=limits)
    REPORTERS[fmt]().report(Result(problems=outcome.problems), sys.stdout)
    if outcome.unreadable:
        click.echo("文件无法读取，没有写出方案。", err=True)
        sys.exit(EXIT_USAGE)
    if outcome.gaps:
        click.echo(f"原文没有写明的责任单位和完成时限（{len(outcome.gaps)} 项任务，起草本级方案时请补上）：", err=True)
        for gap in outcome.gaps:
            click.echo(f"  {gap.task_id}  {gap.lead[:30]:<32}{gap.where:<12}缺{'、'.join(gap.missing)}", err=True)
    click.echo(f"导入了 {outcome.sections} 个章节、{outcome.tasks} 项任务（{outcome.with_units} 项有责任单位，"
               f"{outcome.with_deadline} 项有完成时限），写到 {display_path(outcome.written)}。", err=True)
    if outcome.proposed is not None:
        click.echo(f"拟定的单位库写到 {display_path(outcome.proposed)}，请核对后登记。", err=True)
    for path in outcome.attached:
        click.echo(f"附件中转发的文件另行导入为方案，写到 {display_path(path)}。", err=True)
    sys.exit(EXIT_CLEAN if Result(problems=outcome.problems).clean else EXIT_FINDINGS)


# -- diff and git integration (docgen.diff) ---------------------------------------------------------


class _PathsAfterDashDash(_Command):
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
@click.argument("args", nargs=-1, metavar="[版本或文件]...")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True,
              help="输出格式：text 给人看（终端上带颜色），markdown 用于合并请求评论和 CI 摘要，json 给程序读。")
@click.option("--docx", "docx_path", type=click.Path(dir_okay=False, path_type=Path),
              help="同时把修订对照表（序号｜原文｜修改后｜修改说明）写入这个 .docx 文件。")
@click.option("--pdf", is_flag=True, help="同时把修订对照表生成 PDF（与 .docx 同名，需要 --docx）。")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="text 格式是否带颜色；auto 表示只在终端上带颜色。")
@click.option("--old-name", default="", metavar="名称",
              help="修订对照表中原文的名称，例如“送审稿”（默认：版本的标签，或提交的日期“2025年3月5日稿”）。")
@click.option("--new-name", default="", metavar="名称", help="修订对照表中修改后的名称，例如“修改稿”。")
@click.pass_context
def diff(ctx: click.Context, args: tuple[str, ...], fmt: str, docx_path: Path | None, color: str, pdf: bool,
         old_name: str, new_name: str) -> None:
    """比较方案的两个版本，按审稿人的说法列出修改。

    \b
    docgen diff 旧文件 新文件
    docgen diff 版本 [版本2] [-- 路径…]

    前一种比较两个方案文件；后一种比较 git 版本中每个有修改的方案（只给一个版本时与工作区比较，
    不给版本时比较 HEAD 与工作区；也可写 A..B、A...B）。

    列出新增、删除、移动、改写、改编号的任务（改写逐字标出），以及责任单位、
    完成时限、指标和文件要素的修改；插入任务引起的序号变化不算修改。
    退出码：0 没有修改，1 有修改，2 出错（文件或版本无法读取）。
    """
    from docgen.diff.formats import FORMATS, TextFormat
    from docgen.diff.result import summary
    from docgen.diff.sources import compare

    if pdf and docx_path is None:
        raise click.UsageError("--pdf 要与 --docx 一起用：PDF 写在 .docx 旁边。")
    settings = _settings(registry=False)
    result = compare(list(args), ctx.meta.get("docgen.paths"), Path.cwd(), settings)
    result.old_title = old_name or result.old_title
    result.new_title = new_name or result.new_title
    formatter = TextFormat(_use_color(color)) if fmt == "text" else FORMATS[fmt]()
    formatter.write(result, sys.stdout)
    if docx_path is not None:
        from docgen.jobs.revisions import write_revision_table

        for path in write_revision_table(result, docx_path, settings.font_set, pdf=pdf):
            click.echo(f"修订对照表已写入 {path}。", err=True)
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
    from docgen.diff.git import setup
    from docgen.gitutil import GitError

    settings = _settings(registry=False)
    try:
        report = setup(Path.cwd(), settings)
    except GitError as exc:
        _diff_failed(exc)
    click.echo(f"已更新 {report.attributes}（请提交这个文件）：")
    for line in report.patterns:
        click.echo(f"  {line}")
    click.echo("已写入本仓库的 git 配置：")
    for key, value in report.config.items():
        click.echo(f"  {key} = {value}")
    click.echo("现在 git diff 显示方案的语义差异；git log -p、git show 显示方案提纲的差异，加 --ext-diff 显示语义差异。")


@cli.command("git-diff-driver", hidden=True, context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, metavar="[参数]...", type=click.UNPROCESSED)
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
@click.argument("path", metavar="文件", type=click.Path(exists=True, dir_okay=False, path_type=Path))
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
    "--timeout", type=clitext.FloatRange(min=1), default=300, show_default=True, metavar="秒数",
    help="LibreOffice 转换 PDF 的时限（秒）。")


@cli.command()
@click.argument("plan", metavar="方案", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="输出目录，默认为项目下的 build/。")
@click.option("--pdf", is_flag=True, help="同时生成 PDF（默认用 Typst 排版，见 --pdf-engine）。")
@_REGISTRY_OPTION
@_TIMEOUT_OPTION
@_ENGINE_OPTION
def render(plan: Path, out_dir: Path | None, pdf: bool, registry_paths: tuple[Path, ...], timeout: float,
           pdf_engine: str) -> None:
    """把方案生成符合 GB/T 9704 的公文：输出目录/方案文件名.docx（加 --pdf 再生成 .pdf）。

    方案先经过检查，有错误时不生成任何文件。退出码：0 成功，1 方案有错误，2 模板、输出目录或
    LibreOffice 的问题。
    """
    _run_render([plan], out_dir, pdf=pdf, registry_paths=registry_paths, timeout=timeout, keep_folders=False,
                pdf_engine=pdf_engine)


@cli.command()
@click.argument("paths", nargs=-1, metavar="[路径]...", type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="输出目录，默认为项目下的 build/。")
@click.option("--pdf/--no-pdf", default=True, help="是否同时生成 PDF（默认生成）。")
@_REGISTRY_OPTION
@_TIMEOUT_OPTION
@_ENGINE_OPTION
def build(paths: tuple[Path, ...], out_dir: Path | None, pdf: bool, registry_paths: tuple[Path, ...],
          timeout: float, pdf_engine: str) -> None:
    """把路径（文件或目录，默认为配置中的 paths，即 plans/）下的全部方案生成公文，放到 build/，保留子目录。

    例如 plans/city/three-year-plan.yaml 生成 build/city/three-year-plan.docx 和 .pdf。
    任何一份方案有错误时不生成任何文件。退出码同 render。
    """
    _run_render(list(paths) or None, out_dir, pdf=pdf, registry_paths=registry_paths, timeout=timeout,
                keep_folders=True, pdf_engine=pdf_engine)


def _run_render(paths: list[Path] | None, out_dir: Path | None, *, pdf: bool, registry_paths: tuple[Path, ...],
                timeout: float, keep_folders: bool, pdf_engine: str = "libreoffice") -> None:
    from docgen.jobs.render import render as run_render

    settings = _settings(paths[0] if paths else None, registry_paths)
    targets = paths or [p for p in settings.paths if p.exists()]
    if not targets:
        raise click.UsageError("没有要生成的方案：请在 pyproject.toml 的 [tool.docgen] 中设置 paths。")
    with _Progress("排版") as tick:
        rendered = run_render(targets, settings, out_dir or settings.root / "build", pdf=pdf, timeout=timeout,
                              keep_folders=keep_folders, progress=tick, pdf_engine=pdf_engine)
    _print_problems(rendered.warnings)
    from docgen.problems import display_path

    for path in rendered.files:
        click.echo(display_path(path))
    click.echo(f"生成了 {len(rendered.files)} 个文件。", err=True)
    sys.exit(EXIT_CLEAN)


def _options(select: tuple[str, ...] = (), ignore: tuple[str, ...] = (), registry_paths: tuple[Path, ...] = ()):
    """Command-line options that apply over each project's ``[tool.docgen]``."""
    from docgen.config import check_selection
    from docgen.jobs.check import Options

    options = Options(select=_codes(select) if select else None, ignore=_codes(ignore), registry=list(registry_paths))
    if select and not options.select:
        options.select = []
    try:
        check_selection(options.select, options.ignore)
    except ValueError as exc:
        raise click.UsageError(f"--select/--ignore 中{exc}") from None
    return options


def _settings(path: Path | None = None, registry_paths: tuple[Path, ...] = (), *, registry: bool = True):
    """The settings that govern `path` (default: the working directory), with --registry applied.

    Commands that need the unit registry (`registry`) stop with a clear message when none is known.
    """
    from docgen.config import settings_for as found_for
    from docgen.jobs.check import settings_for

    if not registry:
        return found_for(path or Path.cwd())
    return settings_for(path or Path.cwd(), _options(registry_paths=registry_paths))


@cli.command("units")
@click.argument("word", required=False, default="", metavar="[词]")
@click.option("--org", "org_name", default="", metavar="组织", help="只列这个组织（名称或发文机关）的单位。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式：text 给人看，json 给程序读。")
@_REGISTRY_OPTION
def units_(word: str, org_name: str, fmt: str, registry_paths: tuple[Path, ...]) -> None:
    """列出单位库中登记的单位、单位组和下级组织；给出词时只列名称、全称、别名或对口中含这个词的。

    \b
    docgen units              全部
    docgen units 应急          名称、全称、别名、对口中含“应急”的单位
    docgen units --org 北山镇   北山镇的单位

    没有含这个词的名称时，列出最接近的名称（按别名、对口、读音）。退出码：0 找到，1 没有找到，2 单位库无法读取。
    """
    from docgen.jobs.units import units as list_units

    settings = _settings(None, registry_paths)
    listing = list_units(settings, word, org_name)
    if fmt == "json":
        click.echo(json.dumps([e.as_dict() for e in listing.entries], ensure_ascii=False, indent=2))
    else:
        org = None
        for entry in listing.entries:
            if entry.org != org:
                org = entry.org
                click.echo(org)
            details = "；".join(part for part in (
                f"全称：{entry.full_name}" if entry.full_name and entry.full_name != entry.name else "",
                f"别名：{'、'.join(entry.aliases)}" if entry.aliases else "",
                f"对口：{'、'.join(entry.counterparts)}" if entry.counterparts else "",
                f"成员：{'、'.join(entry.members)}" if entry.members else "",
                entry.why) if part)
            click.echo(f"  {entry.name}（{entry.kind}）" + (f"  {details}" if details else "") + f"  {entry.where}")
    _print_problems(listing.problems)
    if listing.close and listing.entries:
        click.echo(f"没有名称含“{word}”的单位，以上是最接近的 {len(listing.entries)} 个。", err=True)
    elif not listing.entries:
        click.echo(f"单位库中没有含“{word}”的名称。" if word else "单位库中没有登记单位。", err=True)
    else:
        click.echo(f"共 {len(listing.entries)} 个。", err=True)
    sys.exit(EXIT_CLEAN if listing.entries and not listing.close else EXIT_FINDINGS)


@cli.command("schema")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="写到这个目录（默认是项目根目录下的 schemas/，即方案第一行注释所指的位置）。")
@click.option("--print", "kind", type=click.Choice(["plan", "registry", "progress", "data"]),
              help="不写文件，把这一种 schema 输出到标准输出。")
def schema_(out_dir: Path | None, kind: str | None) -> None:
    """写出方案、单位库、进展文件和通报数据文件的 JSON Schema，供编辑器补全和检查。

    只放方案的仓库（没有 docgen 的源代码）运行一次：方案第一行的
    “# yaml-language-server: $schema=../../schemas/plan.schema.json”就有了所指的文件，任何装了 YAML 插件的
    编辑器都能补全键、显示中文说明。升级 docgen 后再运行一次即可更新。
    """
    from docgen.jobs.schemas import schema_text, write_schemas
    from docgen.problems import display_path

    if kind:
        click.echo(schema_text(kind), nl=False)
        return
    folder = out_dir or _settings(registry=False).root / "schemas"
    for written in write_schemas(folder):
        click.echo(display_path(written.path) + ("" if written.changed else "（已是最新）"))
    click.echo(f"JSON Schema 已写到 {display_path(folder)}。", err=True)


cli.add_command(__import__("docgen.serve.command", fromlist=["group"]).group(lambda: __import__("docgen.jobs.serve", fromlist=["run"])))  # noqa: E501 - docgen serve


@cli.command()
def lsp() -> None:
    """启动语言服务器（LSP，经标准输入输出通信），供编辑器显示检查结果、补全单位名称和完成时限。

    在 VS Code、Vim/Neovim 中的配置见 README 的“在编辑器中使用”。
    """
    from docgen.lsp.server import run

    run()


def _rule_dict(rule) -> dict[str, str]:
    return {"code": rule.code, "name": rule.name, "severity": rule.severity.value,
            "stage": rule.stage, "summary": rule.summary, "doc": rule.doc()}


def main() -> None:
    """Console entry point: a bug prints one line (full traceback with DOCGEN_DEBUG=1), exit 3."""
    try:
        cli(prog_name="docgen")
    except DocgenError as exc:
        _report_error(exc)
        sys.exit(exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - last line of defence, bugs only
        if os.environ.get("DOCGEN_DEBUG"):
            traceback.print_exc()
        click.echo(f"docgen 内部错误：{type(exc).__name__}: {exc}。请设置 DOCGEN_DEBUG=1 重试并报告。", err=True)
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
