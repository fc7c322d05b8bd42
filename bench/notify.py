"""Benchmark: render the same 1,000 notices two ways in one run, and print ms per notice.

- docgen: `DocxWriter.fill` (template read, cleaned and its fields compiled once; per notice only
  the fields are filled and the changed parts zipped with the others, serialised once);
- naive: a fresh `docxtpl.DocxTemplate(path)` + `render` + `save` per notice.

Both get the same template and the same contexts (each notice's body built once from the plan by
`DocxWriter.context`, which both approaches need; its cost is printed too, with the end-to-end ratio).

    python bench/notify.py [--count 1000]
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docxtpl import DocxTemplate  # noqa: E402
from jinja2.sandbox import SandboxedEnvironment  # noqa: E402

from docgen.jobs.check import prepare  # noqa: E402
from docgen.config import load_settings  # noqa: E402
from docgen.compose.notice import compose_notice  # noqa: E402
from docgen.notify.recipients import recipients  # noqa: E402
from docgen.jobs.notify import notice_settings  # noqa: E402
from docgen.render.docx import DocxWriter  # noqa: E402
from docgen.render.template import choose  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    settings = load_settings(ROOT)
    ctx, _ = prepare([ROOT / "plans/city/three-year-plan.yaml"], settings, ROOT)
    plan, registry = ctx.plans[0], ctx.registry
    org = ctx.org_of(plan)
    base = recipients(plan, registry, org)
    units = [dataclasses.replace(base[i % len(base)], name=f"单位{i:04d}", full_name=f"清溪市第{i}号成员单位")
             for i in range(args.count)]
    batch = notice_settings(plan, registry, None, None, "张明，0000-1234567", "")
    docs = [compose_notice(plan, u, registry, batch) for u in units]
    choice = choose(plan, org)

    writer = DocxWriter(choice, settings.font_set)
    start = time.perf_counter()
    contexts = [writer.context(doc) for doc in docs]
    compose_s = time.perf_counter() - start

    start = time.perf_counter()
    ours = [writer.fill(context, doc) for context, doc in zip(contexts, docs)]
    docgen_s = time.perf_counter() - start

    start = time.perf_counter()
    for context in contexts:
        tpl = DocxTemplate(str(choice.path))
        tpl.render(context, SandboxedEnvironment(autoescape=True), autoescape=True)
        tpl.save(io.BytesIO())
    naive_s = time.perf_counter() - start

    assert len(ours) == args.count and all(ours)
    n = args.count
    print(f"notices: {n} (one core), same template and contexts for both")
    print(f"docgen fill (DocxWriter): {docgen_s * 1000 / n:.2f} ms per notice ({docgen_s:.1f} s)")
    print(f"naive (DocxTemplate + render + save): {naive_s * 1000 / n:.2f} ms per notice ({naive_s:.1f} s)")
    print(f"ratio: {naive_s / docgen_s:.1f}x")
    print(f"building each notice's body from the plan (both need it): {compose_s * 1000 / n:.2f} ms per notice;"
          f" end to end {(compose_s + docgen_s) * 1000 / n:.2f} vs {(compose_s + naive_s) * 1000 / n:.2f} ms"
          f" ({(compose_s + naive_s) / (compose_s + docgen_s):.1f}x)")


if __name__ == "__main__":
    main()
