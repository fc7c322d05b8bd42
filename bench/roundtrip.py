"""Round-trip fidelity: import a received document, render the plan, compare with the source.

For each source — the text fixtures in tests/ingest/fixtures, their Word versions (made as
offices make them by tests/ingest/wordsource.py) and those printed to PDF by LibreOffice, the
received documents of tests/ingest/received.py (WPS-like red-head PDFs, a web copy with its frame,
a 实施意见 by subjects, a city not in the registry: what each must recover is known, and printed
as recovered in order), and the real documents in ../shared/seeds when that folder exists — runs `docgen import` → `docgen render` (.docx) and compares the rendered
document's text with the source's text, as tests/ingest/fidelity.py says (whitespace and
half/full-width punctuation normalised, web-page clutter the importer skips left out).

Printed per document: similarity (2·matched / (source + rendered) characters), characters
missing (in the source, not in the rendering) and added, tasks recovered (with 责任单位 / with
完成时限), and the main kinds of difference with their character counts. `--show NAME` prints
the differing lines of the documents whose name contains NAME.

Run: .venv/bin/python bench/roundtrip.py [--show district-plan] [--no-seeds] [--no-pdf]
"""

from __future__ import annotations

import argparse
import collections
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the tests' helpers, as pytest finds them

from tests.ingest.fidelity import Comparison, recovered, round_trip, summary  # noqa: E402
from tests.ingest.wordsource import to_docx  # noqa: E402

FIXTURES = ROOT / "tests" / "ingest" / "fixtures"
#: ../shared/seeds of the checkout (a worktree in ../wt/NAME finds it two folders up).
SEEDS = next((p / "shared" / "seeds" for p in ROOT.parents if (p / "shared" / "seeds").is_dir()),
             ROOT.parent / "shared" / "seeds")
CITY_REGISTRY = ROOT / "plans" / "registry"
FIXTURE_REGISTRY = FIXTURES / "registry"
#: Fixtures written for the 清溪市 example registry; the others for tests/ingest/fixtures/registry.
CITY_FIXTURES = ("street-notice",)
#: The Word versions measured: (fixture, automatic numbering).
WORD_VERSIONS = (("district-plan", True), ("street-keypoints", False), ("district-opinion", False),
                 ("district-notice", True), ("street-notice", True))


@dataclass
class Source:
    name: str
    path: Path  # the file imported
    registry: Path
    shown: Path | None = None  # the text a Word version was made from
    expected: object = None  # what the import must recover (tests/ingest/received.py), if known


def sources(seeds: bool, pdf: bool, folder: Path) -> list[Source]:
    out = []
    for path in sorted(FIXTURES.glob("*.txt")) + sorted((FIXTURES / "blind").glob("*.txt")):
        out.append(Source(path.stem, path, CITY_REGISTRY if path.stem in CITY_FIXTURES else FIXTURE_REGISTRY))
    for name, automatic in WORD_VERSIONS:
        path = FIXTURES / f"{name}.txt"
        word = to_docx(path, folder / f"{name}.docx", automatic=automatic, continuous=True)
        registry = CITY_REGISTRY if name in CITY_FIXTURES else FIXTURE_REGISTRY
        out.append(Source(f"{name}.docx", word, registry, shown=path))
    if pdf and shutil.which("soffice"):
        from docgen.render.pdf import convert  # LibreOffice prints the Word versions (typed numbers) to PDF

        (folder / "typed").mkdir()
        typed = [to_docx(FIXTURES / f"{name}.txt", folder / "typed" / f"{name}.docx", automatic=False)
                 for name, _ in WORD_VERSIONS]
        for printed in convert(typed, folder / "pdf"):
            registry = CITY_REGISTRY if printed.stem in CITY_FIXTURES else FIXTURE_REGISTRY
            out.append(Source(f"{printed.stem}.pdf", printed, registry, shown=FIXTURES / f"{printed.stem}.txt"))
    from tests.ingest.received import DOCUMENTS, write

    (folder / "received").mkdir()
    for name, (make, forms) in DOCUMENTS.items():
        doc = make()
        for form in forms:
            if form == "pdf" and not pdf:
                continue
            (folder / "received" / form).mkdir(exist_ok=True)
            path = write(name, form, folder / "received" / form)
            shown = None
            if form == "pdf":  # compared with the text it was set from
                shown = folder / "received" / form / f"{name}.txt"
                shown.write_text(doc.text(), encoding="utf-8")
            out.append(Source(f"{name}.{form}", path, doc.registry, shown=shown, expected=doc.expected()))
    if seeds and SEEDS.is_dir():
        for path in sorted(SEEDS.glob("*.txt")):
            out.append(Source(f"seed {path.stem[:3]}", path, CITY_REGISTRY))
    return out


@dataclass
class Result:
    name: str
    comparison: Comparison | None
    tasks: int = 0
    with_units: int = 0
    with_deadline: int = 0
    failed: str = ""
    refused: list[str] = field(default_factory=list)
    recovered: dict[str, tuple[int, int]] = field(default_factory=dict)


def run(source: Source, folder: Path) -> Result:
    work = folder / re.sub(r"\W", "_", source.name)
    work.mkdir()
    try:
        trip = round_trip(source.path, source.registry, work, shown=source.shown)
    except ValueError as exc:
        return Result(source.name, None, failed=str(exc)[:60])
    tasks = trip.plan.tasks()
    got = recovered(source.expected, summary(trip.plan)) if source.expected is not None else {}
    return Result(source.name, trip.comparison, len(tasks), sum(1 for t in tasks if t.effective_responsibility),
                  sum(1 for t in tasks if t.effective_deadline), refused=trip.refused, recovered=got)


def _top(counter: collections.Counter, n: int = 4) -> str:
    return "，".join(f"{k} {v}" for k, v in counter.most_common(n)) or "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", action="append", default=[], help="print the differing lines of these documents")
    parser.add_argument("--no-seeds", action="store_true", help="leave out ../shared/seeds")
    parser.add_argument("--no-pdf", action="store_true", help="leave out the PDF versions (LibreOffice)")
    parser.add_argument("--no-examples", action="store_true", help="leave out docgen's own example documents")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results = [run(s, folder) for s in sources(not args.no_seeds, not args.no_pdf, folder)]
    print(f"{'document':<26}{'similar':>8}{'source':>8}{'missing':>8}{'added':>7}{'tasks':>7}{'units':>6}"
          f"{'dates':>6}  main differences (missing | added, characters)")
    for r in results:
        c = r.comparison
        if c is None:
            print(f"{r.name:<26}{'-':>8}{'':>8}{'':>8}{'':>7}{r.tasks:>7}{r.with_units:>6}{r.with_deadline:>6}  {r.failed}")
            continue
        missing, added = sum(c.missing.values()), sum(c.added.values())
        print(f"{r.name:<26}{c.ratio:>8.3f}{c.source:>8}{missing:>8}{added:>7}{r.tasks:>7}{r.with_units:>6}"
              f"{r.with_deadline:>6}  {_top(c.missing)} | {_top(c.added)}")
        if r.refused:
            print(f"{'':<26}  (docgen render refuses it: {', '.join(r.refused)}; measured without the check)")
    measured = [r.comparison for r in results if r.comparison]
    if measured:
        mean = sum(c.ratio for c in measured) / len(measured)
        print(f"mean similarity {mean:.3f} over {len(measured)} documents; {time.perf_counter() - started:.1f} s")
    known = [r for r in results if r.recovered]
    if known:
        print("\nreceived documents of our own (tests/ingest/received.py), recovered in order:")
        totals: dict[str, list[int]] = {}
        for r in known:
            print(f"  {r.name:<28}" + "，".join(f"{w} {g}/{o}" for w, (g, o) in r.recovered.items() if o))
            for w, (g, o) in r.recovered.items():
                t = totals.setdefault(w, [0, 0])
                t[0] += g
                t[1] += o
        print("  all: " + "，".join(f"{w} {g}/{o} ({100 * g / o:.1f}%)" for w, (g, o) in totals.items() if o))
    for r in results:
        if r.comparison and any(name in r.name for name in args.show):
            print(f"\n== {r.name}")
            print("\n".join(r.comparison.lines))
    if not args.no_examples:
        examples(pdf=not args.no_pdf)


#: What the printed document does not show: not counted when the embedded plan is stripped.
_NOT_PRINTED = ("实施期限", "有效期至", "上级方案", "上级任务")


def examples(pdf: bool) -> None:
    """Every example document docgen renders, imported back from its .docx (and PDF): with the plan
    it carries (the plan file must come back byte for byte) and with it stripped (changes that
    `docgen diff` names in structure, tasks, units, deadlines, targets and 文件要素, not counting
    task 编号 and what is not printed)."""
    from ingest.test_roundtrip import strip_plan

    from docgen.config import Settings
    from docgen.diff.changes import Element, Kind, compare
    from docgen.jobs.imports import import_documents
    from docgen.jobs.render import render
    from docgen.load import load
    from docgen.model import Plan

    settings = Settings(root=ROOT, registry=[ROOT / "plans" / "registry"])
    totals: dict[str, list[int]] = {}
    print(f"\n{'example (docgen round trip)':<40}{'exact':>7}{'tasks':>7}{'changes without the part':>26}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        render([ROOT / "plans"], settings, out, pdf=pdf, base=ROOT, keep_folders=True)
        for docx_path in sorted(out.rglob("*.docx")):
            source = ROOT / "plans" / docx_path.relative_to(out).with_suffix(".yaml")
            for path in [docx_path] + ([docx_path.with_suffix(".pdf")] if pdf else []):
                back = import_documents([path], settings, out=Path(tmp) / "back.yaml", base=Path(tmp))
                exact = back.written.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")
                stripped = strip_plan(path, Path(tmp) / f"stripped{path.suffix}")
                original, _ = load(source, source.name)
                kind = original.data.get("文种") if original is not None else None
                blind = import_documents([stripped], settings, out=Path(tmp) / "blind.yaml", base=Path(tmp),
                                         kind=kind if kind == "挂牌督办通知" else None)  # a 通报 is recognised unaided
                loaded, _ = load(blind.written, "blind.yaml")
                if loaded is None or original is None or "正文" not in original.data:
                    note = "(not a plan: compared by text above)"
                else:
                    _count(totals, Plan.from_source(original), Plan.from_source(loaded))
                    changes = [c for c in compare(Plan.from_source(original), Plan.from_source(loaded))
                               if not (c.kind is Kind.RENAMED and c.element is Element.TASK)
                               and not any(w in c.note for w in _NOT_PRINTED)]
                    kinds = collections.Counter(c.kind.value for c in changes)
                    note = f"{len(changes)} " + (", ".join(f"{k} {n}" for k, n in kinds.most_common(4)) if kinds else "")
                name = str(path.relative_to(out))
                print(f"{name:<40}{'yes' if exact else 'NO':>7}{blind.tasks:>7}   {note}")
    print("recovered without the carried plan (every example .docx and PDF): " + "，".join(
        f"{what} {got}/{of} ({100 * got / of:.1f}%)" for what, (got, of) in totals.items() if of))


def _count(totals: dict[str, list[int]], old, new) -> None:
    """What of the original plan `old` the import `new` recovered, in order (tests/ingest/fidelity.py)."""
    from tests.ingest.fidelity import recovered, summary

    for what, (got, of) in recovered(summary(old), summary(new)).items():
        t = totals.setdefault(what, [0, 0])
        t[0] += got
        t[1] += of


if __name__ == "__main__":
    main()
