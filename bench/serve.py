"""Benchmark: `docgen serve` under many units submitting at once, SQLite and PostgreSQL side by side.

The server is the real one (uvicorn, one process, started as a subprocess on 127.0.0.1) serving the
example city plan's catalogue with `--units` member units: the plan's 35 and synthetic units that
have 东湖街道's tasks. Each unit does what a unit does: opens its link (GET, the page with its tasks
and a CSRF field), then submits its first task (POST, a transaction with history rows). All units
start together; at most `--concurrency` requests are in flight (bounded in count) and the run stops
after `--time-limit` seconds (bounded in time; unfinished units are counted).

Printed per database: requests per second, p50/p95/max latency of the page and of the submission,
failures. PostgreSQL is a temporary cluster (Debian's postgresql, initdb/pg_ctl as a non-root user).

    python bench/serve.py                      # 300 units, SQLite and PostgreSQL (make bench)
    python bench/serve.py --units 300 3000     # the figures in README
    python bench/serve.py --units 300 --db sqlite
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import http.cookiejar
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PLAN = ROOT / "plans" / "city" / "three-year-plan.yaml"


# -- the server side (run as a subprocess: python bench/serve.py --serve …) -------------------------


def serve(units: int, data: Path, port: int, url: str | None) -> None:
    from docgen.jobs import serve as job
    from docgen.jobs.check import settings_for
    from docgen.serve.catalogue import Unit

    cat, problems = job.load_catalogue([PLAN], settings_for, ROOT)
    assert not problems, problems
    model = cat.units["东湖街道"]
    for n in range(len(cat.units), units):
        name = f"测试单位{n:05d}"
        cat.units[name] = Unit(name, name, list(model.items))
    started = job.start(cat, data, url=url, base_url=f"http://127.0.0.1:{port}")
    job.run(started, "127.0.0.1", port)


# -- PostgreSQL -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="docgen-bench-pg-"))
        self.user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.user:
            shutil.chown(self.root, "postgres")
        self.bin = str(sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1])
        self.port = free_port()

    def __enter__(self) -> str:
        data = self.root / "data"
        subprocess.run([*self.user, f"{self.bin}/initdb", "-D", str(data), "-A", "trust", "-U", "docgen", "-E",
                        "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)
        subprocess.run([*self.user, f"{self.bin}/pg_ctl", "-D", str(data), "-w", "-l", str(self.root / "log"), "-o",
                        f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=300",
                        "start"], check=True, capture_output=True)
        return f"postgresql://docgen@127.0.0.1:{self.port}/postgres"

    def __exit__(self, *exc) -> None:
        subprocess.run([*self.user, f"{self.bin}/pg_ctl", "-D", str(self.root / "data"), "-m", "fast", "stop"],
                       capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)


# -- the load ---------------------------------------------------------------------------------------


async def one_unit(client, link: str, gate: asyncio.Semaphore, pages: list, posts: list, failures: list) -> None:
    import httpx

    try:
        async with gate:
            t = time.perf_counter()
            page = await client.get(link)
            pages.append(time.perf_counter() - t)
        if page.status_code != 200:
            failures.append(f"GET {page.status_code}")
            return
        token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        plan = re.search(r'name="plan" value="([^"]+)"', page.text).group(1)
        task = re.search(r'name="task" value="([^"]+)"', page.text).group(1)
        form = {"csrf": token, "plan": plan, "task": task, "version": "0", "action": "submit", "status": "推进中",
                "progress": "按计划推进，已完成摸底排查。", "reporter": "张明", "phone": "13800000000", "done_date": ""}
        async with gate:
            t = time.perf_counter()
            r = await client.post(link + "/save", data=form, headers={"cookie": f"dg_csrf={page.cookies['dg_csrf']}"})
            posts.append(time.perf_counter() - t)
        if r.status_code != 303:
            failures.append(f"POST {r.status_code}")
    except httpx.HTTPError as exc:
        failures.append(type(exc).__name__)


async def load(links: list[str], concurrency: int, time_limit: float) -> dict:
    import httpx

    pages: list[float] = []
    posts: list[float] = []
    failures: list[str] = []
    gate = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    start = time.perf_counter()
    # the client keeps no cookies: each unit sends its own CSRF cookie, as its own browser would
    jar = http.cookiejar.CookieJar(policy=http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    async with httpx.AsyncClient(limits=limits, timeout=60, follow_redirects=False, cookies=jar) as client:
        tasks = [asyncio.create_task(one_unit(client, link, gate, pages, posts, failures)) for link in links]
        done, pending = await asyncio.wait(tasks, timeout=time_limit)
        for task in pending:
            task.cancel()
    elapsed = time.perf_counter() - start
    return {"pages": pages, "posts": posts, "failures": failures, "elapsed": elapsed, "unfinished": len(pending)}


def p(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def run_one(units: int, url: str | None, concurrency: int, time_limit: float) -> dict:
    import httpx

    data = Path(tempfile.mkdtemp(prefix="docgen-bench-serve-"))
    port = free_port()
    proc = subprocess.Popen([sys.executable, __file__, "--serve", str(units), "--data", str(data), "--port", str(port)]
                            + (["--url", url] if url else []), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        for _ in range(1200):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise SystemExit(proc.stderr.read())
        with open(data / "links.csv", encoding="utf-8") as f:
            links = [row["链接"] for row in csv.DictReader(f)]
        assert len(links) == units, (len(links), units)
        result = asyncio.run(load(links, concurrency, time_limit))
    finally:
        proc.terminate()
        proc.wait(30)
        shutil.rmtree(data, ignore_errors=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, nargs="*", default=[300])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--concurrency", type=int, default=100, help="requests in flight at most")
    parser.add_argument("--time-limit", type=float, default=600, help="seconds per run at most")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.data, args.port, args.url)
        return
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    print(f"{'units':>6} {'database':>10} {'req/s':>8} {'page p50':>9} {'page p95':>9} {'submit p50':>11} "
          f"{'submit p95':>11} {'max':>7} {'failed':>7} {'unfinished':>10} {'seconds':>8}")
    for units in args.units:
        for kind in kinds:
            if kind == "postgresql":
                with Postgres() as url:
                    r = run_one(units, url, args.concurrency, args.time_limit)
            else:
                r = run_one(units, None, args.concurrency, args.time_limit)
            requests = len(r["pages"]) + len(r["posts"])
            ms = lambda v: f"{v * 1000:.0f}ms"  # noqa: E731
            print(f"{units:>6} {kind:>10} {requests / r['elapsed']:>8.1f} {ms(p(r['pages'], 50)):>9} "
                  f"{ms(p(r['pages'], 95)):>9} {ms(p(r['posts'], 50)):>11} {ms(p(r['posts'], 95)):>11} "
                  f"{ms(max(r['pages'] + r['posts'], default=0)):>7} {len(r['failures']):>7} {r['unfinished']:>10} "
                  f"{r['elapsed']:>8.1f}", flush=True)
            if r["failures"]:
                print("        failures:", sorted(set(r["failures"]))[:5])


if __name__ == "__main__":
    main()
