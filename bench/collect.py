"""Benchmark: `docgen collect` of returned ledgers beside the fastest maintained xlsx readers, in one run.

The ledgers: the example city plan's units plus member units up to `--size` (as bench/notify.py
builds them), each ledger as `docgen notify` writes it, filled in as a unit returns it (statuses,
dates as Excel dates and as text, progress); one ledger in twenty has a bad status, one a bad date.

Measured, each over the same files and alternating, CPU seconds of this process (min of `--repeat`):

- docgen: `docgen.progress.collect.collect` as the command runs it (zip and size limits, the
  one-pass expat scan of every part python-calamine reads with defusedxml's refusals, the depth,
  time and row/column/cell limits, then the values read by python-calamine);
- before: collect as it was before issue 25: every part streamed through defusedxml's iterparse
  (`docgen.untrusted.iter_xml`, an element per node) with the same limits, then the workbook
  fully loaded by openpyxl;
- openpyxl read-only: the same collect, the workbook opened by ``load_workbook(read_only=True)``
  with no scan and no limits;
- calamine: python-calamine reading both sheets of each ledger, the rows then checked by the same
  code (`collect_rows`); no scan, no limits (printed when python-calamine is installed).

The findings (codes and cells) and the progress entries of each way are compared with docgen's;
the last line gives docgen / calamine at each size (issue 25 asks for 1.2x with the limits kept).
With ``--stages``, the milliseconds per ledger of docgen's checks alone and of a bare expat pass
(no handler per element) over the same parts: the floor of any check a Python XML parser does.

    python bench/collect.py                     # 35 units
    python bench/collect.py --size 300
    python bench/collect.py --size 3000 --repeat 1
    python bench/collect.py --size 300 3000 --quick   # the docgen / calamine ratio at both sizes
    python bench/collect.py --size 300 --quick --stages   # and where docgen's time goes
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import resource
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openpyxl import load_workbook  # noqa: E402

from docgen.checked import prepare_plans  # noqa: E402
from docgen.config import Settings  # noqa: E402
from docgen.notify import ledger  # noqa: E402
from docgen.notify.recipients import recipients  # noqa: E402
from docgen.progress import collect as collect_stage  # noqa: E402
from docgen.progress import workbook as workbook_stage  # noqa: E402
from docgen.untrusted import Deadline, Limits, expat_pass, iter_xml, open_zip, read_member  # noqa: E402

AS_OF = dt.date(2026, 6, 30)
STAMP = "2026-01-05T00:00:00Z"


def _notify_bench():
    spec = importlib.util.spec_from_file_location("bench_notify", Path(__file__).with_name("notify.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(folder: Path, size: int):
    """(plan, recipients, ledger paths) for `size` units, each ledger filled in."""
    plan_path = _notify_bench().build_project(folder, size)
    settings = Settings(root=folder, registry=[folder / "plans/registry"])
    ctx, _ = prepare_plans([plan_path], settings, folder)
    plan = ctx.plans[0]
    units = recipients(plan, ctx.registry, ctx.org_of(plan))
    out = folder / "ledgers"
    out.mkdir()
    paths = []
    for i, unit in enumerate(units):
        content = ledger.Content.of(unit, plan.title.value, str(plan_path.relative_to(folder)), None)
        values = []
        for k, _ in enumerate(content.rows):
            status = ("已完成", "推进中", "未启动")[(i + k) % 3]
            date = dt.date(2026, 1 + k % 5, 1 + i % 28) if status == "已完成" else None
            if k == 1 and i % 20 == 3:
                status = "差不多了"
            if k == 2 and i % 20 == 7:
                date = "去年年底"
            elif k == 2 and date:
                date = f"{date.year}年{date.month}月{date.day}日"
            values.append((f"第{k}项已推进，完成率{(i * 7 + k) % 100}%", status, date, "文件", ""))
        path = out / f"{i:04d}-台账.xlsx"
        path.write_bytes(ledger.filled(content, tuple(values), STAMP))
        paths.append(path)
    return plan, units, paths


def full_load(path: Path, limits: Limits):
    """collect before issue 25: every part through defusedxml's iterparse (the scan's parse, its
    cell checks left out), then the whole workbook loaded by openpyxl."""
    deadline = Deadline(limits.time)
    with open_zip(path, limits) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels", ".vml")):
                for _ in iter_xml(read_member(archive, name, limits), name, limits, deadline):
                    pass
    return load_workbook(path, data_only=True)


def read_only(path: Path, limits: Limits):
    return load_workbook(path, read_only=True, data_only=True)


def with_opener(opener):
    def run(plan, units, paths):
        with mock.patch.object(collect_stage, "open_workbook", opener):
            return collect_stage.collect(plan, units, paths, AS_OF, paths[0].parent)
    return run


def docgen(plan, units, paths):
    return collect_stage.collect(plan, units, paths, AS_OF, paths[0].parent)


def calamine(plan, units, paths):
    from python_calamine import CalamineWorkbook

    sources = []
    for path in paths:
        wb = CalamineWorkbook.from_path(str(path))
        info = {str(r[0]): str(r[1]) for r in wb.get_sheet_by_name(ledger.INFO_SHEET).to_python() if r and r[0]}
        rows = wb.get_sheet_by_name(ledger.SHEET).to_python()
        start = next(i for i, r in enumerate(rows) if r and r[0] == ledger.COLUMNS[0]) + 1
        width = len(ledger.COLUMNS)
        values = [tuple((list(r) + [None] * width)[:width]) for r in rows[start:]
                  if not (r and r[0] in ledger.FOOTER_LABELS)]  # 填报人 … below the tasks, as collect skips them
        values = [tuple(None if v == "" else v for v in r) for r in values]
        sources.append((path.name, info.get("单位", ""), values))
    return collect_stage.collect_rows(plan, units, sources, AS_OF, paths[0].parent)


def scan_only(paths: list[Path]) -> None:
    """docgen's checks alone: `open_zip` and the scan, no values read."""
    limits = Limits()
    for path in paths:
        with open_zip(path, limits) as archive:
            workbook_stage._Scan(archive, limits, Deadline(limits.time)).run()


def bare_expat(paths: list[Path]) -> None:
    """The floor of any check done by a Python XML parser: the parts the scan reads, unpacked and
    parsed by expat with no handler per element (only the DTD refusals), nothing counted."""
    limits = Limits()
    for path in paths:
        with open_zip(path, limits) as archive:
            for name in archive.namelist():
                if name.endswith((".xml", ".rels")) and not name.startswith(("docProps/", "xl/theme/")):
                    expat_pass(read_member(archive, name, limits), name, None, None)


def calamine_read(paths: list[Path]) -> None:
    """python-calamine reading both sheets of each ledger, nothing checked or converted."""
    from python_calamine import CalamineWorkbook

    for path in paths:
        wb = CalamineWorkbook.from_path(str(path))
        for name in (ledger.SHEET, ledger.INFO_SHEET):
            wb.get_sheet_by_name(name).to_python()


def breakdown(paths: list[Path], repeat: int, totals: dict[str, float]) -> None:
    """Milliseconds per ledger of the stages, beside the totals measured."""
    parts = {"zip + scan (docgen's checks)": scan_only, "bare expat over the same parts": bare_expat}
    if importlib.util.find_spec("python_calamine"):
        parts["calamine reading alone"] = calamine_read
    best: dict[str, float] = {}
    for _ in range(repeat):
        for name, way in parts.items():
            cpu = time.process_time()
            way(paths)
            best[name] = min(best.get(name, float("inf")), time.process_time() - cpu)
    for name, seconds in {**{f"{k} (whole collect)": v for k, v in totals.items()}, **best}.items():
        print(f"    {name:<40}{seconds / len(paths) * 1000:>7.2f} ms per ledger")


def findings(outcome) -> list[tuple[str, int, int]]:
    return sorted((p.code, p.location.line, p.location.column) for p in outcome.problems)


def measure(size: int, repeat: int, quick: bool, stages: bool = False) -> dict[str, float]:
    """Best CPU seconds of each way over the same `size` ledgers, printed with the outcomes compared."""
    ways = {"docgen": docgen}
    if not quick:
        ways.update({"before (full load)": with_opener(full_load), "openpyxl read-only": with_opener(read_only)})
    if importlib.util.find_spec("python_calamine"):
        ways["calamine"] = calamine
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        plan, units, paths = build(Path(tmp), size)
        print(f"{len(paths)} ledgers, {sum(p.stat().st_size for p in paths) / 1e6:.1f} MB, "
              f"made in {time.perf_counter() - started:.1f} s")
        best: dict[str, float] = {}
        outcomes = {}
        for _ in range(repeat):
            for name, way in ways.items():
                cpu = time.process_time()
                outcomes[name] = way(plan, units, paths)
                best[name] = min(best.get(name, float("inf")), time.process_time() - cpu)
        if stages:
            breakdown(paths, repeat, {k: v for k, v in best.items() if k in ("docgen", "calamine")})
    ours = findings(outcomes["docgen"]), outcomes["docgen"].progress.entries
    for name, seconds in best.items():
        same = (findings(outcomes[name]), outcomes[name].progress.entries) == ours
        entries = sum(len(v) for v in outcomes[name].progress.entries.values())
        print(f"  {name:<20}{seconds:>8.2f} s CPU  {seconds / best['docgen']:>5.2f}x docgen's  "
              f"{len(outcomes[name].problems)} findings{'' if same else ' (DIFFERENT from docgen)'}, {entries} entries")
    readers = [(v, k) for k, v in best.items() if k not in ("docgen", "before (full load)")]
    if readers:
        fastest = min(readers)
        print(f"  docgen / fastest reader ({fastest[1]}): {best['docgen'] / fastest[0]:.2f}x")
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, nargs="+", default=[35], help="units (ledgers), at least 35; several sizes "
                        "are measured one after the other")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="docgen and calamine only (not openpyxl, which takes "
                        "minutes at 3,000)")
    parser.add_argument("--stages", action="store_true", help="also the milliseconds per ledger of docgen's checks "
                        "alone, of a bare expat pass over the same parts (the floor of any check in Python) and of "
                        "calamine reading alone")
    args = parser.parse_args()
    ratios = []
    for size in args.size:
        best = measure(size, args.repeat, args.quick, args.stages)
        if "calamine" in best:
            ratios.append(f"{size}: {best['docgen']:.2f} / {best['calamine']:.2f} s = {best['docgen'] / best['calamine']:.2f}x")
    if ratios:
        print("docgen / calamine: " + "; ".join(ratios))
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
