"""Benchmark: write the example plans' documents two ways in one run, and print ms per document.

- docgen: `DocxWriter` (template read, cleaned and compiled once), as `docgen build` does;
- naive: a fresh `docxtpl.DocxTemplate(path)` + `render` + `save` per document.

Both get the same composed documents and contexts (composing each plan is the same for both; its
cost is printed too, with the end-to-end ratio). The plans are the examples under plans/, each
written `--copies` times (as `docgen build` of a folder with that many plans would).

    python bench/render.py [--copies 20]
    python bench/render.py --size large      # 200 copies of each example
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docxtpl import DocxTemplate  # noqa: E402
from jinja2.sandbox import SandboxedEnvironment  # noqa: E402

from docgen.checked import prepare_plans  # noqa: E402
from docgen.compose import compose  # noqa: E402
from docgen.config import load_settings  # noqa: E402
from docgen.render.docx import DocxWriter  # noqa: E402
from docgen.render.template import choose  # noqa: E402

SIZES = {"small": 20, "large": 200}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, help="how many times each example plan is written")
    parser.add_argument("--size", choices=SIZES, default="small")
    args = parser.parse_args()
    copies = args.copies or SIZES[args.size]
    settings = load_settings(ROOT)
    ctx, result = prepare_plans([ROOT / "plans"], settings, ROOT)
    assert not result.errors, result.errors
    plans = [p for p in ctx.plans for _ in range(copies)]

    start = time.perf_counter()
    documents = [compose(plan, ctx.registry) for plan in plans]
    compose_s = time.perf_counter() - start

    writers: dict[Path, DocxWriter] = {}
    contexts = []
    start = time.perf_counter()
    for plan, doc in zip(plans, documents):
        choice = choose(plan, ctx.registry.organisation_of(plan.issuer.value))
        writer = writers.get(choice.path) or writers.setdefault(choice.path, DocxWriter(choice, settings.font_set))
        contexts.append((choice, writer, writer.context(doc)))
    context_s = time.perf_counter() - start
    start = time.perf_counter()
    ours = [writer.fill(context, doc) for (_, writer, context), doc in zip(contexts, documents)]
    docgen_s = time.perf_counter() - start

    start = time.perf_counter()
    for choice, _, context in contexts:
        tpl = DocxTemplate(str(choice.path))
        tpl.render(context, SandboxedEnvironment(autoescape=True), autoescape=True)
        tpl.save(io.BytesIO())
    naive_s = time.perf_counter() - start

    n = len(plans)
    assert len(ours) == n and all(ours)
    print(f"documents: {n} ({len(ctx.plans)} example plans x {copies}), one core")
    print(f"docgen fill (DocxWriter): {docgen_s * 1000 / n:.2f} ms per document ({docgen_s:.1f} s)")
    print(f"naive (DocxTemplate + render + save, same contexts): {naive_s * 1000 / n:.2f} ms per document"
          f" ({naive_s:.1f} s)")
    print(f"ratio: {naive_s / docgen_s:.1f}x")
    both = compose_s + context_s
    print(f"composing each plan and building its body (both need it): {both * 1000 / n:.2f} ms per document;"
          f" end to end {(both + docgen_s) * 1000 / n:.2f} vs {(both + naive_s) * 1000 / n:.2f} ms"
          f" ({(both + naive_s) / (both + docgen_s):.1f}x)")


if __name__ == "__main__":
    main()
