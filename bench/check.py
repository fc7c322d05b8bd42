"""Benchmark: `docgen check` of a large plan, side by side with PyYAML's C loader on the same files.

    python bench/check.py              # one plan with 5,000 tasks (about 2 MB)
    python bench/check.py --size large # 50,000 tasks in 10 files
    python bench/check.py --tasks 2000 --files 3

The plan is built from the example city plan: its 主要任务 sections are repeated with fresh task
ids until the plan has the asked number of tasks. Each figure is the minimum of `--runs` runs, in
CPU seconds of a fresh process, with its peak memory (max RSS), so both columns are comparable.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = {"small": (5_000, 1), "large": (50_000, 10)}


def build_plan(tasks: int, serial: int = 0) -> str:
    """A valid plan text with `tasks` tasks, made of the example plan's task sections."""
    import yaml

    text = (ROOT / "plans/city/three-year-plan.yaml").read_text(encoding="utf-8")
    plan = yaml.load(text, Loader=yaml.CSafeLoader)
    body = plan["正文"]
    main = next(b for b in body if b.get("标题") == "主要任务")
    sections = [s for s in main["内容"] if "内容" in s]
    # keep tasks without 上级任务/附件 links, targets without split tables: they are repeated freely
    pool = []
    for s in sections:
        for b in s["内容"]:
            if "任务" in b and "附件" not in b and "责任单位" in b and "完成时限" in b:
                b = dict(b)
                b.pop("指标", None)
                pool.append(b)
    new_sections, n = [], 0
    while n < tasks:
        s = sections[len(new_sections) % len(sections)]
        items = []
        for b in pool:
            if n >= tasks:
                break
            n += 1
            t = dict(b)
            t["编号"] = f"T{serial:02d}{n:05d}"
            items.append(t)
        new_sections.append({"标题": f"{s['标题']}（第{len(new_sections) + 1}组）", "内容": items})
    main["内容"] = new_sections
    plan["正文"] = [b for b in body if b is main or "任务" not in str(b)]
    plan.pop("附件", None)

    class Dumper(yaml.CSafeDumper):
        def ignore_aliases(self, data):  # every task written out in full, as a drafter would
            return True

    return yaml.dump(plan, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100_000)


def build(folder: Path, tasks: int, files: int) -> list[Path]:
    (folder / "plans").mkdir(parents=True)
    shutil.copytree(ROOT / "plans/registry", folder / "plans/registry")
    (folder / "pyproject.toml").write_text('[tool.docgen]\nregistry = ["plans/registry"]\n', encoding="utf-8")
    out = []
    for i in range(files):
        path = folder / "plans" / f"plan{i:02d}.yaml"
        path.write_text(build_plan(tasks // files, i), encoding="utf-8")
        out.append(path)
    return out


# `docgen check plans/` as a user runs it (the command line, its configuration found in the
# folder's pyproject.toml), in the same interpreter as the reference so both are measured alike.
_DOCGEN = """
import os, sys
os.chdir(sys.argv[1])
sys.argv = ["docgen", "check", "plans", "--format", "json"]
from docgen.cli import main
try:
    main()
except SystemExit as exc:
    print(f"exit {exc.code}", file=sys.stderr)
"""

_PYYAML = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1], "plans").rglob("*.yaml")):
    yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
"""


def measure(script: str, folder: Path) -> tuple[float, float, str]:
    """(CPU seconds, peak MB, stderr) of `script` run in a fresh interpreter."""
    code = "import atexit\n" + """
def _usage():
    import resource, json, sys
    u = resource.getrusage(resource.RUSAGE_SELF)
    print("\\n" + json.dumps([u.ru_utime + u.ru_stime, u.ru_maxrss / 1024]), file=sys.__stdout__, flush=True)
atexit.register(_usage)
""" + script
    proc = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True, check=True)
    cpu, peak = json.loads(proc.stdout.strip().splitlines()[-1])
    return cpu, peak, proc.stderr.strip()


def baseline() -> tuple[float, float]:
    """CPU seconds and peak MB of an interpreter that only imports docgen's command line (subtracted from neither)."""
    cpu, peak, _ = measure("import docgen.cli", Path("."))
    return cpu, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--tasks", type=int, help="number of tasks in all (overrides --size)")
    parser.add_argument("--files", type=int, help="number of plan files (overrides --size)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    tasks, files = SIZES[args.size]
    tasks, files = args.tasks or tasks, args.files or files
    work = Path(tempfile.mkdtemp(prefix="docgen-bench-check-"))
    try:
        paths = build(work, tasks, files)
        size = sum(p.stat().st_size for p in paths) / 1024 / 1024
        print(f"{tasks} tasks in {files} file(s), {size:.1f} MB")
        jobs = (("docgen check", _DOCGEN), ("PyYAML CSafeLoader", _PYYAML))
        runs: dict[str, list] = {label: [] for label, _ in jobs}
        for _ in range(args.runs):  # interleaved, so that a busy machine weighs on both alike
            for label, script in jobs:
                runs[label].append(measure(script, work))
        rows = [(label, min(r[0] for r in runs[label]), max(r[1] for r in runs[label]), runs[label][0][2])
                for label, _ in jobs]
        start_cpu, start_peak = baseline()
        print(f"{'':22}{'CPU s':>8}{'peak MB':>10}")
        for label, cpu, peak, err in rows:
            extra = f"  ({err.splitlines()[-1]})" if err else ""
            print(f"{label:22}{cpu:8.2f}{peak:10.0f}{extra}")
        print(f"{'(interpreter+imports)':22}{start_cpu:8.2f}{start_peak:10.0f}")
        ratio = rows[0][1] / rows[1][1] if rows[1][1] else float("nan")
        print(f"docgen / C parse: {ratio:.2f}x; per task: {rows[0][1] / tasks * 1000:.3f} ms")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
