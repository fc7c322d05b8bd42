"""Benchmark: cascade a city plan to 20 streets x 15 villages (320 child plans) in one command,
side by side with the naive approach (one `docgen cascade --to UNIT` run per child, each reloading
and re-checking its parent), in one run.

    python bench/cascade.py [--streets 20] [--villages 15] [--naive-sample 40]

The naive loop is timed on a sample of children (default 40) and its per-child time extrapolated,
so the benchmark stays within a few minutes; both figures are printed per child.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.jobs.cascade import cascade  # noqa: E402
from docgen.config import Settings  # noqa: E402
from docgen.registry import LEVELS  # noqa: E402

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--streets", type=int, default=20)
    parser.add_argument("--villages", type=int, default=15)
    parser.add_argument("--naive-sample", type=int, default=40)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="docgen-bench-"))
    try:
        plan = build_project(work, args.streets, args.villages)
        settings = Settings(root=work, registry=[work / "plans/registry"])

        start = time.perf_counter()
        outcome = cascade(plan, settings, to_level=LEVELS[-1], out_dir=work / "one", base=work)
        one = time.perf_counter() - start
        assert outcome.written and not outcome.problems, outcome.problems[:3]
        children = outcome.children
        print(f"children: {len(children)} ({args.streets} streets x {args.villages} villages, plus the streets)")
        print(f"docgen (one command): {one:.1f} s, {one / len(children) * 1000:.0f} ms per child")

        sample = children[:: max(1, len(children) // args.naive_sample)][: args.naive_sample]
        start = time.perf_counter()
        for child in sample:
            result = cascade(plan, settings, to=[child.org.name], out_dir=work / "naive", force=True, base=work)
            assert result.written, result.problems[:3]
        naive = (time.perf_counter() - start) / len(sample)
        print(f"naive (one run per child, {len(sample)} sampled): {naive * 1000:.0f} ms per child, "
              f"{naive * len(children):.1f} s for all {len(children)} (extrapolated)")
        print(f"ratio: {naive * len(children) / one:.1f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
