"""Benchmark: writing a long plan's .docx at growing sizes, docgen beside the quadratic step it had.

Plans of N tasks (`bench/check.py`'s generator) are checked and composed once; their bodies are
then written by `DocxWriter` two ways in one run:

- docgen: `ooxml.add_paragraph` looks at the body's last child (`body[-1]`);
- naive: the same with `len(body)` before each new paragraph, as before (lxml counts every child).

For each way it prints the time per size and the exponent between the two largest sizes (1 is
linear), and the peak memory.

    python bench/render_scale.py                  # 1,000 and 2,000 tasks
    python bench/render_scale.py --size large     # 1,000, 3,000 and 5,000 tasks
"""

from __future__ import annotations

import argparse
import math
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from check import build_plan  # noqa: E402

from docgen.checked import prepare_plans  # noqa: E402
from docgen.compose import compose  # noqa: E402
from docgen.config import load_settings  # noqa: E402
from docgen.render import ooxml  # noqa: E402
from docgen.render.docx import DocxWriter  # noqa: E402
from docgen.render.template import default_template  # noqa: E402

SIZES = {"small": (1_000, 2_000), "large": (1_000, 3_000, 5_000)}
LINEAR = ooxml.add_paragraph


def naive_add_paragraph(body, style_id, runs=()):
    """`ooxml.add_paragraph` as it was: `len(body)` walks every child for each new paragraph."""
    p = body.makeelement(ooxml._P, {})
    if style_id:
        ppr = ooxml.etree.SubElement(p, ooxml._PPR)
        ooxml.etree.SubElement(ppr, ooxml._PSTYLE).set(ooxml._VAL, style_id)
    for text, run_style in runs:
        ooxml.add_run(p, text, run_style)
    last = body[-1] if len(body) else None
    if last is not None and last.tag == ooxml._SECT_PR:
        last.addprevious(p)
    else:
        body.append(p)
    return p


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=SIZES, default="small")
    args = parser.parse_args()
    settings = load_settings(ROOT)
    work = Path(tempfile.mkdtemp(prefix="docgen-bench-scale-"))
    docs = {}
    for n in SIZES[args.size]:
        path = work / f"plan-{n}.yaml"
        path.write_text(build_plan(n), encoding="utf-8")
        ctx, result = prepare_plans([path, ROOT / "plans/registry"], settings, ROOT)
        assert not result.errors, result.problems[:3]
        docs[n] = compose(ctx.plans[0], ctx.registry)
    writer = DocxWriter(default_template(), settings.font_set)
    print(f"{'tasks':>6} {'docgen s':>9} {'naive s':>9}")
    times: dict[str, dict[int, float]] = {"docgen": {}, "naive": {}}
    for n, doc in docs.items():
        for way, function in (("docgen", LINEAR), ("naive", naive_add_paragraph)):
            ooxml.add_paragraph = function
            start = time.process_time()
            writer.write(doc)
            times[way][n] = time.process_time() - start
        ooxml.add_paragraph = LINEAR
        print(f"{n:>6} {times['docgen'][n]:>9.2f} {times['naive'][n]:>9.2f}")
    a, b = sorted(docs)[-2:]
    for way, t in times.items():
        print(f"{way}: exponent {math.log(t[b] / t[a]) / math.log(b / a):.2f} between {a} and {b} tasks")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
