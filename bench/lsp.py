"""Language-server speed: a check after each edit, the editor's answers meanwhile, and diagnostics.

    python bench/lsp.py                      # the three measures below, on a 5,000-task plan
    python bench/lsp.py --tasks 2000 --changes 5
    python bench/lsp.py --cache-only --plan plans/city/work-points-2025.yaml --runs 50

1. **Server** (`docgen lsp` over stdio, as an editor drives it): the plan opened, then `--changes`
   edits (didChange with the whole text, a second apart). `--edit task` (the default) edits the
   task in the middle of the plan as a drafter does: by turns a line added to it (every task below
   moves down a line) and a character typed in its text; the server checks that task alone
   (incremental). `--edit end` adds or removes a space at the end of the file (outside any task: the
   whole plan is checked again, as before the incremental checks). For each: the
   milliseconds from the end of the debounce to its publishDiagnostics, and the CPU the server and
   its checker process spent on it. Then as many edits again, with a hover every 100 ms while each
   is checked (an editor's hover and completion must not wait for the check), beside hovers with no
   check running. Beside it, `docgen check` of the same file in a fresh process (wall and CPU), the
   figure the server should stay within.
2. **Diagnostics** of 2,000 findings on that plan: converting each finding's range with pygls'
   `TextDocument.range_to_client_units` (the document split again per finding) against
   `docgen.lsp.server.diagnostics` (split once).
3. **Cache** (`--cache-only`, a small plan): `features.check_text` with and without the server's
   `SourceCache` (registry and parent plans re-read from disk or not).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from check import build, measure  # noqa: E402

from docgen.lsp import features  # noqa: E402


class Server:
    """`docgen lsp` in a child process, spoken to as an editor does; replies timed as they arrive."""

    def __init__(self, cwd: Path):
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen([sys.executable, "-m", "docgen.cli", "lsp"], cwd=cwd, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.arrived: list[tuple[float, dict]] = []
        self.lock = threading.Condition()
        self.next_id = 0
        #: When each request left, by id.
        self.sent: dict[int, float] = {}
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.proc.stdout
        while True:
            length = 0
            while (line := stream.readline().strip()):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not length:
                return
            message = json.loads(stream.read(length))
            with self.lock:
                self.arrived.append((time.perf_counter(), message))
                self.lock.notify_all()

    def send(self, message: dict) -> float:
        body = json.dumps({"jsonrpc": "2.0", **message}, ensure_ascii=False).encode("utf-8")
        self.proc.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body)
        self.proc.stdin.flush()
        return time.perf_counter()

    def request(self, method: str, params) -> int:
        self.next_id += 1
        self.sent[self.next_id] = time.perf_counter()  # before it leaves: the reply may come back first
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.next_id

    def wait(self, match, timeout: float = 600) -> tuple[float, dict]:
        with self.lock:
            while True:
                for i, (at, message) in enumerate(self.arrived):
                    if match(message):
                        del self.arrived[i]
                        return at, message
                if not self.lock.wait(timeout):
                    raise TimeoutError("no reply from docgen lsp")

    def close(self) -> None:
        self.request("shutdown", None)
        self.send({"method": "exit", "params": None})
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _cpu(pid: int) -> float:
    """CPU seconds of process `pid` and of every process below it (the checker), from /proc."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += _cpu(int(child))
    except (FileNotFoundError, ProcessLookupError):
        pass
    return total


def edited(text: str, version: int, edit: str) -> str:
    """The text of `version`: see the module docstring (`--edit`)."""
    if edit == "end":
        return text + " " * (version % 2)
    lines = text.split("\n")
    ids = [i for i, line in enumerate(lines) if line.lstrip().startswith("编号: ")]
    at = ids[len(ids) // 2]
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    if version % 2:
        lines.insert(at + 1, f"{indent}备注: 第{version}次修改")
    else:
        lines[at - 1] += "并通报"  # the task's 任务 line, a few characters longer
    return "\n".join(lines)


def serve(work: Path, path: Path, changes: int, edit: str = "task") -> dict[str, list[float]]:
    """Per change: ms from the end of the debounce to its diagnostics (wall) and the CPU ms the server
    and its checker spent on it; then, over as many changes again, hover reply ms while checking."""
    from docgen.lsp.server import DEBOUNCE

    text = path.read_text(encoding="utf-8")
    uri = path.as_uri()
    server = Server(work)
    out: dict[str, list[float]] = {"after": [], "cpu": [], "hover": [], "idle hover": []}
    hover = {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 3}}

    def published(version: int):
        return lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == version

    def hover_ms() -> float:
        asked = server.request("textDocument/hover", hover)
        at, _ = server.wait(lambda m: m.get("id") == asked and "method" not in m)
        return (at - server.sent[asked]) * 1000

    try:
        asked = server.request("initialize", {"processId": None, "rootUri": work.as_uri(), "capabilities": {}})
        server.wait(lambda m: m.get("id") == asked)
        server.send({"method": "initialized", "params": {}})
        opened = server.send({"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1, "text": text}}})
        at, _ = server.wait(published(1))
        out["first"] = [(at - opened) * 1000]
        for version in range(2, 2 * changes + 2):
            time.sleep(1.0)  # the drafter reads for a second (and the checker tidies up)
            if version >= changes + 2:
                out["idle hover"].append(hover_ms())
            cpu = _cpu(server.proc.pid)
            sent = server.send({"method": "textDocument/didChange", "params": {"textDocument": {
                "uri": uri, "version": version}, "contentChanges": [{"text": edited(text, version, edit)}]}})
            if version < changes + 2:  # first the check alone
                at, _ = server.wait(published(version))
                out["cpu"].append((_cpu(server.proc.pid) - cpu) * 1000)
                out["after"].append((at - sent - DEBOUNCE) * 1000)
                continue
            time.sleep(DEBOUNCE)  # then a hover every 100 ms while the check runs
            while True:
                out["hover"].append(hover_ms())
                with server.lock:
                    if any(published(version)(m) for _, m in server.arrived):
                        break
                time.sleep(0.1)
            server.wait(published(version))
        return out
    finally:
        server.close()


def diagnostics_figures(path: Path, findings: int = 2000) -> tuple[float, float]:
    """Seconds to convert `findings` ranges: pygls per finding, and `server.diagnostics`."""
    from lsprotocol import types
    from pygls.workspace import TextDocument
    from pygls.workspace.position_codec import ServerTextPosition, ServerTextRange

    from docgen.lsp.server import diagnostics
    from docgen.problems import Location, Problem, Severity

    text = path.read_text(encoding="utf-8")
    document = TextDocument(path.as_uri(), text, position_codec=None)
    lines = text.count("\n")
    placed = [features.Finding(i * lines // findings, 0, 4, Problem("DG404", "x", Severity.WARNING, "x",
                                                                        Location("p", 1, 1)))
              for i in range(findings)]
    start = time.process_time()
    for f in placed:
        document.range_to_client_units(ServerTextRange(ServerTextPosition(f.line, f.start), ServerTextPosition(f.line, f.end)))
    naive = time.process_time() - start
    start = time.process_time()
    diagnostics(document.position_codec, text, placed)
    linear = time.process_time() - start
    assert types.Diagnostic  # the same objects are built either way
    return naive, linear


def cache_figures(plan: str, runs: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="docgen-bench-lsp-"))
    try:
        shutil.copytree(ROOT / "plans", work / "plans")
        shutil.copy(ROOT / "pyproject.toml", work / "pyproject.toml")
        path = work / plan
        text = path.read_text(encoding="utf-8")
        from docgen.checked import SourceCache

        rows = []
        for label, cache in (("no cache", None), ("cache", SourceCache())):
            kwargs = {} if cache is None else {"cache": cache}
            features.check_text(path, text, **kwargs)
            cpu = []
            for i in range(runs):
                start = time.process_time()
                features.check_text(path, text + ("\n" if i % 2 else " \n"), **kwargs)
                cpu.append(time.process_time() - start)
            rows.append((label, cpu))
        print(f"{plan}: {runs} checks of an edited buffer each way (CPU ms, min / median)")
        for label, cpu in rows:
            print(f"  {label:10}{min(cpu) * 1000:8.1f}{statistics.median(cpu) * 1000:8.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("--changes", type=int, default=8)
    parser.add_argument("--edit", choices=("task", "end"), default="task",
                        help="edit the middle task (incremental) or the end of the file (full check)")
    parser.add_argument("--cache-only", action="store_true", help="only the cache measure, on --plan")
    parser.add_argument("--plan", default="plans/donghu/three-year-plan.yaml", help="relative to the repository")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if args.cache_only:
        cache_figures(args.plan, args.runs)
        return
    work = Path(tempfile.mkdtemp(prefix="docgen-bench-lsp-"))
    try:
        [path] = build(work, args.tasks, 1)
        size = path.stat().st_size / 1024 / 1024
        print(f"{args.tasks} tasks, {size:.1f} MB, edits: {args.edit}")
        wall_start = time.perf_counter()
        cpu, _, _ = measure(_CHECK, work)
        check_wall = time.perf_counter() - wall_start
        got = serve(work, path, args.changes, args.edit)
        print(f"  docgen check of the file (fresh process):  wall {check_wall * 1000:6.0f} ms   CPU {cpu * 1000:6.0f} ms")
        print(f"  docgen lsp, first check after didOpen:      wall {got['first'][0]:6.0f} ms")
        for label, key in (("per change after the debounce, wall", "after"), ("per change, CPU (server + checker)", "cpu"),
                           ("hover while checking", "hover"), ("hover with no check running", "idle hover")):
            values = sorted(got[key])
            print(f"  {label:42} median {statistics.median(values):6.0f} ms   min {values[0]:6.0f}"
                  f"   max {values[-1]:6.0f}   ({len(values)})")
        try:
            naive, linear = diagnostics_figures(path)
        except ImportError:  # a docgen before `server.diagnostics`
            return
        print(f"  2,000 diagnostics: per-finding pygls conversion {naive * 1000:7.0f} ms CPU,"
              f" split once {linear * 1000:5.0f} ms CPU ({naive / linear:.0f}x)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


_CHECK = """
import os, sys
os.chdir(sys.argv[1])
sys.argv = ["docgen", "check", "plans"]
from docgen.cli import main
try:
    main()
except SystemExit:
    pass
"""


if __name__ == "__main__":
    main()
