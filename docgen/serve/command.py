"""The ``docgen serve`` command group: ``docgen serve PLAN… --data DIR`` runs the server (the
subcommand ``run`` is implied); ``account``, ``revoke``, ``reissue`` and ``backup`` administer a data
folder. Parses options and calls the serve job, which the command line hands in (`group(job)`:
this package never imports the jobs above it); nothing heavy is imported until a command runs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import click

_DATA = click.option("--data", "data", required=True, type=click.Path(file_okay=False, path_type=Path),
                     help="数据目录：数据库（SQLite）、佐证材料和 links.csv 都在这里。")


class _ServeGroup(click.Group):
    """A group whose default subcommand is ``run``: ``docgen serve PLAN…`` = ``docgen serve run PLAN…``."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


def group(load_job: Callable[[], ModuleType]) -> click.Group:
    """The command group; `load_job()` gives the serve job module (`docgen.jobs.serve`)."""

    @click.group(cls=_ServeGroup, name="serve", options_metavar="[选项]", subcommand_metavar="[命令] 方案… --data 目录")
    def serve() -> None:
        """在本机或内网运行在线填报：每个成员单位一个专属链接，在手机上填报任务进展、上传佐证材料；办公室登录后查看谁已报送、谁逾期。

        \b
        docgen serve 方案.yaml --data 目录 [--host 127.0.0.1] [--port 8000]   启动（写出 目录/links.csv）
        docgen serve account --data 目录 账号                                 添加办公室账号或修改密码
        docgen serve revoke --data 目录 单位                                  作废一个单位的链接
        docgen serve reissue --data 目录 单位                                 给一个单位发新链接（旧链接作废）
        docgen serve backup --data 目录 备份.tar.gz                           备份数据库和佐证材料

        汇总：docgen collect 目录 -o progress.yaml，再 docgen report、docgen remind。
        """

    @serve.command("run", options_metavar="[选项]")
    @click.argument("plans", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @_DATA
    @click.option("--host", default="127.0.0.1", show_default=True, help="监听的地址（默认只在本机；内网访问用 0.0.0.0）。")
    @click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="监听的端口。")
    @click.option("--db", "db", metavar="URL", envvar="DOCGEN_SERVE_DB",
                  help="PostgreSQL 数据库地址（postgresql://…，也可用环境变量 DOCGEN_SERVE_DB）；默认用数据目录中的 SQLite。")
    @click.option("--url", "base_url", metavar="URL", help="链接的地址前缀（经反向代理或域名访问时，例如 https://tb.example.gov.cn）。")
    @click.option("--secure-cookies/--no-secure-cookies", default=None,
                  help="Cookie 是否只经 HTTPS 发送（默认按请求是否为 HTTPS 决定）。")
    @click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
                  help="工作进程数（多于 1 个时宜用 PostgreSQL；限制猜测次数按进程分别计数）。")
    def run(plans: tuple[Path, ...], data: Path, host: str, port: int, db: str | None, base_url: str | None,
            secure_cookies: bool | None, workers: int) -> None:
        """启动在线填报服务（Ctrl+C 停止）。启动时为每个成员单位发放链接，写出 目录/links.csv（单位,链接）。"""
        from docgen.errors import FindingsError
        from docgen.problems import display_path

        job = load_job()

        click.echo(f"检查方案：{'、'.join(display_path(p) for p in plans)}", err=True)
        cat, problems = job.load_catalogue(list(plans), job.settings_for, Path.cwd())
        if problems:
            raise FindingsError("方案有错误，请先改正上面的问题（docgen check 可单独检查）。", problems=problems)
        shown_host = f"[{host}]" if ":" in host else host
        base = base_url or f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown_host}:{port}"
        started = job.start(cat, data, url=db, base_url=base)
        tasks = sum(len(u.items) for u in cat.units.values())
        click.echo(f"{len(cat.units)} 个成员单位、{tasks} 项单位任务；数据库：{'PostgreSQL' if db else display_path(started.store.path)}。",
                   err=True)
        click.echo(f"链接清单：{display_path(started.links_path)}（新发放 {started.issued} 个链接）", err=True)
        if started.unknown:
            click.echo(f"以下单位的链接仍有效但不在 links.csv 中，用 docgen serve reissue 重新发放：{'、'.join(started.unknown)}", err=True)
        if started.cleaned:
            click.echo(f"清理了 {started.cleaned} 个未完成的上传文件。", err=True)
        if host in ("0.0.0.0", "::") and not base_url:
            click.echo("提示：监听所有地址时，请用 --url 写明单位访问的地址，links.csv 中的链接才能在别的电脑和手机上打开。", err=True)

        def ready() -> None:
            click.echo(f"在线填报已启动：{base}/    办公室登录：{base}/office", err=True)

        job.run(started, host, port, secure=secure_cookies, ready=ready, workers=workers)


    @serve.command(options_metavar="[选项]")
    @_DATA
    @click.argument("name")
    @click.option("--password-stdin", is_flag=True, help="从标准输入读密码（一行），不提示。")
    def account(data: Path, name: str, password_stdin: bool) -> None:
        """添加办公室账号，或修改已有账号的密码（密码至少 10 个字符，以 scrypt 散列保存）。"""
        job = load_job()

        job.require_data(data)  # before asking for a password
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = click.prompt("密码", hide_input=True, confirmation_prompt="再输入一次")
        new = job.add_account(data, name, password)
        click.echo(f"{'添加了' if new else '修改了'}办公室账号“{name}”。", err=True)


    @serve.command(options_metavar="[选项]")
    @_DATA
    @click.argument("unit")
    def revoke(data: Path, unit: str) -> None:
        """作废一个单位的链接（需要时用 reissue 发新链接）。"""
        job = load_job()

        count = job.revoke(data, unit)
        click.echo(f"作废了“{unit}”的 {count} 个链接。", err=True)


    @serve.command(options_metavar="[选项]")
    @_DATA
    @click.argument("unit")
    @click.option("--url", "base_url", metavar="URL", help="链接的地址前缀（默认与启动时相同）。")
    def reissue(data: Path, unit: str, base_url: str | None) -> None:
        """给一个单位发新链接，旧链接随即作废；links.csv 同时更新。新链接写到标准输出。"""
        job = load_job()

        click.echo(job.reissue(data, unit, base_url))


    @serve.command(options_metavar="[选项]")
    @_DATA
    @click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
    def backup(data: Path, out: Path) -> None:
        """把数据库（一致的快照；PostgreSQL 也存为 SQLite 文件）、佐证材料和 links.csv 备份为一个 .tar.gz。"""
        from docgen.problems import display_path

        job = load_job()

        click.echo(display_path(job.backup(data, out)))

    return serve
