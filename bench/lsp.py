"""Language-server check speed: what `docgen lsp` runs after each didChange, with and without its cache.

    python bench/lsp.py                 # plans/donghu/three-year-plan.yaml, 20 checks each way
    python bench/lsp.py --runs 50 --plan plans/city/work-points-2025.yaml

Each check is `docgen.lsp.features.check_text` on the plan's text with one character appended (an
unsaved edit, as the drafter types it), exactly what the server calls on didChange after its
debounce. "no cache" reads the registry and the parent plan (上级方案) from disk every time, as every
check did before the server kept a `SourceCache`; "cache" passes one cache, warmed by a first
check, as the server does. Milliseconds per check, wall-clock and CPU (steadier on a busy machine):
min and median.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.lsp import features  # noqa: E402


def checks(path: Path, text: str, runs: int, cache) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each of `runs` checks."""
    kwargs = {} if cache is None else {"cache": cache}
    features.check_text(path, text, **kwargs)  # warm: imports, settings, and the cache when there is one
    wall, cpu = [], []
    for i in range(runs):
        edited = text + ("\n" if i % 2 else " \n")
        start, start_cpu = time.perf_counter(), time.process_time()
        features.check_text(path, edited, **kwargs)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plan", default="plans/donghu/three-year-plan.yaml", help="relative to the repository")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="docgen-bench-lsp-"))
    try:
        shutil.copytree(ROOT / "plans", work / "plans")
        shutil.copy(ROOT / "pyproject.toml", work / "pyproject.toml")
        path = work / args.plan
        text = path.read_text(encoding="utf-8")
        try:
            from docgen.checked import SourceCache
        except ImportError:  # before the cache existed
            SourceCache = None
        rows = [("no cache", checks(path, text, args.runs, None))]
        if SourceCache is not None:
            rows.append(("cache", checks(path, text, args.runs, SourceCache())))
        print(f"{args.plan}: {args.runs} checks of an edited buffer each way")
        print(f"{'':10}{'wall min':>10}{'median ms':>11}{'CPU min':>10}{'median ms':>11}")
        for label, (wall, cpu) in rows:
            figures = (min(wall), statistics.median(wall), min(cpu), statistics.median(cpu))
            print(f"{label:10}" + "".join(f"{f * 1000:{w}.1f}" for f, w in zip(figures, (10, 11, 10, 11))))
        if len(rows) == 2:
            ratio = statistics.median(rows[0][1][1]) / statistics.median(rows[1][1][1])
            print(f"speed-up (median CPU): {ratio:.1f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
