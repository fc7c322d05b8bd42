"""Round-trip fidelity: import a received document, render the plan, compare with the source.

For each source — the text fixtures in tests/ingest/fixtures, their Word versions (made as
offices make them by tests/ingest/wordsource.py), and the real documents in ../shared/seeds when
that folder exists — runs `docgen import` → `docgen render` (.docx) and compares the rendered
document's text with the source's text:

- both sides: one line per paragraph or table cell, whitespace removed, half-width and
  full-width punctuation made the same (NFKC), empty lines dropped; the source without the
  web-page clutter the importer reports and skips (DG705 "网页信息", "版头前的文字");
- a Word source is compared with the lines it was made from (what Word shows, automatic
  numbers included);
- lines are aligned first, then the characters of each pair of differing runs of lines.

Printed per document: similarity (2·matched / (source + rendered) characters), characters
missing (in the source, not in the rendering) and added, tasks recovered (with 责任单位 / with
完成时限), and the main kinds of difference with their character counts. `--show NAME` prints
the differing lines of the documents whose name contains NAME.

Run: .venv/bin/python bench/roundtrip.py [--show district-plan] [--no-seeds]
"""

from __future__ import annotations

import argparse
import collections
import difflib
import re
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402

from docgen.config import Settings  # noqa: E402
from docgen.errors import FindingsError  # noqa: E402
from docgen.jobs.imports import import_documents  # noqa: E402
from docgen.jobs.check import prepare_plans  # noqa: E402
from docgen.jobs.render import render, render_checked  # noqa: E402
from docgen.load import load  # noqa: E402
from docgen.model import Plan  # noqa: E402
from tests.ingest.wordsource import read_lines, to_docx  # noqa: E402

FIXTURES = ROOT / "tests" / "ingest" / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"
CITY_REGISTRY = ROOT / "plans" / "registry"
FIXTURE_REGISTRY = FIXTURES / "registry"
#: Fixtures written for the 清溪市 example registry; the others for tests/ingest/fixtures/registry.
CITY_FIXTURES = ("street-notice",)
#: The Word versions measured: (fixture, automatic numbering).
WORD_VERSIONS = (("district-plan", True), ("street-keypoints", False), ("district-opinion", False),
                 ("district-notice", True))
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_CLUTTER = re.compile(r"^（第(\d+)行）(?:网页信息|版头前的文字)")
#: wordsource leaves these web lines out of the Word version
_WEB = re.compile(r" > |^发布(日期|时间)")


# -- text --------------------------------------------------------------------------------------

def normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
    return re.sub(r"\s+", "", text)


def source_lines(path: Path, skipped: set[int], word: bool) -> list[str]:
    out = []
    for number, line in enumerate(read_lines(path), start=1):
        if number in skipped or word and _WEB.search(line):
            continue
        for cell in line.strip(" \t\u3000").split("\t"):
            if normal(cell):
                out.append(normal(cell))
    return out


def docx_lines(path: Path) -> list[str]:
    """Paragraphs and table cells of the body, in order (text boxes' fallback copies left out),
    then the 版记 in the last page's footer."""
    out = []
    document = docx.Document(str(path))

    def walk(el):
        for child in el.iterchildren():
            if child.tag == _FALLBACK:
                continue
            if child.tag == qn("w:p"):
                text = "".join(t.text or "" for t in child.iter(qn("w:t")))
                if normal(text):
                    out.append(normal(text))
                walk_boxes(child)
            else:
                walk(child)

    def walk_boxes(p):
        for box in p.iter(qn("w:txbxContent")):
            if any(a.tag == _FALLBACK for a in box.iterancestors()):
                continue
            walk(box)
    walk(document.element.body)
    # the 版记 (抄送, 印发机关和印发日期) is printed in the footer of the last page
    last = document.sections[-1]
    seen: list[str] = []
    for footer in (last.footer, last.even_page_footer):
        for p in footer._element.iter(qn("w:p")):
            text = normal("".join(t.text or "" for t in p.iter(qn("w:t"))))
            if text and not re.fullmatch(r"[—\-\d]*", text) and text not in seen:
                seen.append(text)
    return out + seen


# -- comparison ----------------------------------------------------------------------------------

_KINDS = (
    ("完成时限 line", re.compile(r"^完成时限:")),
    ("责任单位 line", re.compile(r"^(?:责任单位|牵头单位|配合单位):")),
    ("bracket note", re.compile(r"\((?:责任单位|牵头单位|配合单位|完成时限):[^()]*\)")),
    ("task table", re.compile(r"^(?:序号|工作任务|牵头单位|配合单位|完成时限|责任单位|\d{1,2})$")),
    ("attachment label/note", re.compile(r"^附件")),
    ("date", re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")),
    ("heading", re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\))[^。]{0,30}$")),
    ("numbered item", re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\)|\d{1,2}[.、]|\(\d{1,2}\))")),
    ("draft mark", re.compile(r"^\(征求意见稿\)$")),
    ("版头/版记", re.compile(r"(?:文件|〔\d{4}〕\d+号|印发|抄送:)$")),
)


def kind_of(text: str) -> str:
    for name, pattern in _KINDS:
        if pattern.search(text):
            return name
    return "text"


@dataclass
class Comparison:
    source: int = 0
    rendered: int = 0
    matched: int = 0
    missing: collections.Counter = field(default_factory=collections.Counter)
    added: collections.Counter = field(default_factory=collections.Counter)
    lines: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        total = self.source + self.rendered
        return 2 * self.matched / total if total else 1.0


def compare(a: list[str], b: list[str]) -> Comparison:
    out = Comparison(sum(map(len, a)), sum(map(len, b)))
    lines = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in lines.get_opcodes():
        if op == "equal":
            out.matched += sum(len(x) for x in a[i1:i2])
            continue
        old, new = a[i1:i2], b[j1:j2]
        for line in old:
            out.lines.append(f"  - {line}")
        for line in new:
            out.lines.append(f"  + {line}")
        # characters of the differing runs, aligned; what is left over is counted by line kind
        sa, sb = "".join(old), "".join(new)
        chars = difflib.SequenceMatcher(None, sa, sb, autojunk=False)
        owner_a = [kind_of(line) for line in old for _ in line]
        owner_b = [kind_of(line) for line in new for _ in line]
        for cop, k1, k2, l1, l2 in chars.get_opcodes():
            if cop == "equal":
                out.matched += k2 - k1
                continue
            for k in range(k1, k2):
                out.missing[_detail(owner_a[k], sa, k1, k2)] += 1
            for k in range(l1, l2):
                out.added[_detail(owner_b[k], sb, l1, l2)] += 1
    return out


def _detail(kind: str, text: str, start: int, end: int) -> str:
    piece = text[start:end]
    if kind == "text" and re.fullmatch(r"[,.;:、。\"()《》〈〉]+", piece):
        return "punctuation"
    if kind == "text" and re.search(r"\((?:责任单位|牵头单位|配合单位|完成时限)", piece):
        return "bracket note"
    return kind


# -- the runs ------------------------------------------------------------------------------------

@dataclass
class Source:
    name: str
    path: Path  # the file imported
    text: Path  # the lines it shows
    registry: Path
    word: bool = False


def sources(seeds: bool, folder: Path) -> list[Source]:
    out = []
    for path in sorted(FIXTURES.glob("*.txt")):
        registry = CITY_REGISTRY if path.stem in CITY_FIXTURES else FIXTURE_REGISTRY
        out.append(Source(path.stem, path, path, registry))
    for name, automatic in WORD_VERSIONS:
        path = FIXTURES / f"{name}.txt"
        word = to_docx(path, folder / f"{name}.docx", automatic=automatic, continuous=True)
        out.append(Source(f"{name}.docx", word, path, FIXTURE_REGISTRY, word=True))
    if seeds and SEEDS.is_dir():
        for path in sorted(SEEDS.glob("*.txt")):
            out.append(Source(f"seed {path.stem[:3]}", path, path, CITY_REGISTRY))
    return out


@dataclass
class Result:
    name: str
    comparison: Comparison | None
    tasks: int = 0
    with_units: int = 0
    with_deadline: int = 0
    failed: str = ""
    #: the error codes for which `docgen render` refused the imported plan
    refused: list[str] = field(default_factory=list)
    seconds: float = 0.0


def run(source: Source, folder: Path) -> Result:
    start = time.perf_counter()
    settings = Settings(root=ROOT, registry=[source.registry])
    work = folder / re.sub(r"\W", "_", source.name)
    work.mkdir()
    plan_file = work / f"{source.path.stem}.yaml"
    outcome = import_documents([source.path], settings, out=plan_file, base=work)
    if outcome.written is None:
        return Result(source.name, None, failed="import failed")
    loaded, _ = load(plan_file, plan_file.name)
    plan = Plan.from_source(loaded)
    tasks = plan.tasks()
    result = Result(source.name, None, len(tasks), sum(1 for t in tasks if t.effective_responsibility),
                    sum(1 for t in tasks if t.effective_deadline))
    try:
        render([plan_file], settings, work / "out", pdf=False, base=work)
    except FindingsError as exc:
        # `docgen render` refuses the plan; measure what it would print all the same, and say why
        errors = [p for p in exc.problems if p.severity.value == "error"]
        result.refused = sorted({p.code for p in errors})
        ctx, _ = prepare_plans([plan_file], settings, work)
        render_checked(ctx.plans, ctx.registry, settings, work / "out", paths=[plan_file], pdf=False)
    skipped = {int(m.group(1)) for p in outcome.problems if (m := _CLUTTER.match(p.message))}
    a = source_lines(source.text, set() if source.word else skipped, source.word)
    b = docx_lines(work / "out" / f"{plan_file.stem}.docx")
    result.comparison = compare(a, b)
    result.seconds = time.perf_counter() - start
    return result


def _top(counter: collections.Counter, n: int = 4) -> str:
    return "，".join(f"{k} {v}" for k, v in counter.most_common(n)) or "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", action="append", default=[], help="print the differing lines of these documents")
    parser.add_argument("--no-seeds", action="store_true", help="leave out ../shared/seeds")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results = [run(s, folder) for s in sources(not args.no_seeds, folder)]
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
    for r in results:
        if r.comparison and any(name in r.name for name in args.show):
            print(f"\n== {r.name}")
            print("\n".join(r.comparison.lines))


if __name__ == "__main__":
    main()
