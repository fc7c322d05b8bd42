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

from docgen.problems import DocgenError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _codes(values: tuple[str, ...]) -> list[str]:
    return [c.strip() for v in values for c in v.split(",") if c.strip()]


def _print_problems(problems) -> None:
    for p in problems:
        click.echo(f"{p.location}: {p.severity.label} {p.code} [{p.name}] {p.message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="docgen")
def cli() -> None:
    """docgen：把结构化的工作方案生成规范公文。

    \b
    docgen check [PATH ...]   检查方案和单位库
    docgen rules [CODE]       列出检查规则，或解释一条规则
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
    from docgen.check import check as run_check
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
    from docgen.cascade.run import CascadeUsageError, cascade as run_cascade
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
    from docgen.render import render_plans  # provided by the rendering stage

    render_plans(paths, settings)


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
