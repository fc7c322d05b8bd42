"""Benchmark: `docgen report` beside `docgen check` of the same plan and beside the report as it was
(the naive way it replaced), in one run, at 300 and 3,000 member units.

The project: the example city plan with member units added to the registry (as bench/notify.py
builds it, each unit with its tasks) and a progress file giving every unit's every task, one of
each status in turn, as `docgen collect` writes it (bench/notify.py's `write_progress`).

Each command is a fresh `docgen` process (its imports included, as an office runs it); the figures
are its CPU seconds (user + system, from `wait4`) and peak memory (its VmHWM), the minimum of
`--repeat` runs, taken in turn:

- check: `docgen check` of the plan;
- report: `docgen report` of this checkout; "first run" is its first run with an empty cache
  folder (the chart drawn by matplotlib, the title's words segmented by jieba), the others find
  the chart and the words in the cache folder (``$XDG_CACHE_HOME/docgen``, a fresh one per run of
  this script);
- before: `docgen report` of commit `--before` (the report before issue 25's work: its tables
  filled by python-docx cell by cell, the progress file composed by libyaml node by node,
  matplotlib imported with pyplot for every chart, openpyxl and numpy imported by the command).

Both checkouts are copied side by side (byte-compiled, as `make install` leaves them) and write into
folders at the same place relative to their own schemas, so that their outputs can be compared:
the .docx, the data file and the draft of every run must be byte-identical to the before's.

    python bench/report.py                       # 300 and 3,000 units
    python bench/report.py --size 300 --repeat 5
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import importlib.util
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.config import Settings  # noqa: E402

PLAN = "plans/city/three-year-plan.yaml"
#: The last commit before the report's speed work (issue 25).
BEFORE = "994197a"


def _notify_bench():
    spec = importlib.util.spec_from_file_location("bench_notify", Path(__file__).with_name("notify.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def checkouts(work: Path, before: str) -> dict[str, Path]:
    """This checkout and commit `before`, each with its docgen, schemas and templates, byte-compiled."""
    out = {"now": work / "now", "before": work / "before"}
    for name in ("docgen", "schemas", "templates"):
        shutil.copytree(ROOT / name, out["now"] / name, ignore=shutil.ignore_patterns("__pycache__"))
    found = subprocess.run(["git", "-C", str(ROOT), "archive", before, "docgen", "schemas", "templates"],
                           capture_output=True)
    if found.returncode != 0:
        raise SystemExit(f"commit {before} is not in this repository ({found.stderr.decode().strip()}): "
                         "run the benchmark in a git clone with its history, or give --before")
    archive = found.stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(out["before"], filter="data")
    for folder in out.values():
        compileall.compile_dir(str(folder / "docgen"), quiet=1)
    return out


#: `docgen ARGS` as the command runs it, then its own peak memory (VmHWM: the high-water mark of this
#: program, not of the benchmark's process it was forked from, which ru_maxrss would report).
_CLI = """
import sys
sys.argv = ["docgen", *sys.argv[1:]]
from docgen.cli import main
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
with open("/proc/self/status") as status:
    peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
print(f"peak-kb {peak}", file=sys.stderr)
sys.exit(code)
"""


def run(code: Path, args: list[str], cwd: Path, env: dict) -> tuple[float, float]:
    """(CPU seconds, peak MB) of `docgen ARGS` run with the docgen of `code` in a fresh process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-c", _CLI, *args], cwd=cwd, stdout=out, stderr=err,
                                env={**env, "PYTHONPATH": str(code)})
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode()
        if proc.returncode not in (0, None):
            raise SystemExit(f"docgen {' '.join(args)} failed ({proc.returncode}):\n{text[-2000:]}")
    peak = int(text.rsplit("peak-kb ", 1)[1].split()[0])
    return usage.ru_utime + usage.ru_stime, peak / 1024


def outputs(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def measure(size: int, repeat: int, before: str) -> dict[str, tuple[float, float]]:
    work = Path(tempfile.mkdtemp(prefix="docgen-bench-report-"))
    try:
        code = checkouts(work, before)
        project = work / "project"
        plan = _notify_bench().build_project(project, size)
        progress = _notify_bench().write_progress(plan, Settings(root=project, registry=[project / "plans/registry"]),
                                                  project)
        (project / "pyproject.toml").write_text('[tool.docgen]\nregistry = ["plans/registry"]\n', encoding="utf-8")
        import matplotlib  # its font list stays where it is; docgen's cache folder starts empty

        env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache"), "MPLCONFIGDIR": matplotlib.get_cachedir()}

        def report(which: str, i: int) -> tuple[float, float]:
            out = code[which] / f"out{i}"  # beside the checkout's schemas: the same relative paths
            figures = run(code[which], ["report", PLAN, "--progress", str(progress), "-o", str(out)], project, env)
            made[which].append(outputs(out))
            return figures

        made: dict[str, list] = {"now": [], "before": []}
        times: dict[str, list] = {"check": [], "report": [], "before": []}
        first = report("now", 0)
        for i in range(1, repeat + 1):
            times["check"].append(run(code["now"], ["check", PLAN], project, env))
            times["report"].append(report("now", i))
            times["before"].append(report("before", i))
        same = all(m == made["before"][0] for m in made["now"] + made["before"])
        best = {name: min(values) for name, values in times.items()}
        best["first"] = first
        check = best["check"][0]
        print(f"units: {size} (fresh processes, CPU s = user + system, min of {repeat} runs; peak RSS)")
        rows = (("docgen check", "check"), ("docgen report (first run)", "first"), ("docgen report", "report"),
                (f"before ({before})", "before"))
        for label, key in rows:
            cpu, peak = best[key]
            print(f"  {label:<28}{cpu:>7.2f} s CPU  {peak:>5.0f} MB  {cpu / check:>5.1f}x check")
        print(f"  report {best['before'][0] / best['report'][0]:.1f}x faster than before; outputs (.docx, data, "
              f"draft) {'byte-identical to before' if same else 'DIFFERENT from before'}")
        return best
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, action="append", help="member units (repeatable; default 300 and 3000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the minimum is reported")
    parser.add_argument("--before", default=BEFORE, help="the commit whose report is measured as before")
    args = parser.parse_args()
    sizes = args.size or [300, 3000]
    results = {size: measure(size, args.repeat, args.before) for size in sizes}
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        for key, label in (("check", "check"), ("report", "report"), ("before", "before")):
            a, b = results[small][key][0], results[large][key][0]
            print(f"{label}: {small} -> {large} units: {a:.2f} -> {b:.2f} s CPU, "
                  f"{(b - a) / (large - small) * 1000:.2f} ms per extra unit")


if __name__ == "__main__":
    main()
