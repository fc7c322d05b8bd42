"""The serve job: check the plans, open (and migrate) the data folder's database, give every member
unit a link, write ``DATA/links.csv``, then run the web app under uvicorn. Also the administration
the ``docgen serve`` subcommands do: accounts, revoking and re-issuing links, backups.

Bad plans come back as findings (exit 1); a data folder or database that cannot be used raises
`UsageError`/`OutputError` (exit 2).
"""

from __future__ import annotations

import datetime as dt
import errno
import io
import logging
import os
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from docgen.config import Settings
from docgen.errors import OutputError, UsageError
from docgen.files import reason
from docgen.jobs.check import settings_for  # noqa: F401 - the command line checks plans with it
from docgen.jobs.progress import load_plan
from docgen.problems import Problem, display_path
from docgen.serve import catalogue, evidence, links, security
from docgen.serve.store import Store, StoreError, open_store, record_url

ACTOR = "命令行"


@dataclass
class Started:
    store: Store
    catalogue: catalogue.Catalogue
    files: evidence.Files
    links_path: Path
    base_url: str
    issued: int = 0
    #: Units whose link is live but not known (links.csv lost): `docgen serve reissue` makes a new one.
    unknown: list[str] = field(default_factory=list)
    cleaned: int = 0


def _store(data: Path, url: str | None) -> Store:
    try:
        data.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"无法使用数据目录 {data}：{reason(exc)}。") from None
    try:
        store = open_store(data, url)
        store.migrate()
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - sqlite3/psycopg errors: a database we cannot use
        raise UsageError(f"无法打开数据目录 {data} 中的数据库：{type(exc).__name__}: {exc}") from None
    return store


def load_catalogue(plan_paths: list[Path], settings_for: Callable[[Path], Settings],
                   base: Path) -> tuple[catalogue.Catalogue | None, list[Problem]]:
    served, problems = [], []
    for path in plan_paths:
        loaded, found = load_plan(path, settings_for(path), base)
        if loaded is None:
            problems.extend(found)
            continue
        served.append(catalogue.ServedPlan(display_path(loaded.plan.path, base), loaded.plan, loaded.registry,
                                           loaded.org, loaded.recipients))
    if problems:
        return None, problems
    keys = [s.key for s in served]
    if len(set(keys)) != len(keys):
        raise UsageError("同一个方案文件给了两次。")
    return catalogue.build(served), []


def start(cat: catalogue.Catalogue, data: Path, *, url: str | None, base_url: str) -> Started:
    """Prepare the data folder for serving `cat` (module docstring)."""
    store = _store(data, url)
    record_url(data, url)
    store.sync([(k, sp.plan.title.value, str(sp.plan.path.resolve())) for k, sp in cat.plans.items()],
               [(u.name, u.full_name) for u in cat.units.values()])
    store.meta("base_url", make=lambda: base_url)
    if store.meta("base_url") != base_url:
        with store.transaction():
            store.execute("UPDATE meta SET value = ? WHERE key = 'base_url'", (base_url,))
    files = evidence.Files(data)
    cleaned = files.clean(store.evidence_ids())
    started = Started(store, cat, files, data / links.LINKS, base_url, cleaned=cleaned)
    _write_links(started, list(cat.units))
    return started


def _known_links(data: Path) -> dict[str, str]:
    try:
        return links.read(data)
    except links.LinksError:
        return {}


def _write_links(started: Started, units: list[str], fresh: dict[str, str] | None = None) -> None:
    """Issue a token to each unit without a live one; keep the links.csv rows still valid."""
    store, data = started.store, started.links_path.parent
    known = _known_links(data)
    live = store.live_tokens()
    rows = []
    fresh = dict(fresh or {})
    for unit in units:
        token = fresh.get(unit)
        if token is None:
            old = known.get(unit, "").rsplit("/u/", 1)[-1]
            if old and security.digest(old) in live.get(unit, ()):
                token = old
            elif not live.get(unit):
                token = security.new_token()
                with store.transaction():
                    store.add_token(unit, security.digest(token), ACTOR)
                started.issued += 1
            else:
                started.unknown.append(unit)
        rows.append((unit, links.link(started.base_url, token) if token else ""))
    try:
        links.write(data, rows)
    except OSError as exc:
        raise OutputError(f"无法写入 {started.links_path}：{reason(exc)}。") from None


def app_for(started: Started, today: Callable[[], dt.date] | None = None, secure: bool | None = None):
    from docgen.serve.app import Config, create_app

    return create_app(Config(started.catalogue, started.store, started.files, today or dt.date.today, secure))


WORKER_ENV = "DOCGEN_SERVE_WORKER"


def worker_app():
    """The app of one of several worker processes (`run` with `workers`): the plans are checked
    again in the worker; the data folder was prepared (links issued) by the parent."""
    import json

    config = json.loads(os.environ[WORKER_ENV])
    os.chdir(config["cwd"])
    cat, problems = load_catalogue([Path(p) for p in config["plans"]], settings_for, Path(config["cwd"]))
    if problems:
        raise UsageError("方案有错误。")
    data = Path(config["data"])
    store = open_store(data, config["url"])
    started = Started(store, cat, evidence.Files(data), data / links.LINKS, config["base_url"])
    return app_for(started, secure=config["secure"])


def run(started: Started, host: str, port: int, *, secure: bool | None = None,
        ready: Callable[[], None] | None = None, workers: int = 1) -> None:
    """Serve until interrupted (Ctrl+C or SIGTERM: uvicorn finishes the requests under way);
    with `workers` > 1, in that many processes (each with its own app and connections)."""
    import socket

    import uvicorn

    try:  # a clear message for a port in use, before uvicorn logs its own in English
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        why = {errno.EADDRINUSE: "端口已被占用", errno.EACCES: "没有权限使用这个端口（1024 以下的端口需要管理员权限）",
               errno.EADDRNOTAVAIL: "本机没有这个地址"}.get(exc.errno, exc.strerror or str(exc))
        raise UsageError(f"无法在 {host}:{port} 上启动：{why}。请换一个端口（--port）或地址（--host）。") from None
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    options = dict(host=host, port=port, log_level="warning", access_log=False, proxy_headers=False,
                   server_header=False, date_header=False, timeout_graceful_shutdown=10, timeout_keep_alive=30,
                   backlog=4096)
    if workers > 1:
        import json

        cat = started.catalogue
        os.environ[WORKER_ENV] = json.dumps({
            "plans": [str(sp.plan.path.resolve()) for sp in cat.plans.values()], "cwd": str(Path.cwd()),
            "data": str(started.links_path.parent.resolve()), "url": started.store.url,
            "base_url": started.base_url, "secure": secure})
        started.store.close()
        if ready:
            ready()
        uvicorn.run("docgen.jobs.serve:worker_app", factory=True, workers=workers, **options)
        return
    config = uvicorn.Config(app_for(started, secure=secure), **options)
    server = uvicorn.Server(config)
    if ready:
        ready()
    try:
        server.run()
    except SystemExit:  # uvicorn exits when it cannot bind
        raise UsageError(f"无法在 {host}:{port} 上启动（端口可能已被占用），请换一个端口（--port）。") from None
    if not server.started:
        raise UsageError(f"无法在 {host}:{port} 上启动（端口可能已被占用），请换一个端口（--port）。")
    started.store.close()


# -- administration --------------------------------------------------------------------------------


def require_data(data: Path) -> None:
    """`UsageError` unless `data` is a data folder `docgen serve` has used."""
    if not (data / "serve.sqlite").exists() and not (data / "serve.json").exists():
        raise UsageError(f"{data} 不是 docgen serve 的数据目录（没有 serve.sqlite）。请先运行 docgen serve 方案 --data {data}。")


def _existing(data: Path) -> Store:
    require_data(data)
    return _store(data, None)


def add_account(data: Path, name: str, password: str) -> bool:
    if not name.strip() or len(name) > 100 or any(c < " " for c in name):
        raise UsageError("账号名不能为空，不超过 100 个字符，不含控制字符。")
    if len(password) < 10:
        raise UsageError("密码至少 10 个字符。")
    store = _existing(data)
    try:
        return store.set_account(name.strip(), security.hash_password(password))
    finally:
        store.close()


def _unit_names(store: Store, unit: str) -> None:
    if unit not in {u["name"] for u in store.units()}:
        names = "、".join(u["name"] for u in store.units()[:10])
        raise UsageError(f"“{unit}”不是所服务方案中的成员单位（例如：{names}）。")


def revoke(data: Path, unit: str) -> int:
    """Revoke the unit's links; its row in links.csv is emptied. How many were live."""
    store = _existing(data)
    try:
        _unit_names(store, unit)
        with store.transaction():
            count = store.revoke_tokens(unit, ACTOR)
        rows = _known_links(data)
        rows[unit] = ""
        links.write(data, list(rows.items()))
        return count
    finally:
        store.close()


def reissue(data: Path, unit: str, base_url: str | None = None) -> str:
    """A new link for the unit (its old ones stop working); links.csv updated. The new link."""
    store = _existing(data)
    try:
        _unit_names(store, unit)
        base = base_url or store.meta("base_url") or "http://127.0.0.1:8000"
        token = security.new_token()
        with store.transaction():
            store.revoke_tokens(unit, ACTOR)
            store.add_token(unit, security.digest(token), ACTOR)
        rows = _known_links(data)
        rows[unit] = links.link(base, token)
        links.write(data, list(rows.items()))
        return rows[unit]
    finally:
        store.close()


def backup(data: Path, out: Path) -> Path:
    """A .tar.gz of the database (a consistent SQLite copy, also of a PostgreSQL database), the
    evidence files and links.csv, written whole (temporary file and rename)."""
    store = _existing(data)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=out.parent, prefix=".docgen-backup-") as tmp:
            db = Path(tmp) / "serve.sqlite"
            store.backup_to(db)
            archive = Path(tmp) / "backup.tar.gz"
            with tarfile.open(archive, "w:gz") as tar:
                tar.add(db, arcname="serve.sqlite")
                files = evidence.Files(data)
                for ident in sorted(store.evidence_ids()):
                    path = files.path(ident)
                    if path.is_file():
                        tar.add(path, arcname=f"evidence/{ident[:2]}/{ident}")
                if (data / links.LINKS).is_file():
                    tar.add(data / links.LINKS, arcname=links.LINKS)
                note = f"docgen serve 备份，{time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode()
                info = tarfile.TarInfo("README.txt")
                info.size = len(note)
                tar.addfile(info, io.BytesIO(note))
            os.chmod(archive, 0o600)
            os.replace(archive, out)
    except OSError as exc:
        raise OutputError(f"无法写入备份 {out}：{reason(exc)}。") from None
    finally:
        store.close()
    return out


def served_plan(data: Path) -> Path | None:
    """The plan a data folder serves (for ``docgen collect DATA``): the one recorded, when there is
    exactly one; None when `data` is not a data folder."""
    if not data.is_dir() or not ((data / "serve.sqlite").exists() or (data / "serve.json").exists()):
        return None
    store = _store(data, None)
    try:
        plans = store.plans()
    finally:
        store.close()
    if len(plans) != 1:
        listed = "、".join(p["path"] for p in plans)
        raise UsageError(f"{data} 服务了 {len(plans)} 个方案（{listed}），请用 --plan 指定汇总哪一个。")
    return Path(plans[0]["path"])
