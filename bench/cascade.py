"""Benchmark: cascade a city plan to 20 streets x 15 villages (320 child plans) in one command,
side by side with the naive approach (one `docgen cascade --to UNIT` run per child, each reloading
and re-checking its parent), in one run; optionally with docgen as of an earlier revision.

    python bench/cascade.py                      # 20 x 15 (320 children)
    python bench/cascade.py --size large         # 50 x 40 (2,050 children)
    python bench/cascade.py --size both          # both, and the cost per child at each (linear?)
    python bench/cascade.py --before 994197a     # also docgen as of that commit (before/after)
    python bench/cascade.py --size both --before 994197a --repeat 3 --naive-sample 0

Each figure comes from a fresh interpreter: CPU seconds, peak memory (max RSS) and wall time; with
`--repeat N` the variants run in turn N times (now, before, now, before…) and the medians are shown,
so that a busy machine slows both alike. Both variants write the same files (checked byte for byte).
The naive loop is timed on a sample of children (default 10) and extrapolated to all of them.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


STREET_NAMES = ["东湖街道", "西岭街道", "南河镇", "北山镇"]


def street_block(name: str, index: int, villages: int) -> str:
    """A street (and its villages) in the example registry's shape, renamed."""
    template = (ROOT / "plans/registry/donghu.yaml").read_text(encoding="utf-8")
    body = template.split("组织:\n", 1)[1]
    street, *village_blocks = re.split(r"\n(?=  - 名称: )", body.strip("\n"))
    street = street.replace("东湖街道", name).replace("东湖街办", f"街办{index:02d}")
    street = re.sub(r"企业数: \d+", f"企业数: {10 + index}", street)
    village = village_blocks[0]
    old_village = re.search(r"  - 名称: (\S+)", village).group(1)
    out = [street]
    for v in range(villages):
        vname = f"{name}第{v + 1}村"
        block = village.replace(old_village, vname).replace("东湖街道", name)
        block = re.sub(r"发文字号前缀: \S+", f"发文字号前缀: 村委{index:02d}{v:02d}", block)
        block = re.sub(r"企业数: \d+", f"企业数: {1 + v % 5}", block)
        out.append(block)
    return "\n".join(out)


def build_project(folder: Path, streets: int, villages: int) -> Path:
    (folder / "plans/registry").mkdir(parents=True)
    (folder / "plans/city").mkdir()
    city = (ROOT / "plans/registry/qingxi.yaml").read_text(encoding="utf-8")
    (folder / "plans/registry/qingxi.yaml").write_text(city, encoding="utf-8")
    names = STREET_NAMES + [f"第{i}街道" for i in range(len(STREET_NAMES) + 1, streets + 1)]
    blocks = [street_block(n, i, villages) for i, n in enumerate(names[:streets], start=1)]
    (folder / "plans/registry/streets.yaml").write_text("组织:\n" + "\n".join(blocks) + "\n", encoding="utf-8")
    plan = (ROOT / "plans/city/three-year-plan.yaml").read_text(encoding="utf-8")
    plan = re.sub(r"分解: \{方式: 按表, 表: \{[^}]*\}\}", "分解: {方式: 按数据, 数据项: 企业数}", plan)
    (folder / "plans/city/three-year-plan.yaml").write_text(plan, encoding="utf-8")
    return folder / "plans/city/three-year-plan.yaml"


SIZES = {"small": (20, 15), "large": (50, 40)}

_RUN = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import docgen.jobs.cascade
from docgen.jobs.cascade import cascade
from docgen.config import Settings
work, out, mode = Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
# every variant names the schema of this checkout in the children's headers (what it names is part
# of the text, and so of the version stamps of the grandchildren): their files can be compared
schema_path = docgen.jobs.cascade.schema_path
docgen.jobs.cascade.schema_path = lambda kind: Path(sys.argv[6]) / schema_path(kind).relative_to(Path(sys.argv[1]))
settings = Settings(root=work, registry=[work / "plans/registry"])
plan = work / "plans/city/three-year-plan.yaml"
start = time.perf_counter()
if mode == "all":
    outcome = cascade(plan, settings, to_level="村社区", out_dir=out, base=work)
    assert outcome.written and not outcome.problems, outcome.problems[:3]
    count = len(outcome.children)
else:  # the naive way: one command per child, each re-reading and re-checking its parent
    count = 0
    for name in sys.argv[5].split(","):
        outcome = cascade(plan, settings, to=[name], out_dir=out, force=True, base=work)
        assert outcome.written, outcome.problems[:3]
        count += 1
wall = time.perf_counter() - start
u = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps([u.ru_utime + u.ru_stime, u.ru_maxrss / 1024, wall, count]))
"""


def run(code: Path, work: Path, out: Path, mode: str = "all", names: list[str] = ()) -> tuple[float, float, float, int]:
    """(CPU s, peak MB, wall s, children) of one cascade in a fresh interpreter using `code`."""
    proc = subprocess.run([sys.executable, "-c", _RUN, str(code), str(work), str(out), mode, ",".join(names),
                           str(ROOT)], capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"cascade failed ({code}):\n{proc.stderr[-2000:]}")
    return tuple(json.loads(proc.stdout.strip().splitlines()[-1]))


def export(rev: str, into: Path) -> Path:
    """The docgen package as it was at git revision `rev` (for the before figure)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "docgen", "schemas", "templates"],
                             capture_output=True, check=True).stdout
    into.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def same_files(a: Path, b: Path) -> bool:
    """Whether the folders hold the same files with the same bytes."""
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    return files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file()) and all(
        (a / f).read_bytes() == (b / f).read_bytes() for f in files)


def measure(size: tuple[int, int], before: str | None, repeat: int, naive_sample: int) -> tuple[int, list]:
    """(children, rows of (label, CPU s, peak MB, wall s)) for one project size."""
    streets, villages = size
    work = Path(tempfile.mkdtemp(prefix="docgen-bench-"))
    try:
        build_project(work, streets, villages)
        variants = [("docgen cascade (now)", ROOT)]
        if before:
            old = export(before, work / "code")
            variants.append((f"docgen cascade ({before[:10]})", old))
        runs: dict[str, list] = {label: [] for label, _ in variants}
        count = 0
        for _ in range(repeat):
            for i, (label, code) in enumerate(variants):
                out = work / f"out{i}"
                shutil.rmtree(out, ignore_errors=True)
                cpu, peak, wall, count = run(code, work, out)
                runs[label].append((cpu, peak, wall))
        if before and not same_files(work / "out0", work / "out1"):
            raise SystemExit(f"docgen as of {before} writes other files than now")
        rows = [(label, *(statistics.median(r[k] for r in runs[label]) for k in range(3))) for label, _ in variants]
        if naive_sample:
            import yaml
            reg = yaml.safe_load((work / "plans/registry/streets.yaml").read_text(encoding="utf-8"))
            names = [o["名称"] for o in reg["组织"]]
            sample = names[:: max(1, len(names) // naive_sample)][: naive_sample]
            n = run(ROOT, work, work / "naive", "naive", sample)
            per = n[0] / len(sample)
            rows.append((f"naive: 1 run per child (x{count}, from {len(sample)})", per * count, n[1],
                         n[2] / len(sample) * count))
        return count, rows
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES) + ["both"], default="small",
                        help="small: 20 streets x 15 villages; large: 50 x 40 (2,050 children); both")
    parser.add_argument("--streets", type=int)
    parser.add_argument("--villages", type=int)
    parser.add_argument("--naive-sample", type=int, default=10,
                        help="children cascaded one command each, to extrapolate the naive way (0: skip)")
    parser.add_argument("--before", metavar="REV", help="also run docgen as of git revision REV, for before/after")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each variant, in turn (medians shown)")
    args = parser.parse_args()
    sizes = [SIZES["small"], SIZES["large"]] if args.size == "both" else [SIZES[args.size]]
    if args.streets or args.villages:
        sizes = [(args.streets or s, args.villages or v) for s, v in sizes]
    per_child: dict[str, list[tuple[int, float]]] = {}
    for streets, villages in sizes:
        count, rows = measure((streets, villages), args.before, max(1, args.repeat), args.naive_sample)
        print(f"children: {count} ({streets} streets x {villages} villages, plus the streets)"
              + (f"; medians of {args.repeat} runs each" if args.repeat > 1 else ""))
        print(f"{'':44}{'CPU s':>8}{'peak MB':>9}{'wall s':>8}{'ms/child':>10}")
        for label, cpu, peak, wall in rows:
            print(f"{label:44}{cpu:8.1f}{peak:9.0f}{wall:8.1f}{cpu / count * 1000:10.1f}")
            per_child.setdefault(label.split(" (x")[0] if label.startswith("naive") else label, []).append(
                (count, cpu / count * 1000))
    if len(sizes) > 1:
        print("CPU ms per child by size (linear when they stay level):")
        for label, figures in per_child.items():
            print(f"  {label:42}" + "  ".join(f"{n:>6,}: {ms:5.1f}" for n, ms in figures))


if __name__ == "__main__":
    main()
