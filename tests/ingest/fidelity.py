"""Round-trip fidelity: how closely a received document, imported and rendered again, reproduces it.

`round_trip(source, …)` runs `docgen import` → `docgen render` (.docx) and compares the rendered
document's text with the source's text (`compare`):

- both sides: one line per paragraph or table cell, whitespace removed, half-width and
  full-width punctuation made the same (NFKC), empty lines dropped; the source without the
  web-page clutter the importer reports and skips (DG705 "网页信息", "版头前的文字");
- a Word source made by `wordsource.to_docx` is compared with the lines it was made from (what
  Word shows, automatic numbers included);
- the rendered document: its body (paragraphs, table cells) and the 版记 in the last footer;
- lines are aligned first, then the characters of each pair of differing runs of lines.

Used by tests/ingest/test_fidelity.py and bench/roundtrip.py.
"""

from __future__ import annotations

import collections
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.oxml.ns import qn

from docgen.checked import prepare_plans
from docgen.config import Settings
from docgen.errors import FindingsError
from docgen.jobs.imports import ImportOutcome, import_documents
from docgen.jobs.render import render, render_checked
from docgen.load import load
from docgen.model import Plan
from tests.ingest.wordsource import read_lines
from tests.render.helpers import docx_lines as body_lines

_CLUTTER = re.compile(r"^（第(\d+)行）(?:网页信息|版头前的文字)")
#: wordsource leaves these web lines out of the Word version
_WEB = re.compile(r" > |^发布(日期|时间)")
#: Lines naming a task's units or deadline, however labelled.
DIVISION_LINE = re.compile(r"^(?:责任单位|责任部门|牵头单位|配合单位|完成时限|时间节点)[:：]")


# -- text --------------------------------------------------------------------------------------

def normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
    return re.sub(r"[\s\u200b\u2060]+", "", text)  # (zero-width spaces: break opportunities, not text)


def source_lines(path: Path, skipped: set[int], word: bool) -> list[str]:
    out = []
    for number, line in enumerate(read_lines(path), start=1):
        if number in skipped or word and _WEB.search(line):
            continue
        for cell in line.strip(" \t\u3000").split("\t"):
            if normal(cell):
                out.append(normal(cell))
    return out


def docx_lines(path: Path, *, attached: list[Path] = ()) -> list[str]:
    """Paragraphs and table cells of the body, in order, then those of the documents `attached`
    (a forwarded document imported as a plan of its own, printed after the cover), then the 版记
    printed in the footer of the last page (抄送, 印发机关和印发日期)."""
    out = [normal(line) for line in body_lines(path) if normal(line)]
    for other in attached:
        out += [normal(line) for line in body_lines(other) if normal(line)]
    last = docx.Document(str(path)).sections[-1]
    closing: list[str] = []  # the odd and the even page's footer both hold it
    for footer in (last.footer, last.even_page_footer):
        for p in footer._element.iter(qn("w:p")):
            text = normal("".join(t.text or "" for t in p.iter(qn("w:t"))))
            if text and not re.fullmatch(r"[—\-\d]*", text) and text not in closing:
                closing.append(text)
    return out + closing


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
    """Source lines `a` against rendered lines `b`. Each line counts its characters and one for its
    end, so that paragraphs run together or broken apart count as a difference."""
    out = Comparison(sum(len(x) + 1 for x in a), sum(len(x) + 1 for x in b))
    lines = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in lines.get_opcodes():
        if op == "equal":
            out.matched += sum(len(x) + 1 for x in a[i1:i2])
            continue
        old, new = a[i1:i2], b[j1:j2]
        for line in old:
            out.lines.append(f"  - {line}")
        for line in new:
            out.lines.append(f"  + {line}")
        # characters of the differing runs, aligned; what is left over is counted by line kind
        sa, sb = "".join(x + "\n" for x in old), "".join(x + "\n" for x in new)
        chars = difflib.SequenceMatcher(None, sa, sb, autojunk=False)
        owner_a = [kind_of(line) for line in old for _ in line + "\n"]
        owner_b = [kind_of(line) for line in new for _ in line + "\n"]
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
    if piece.strip("\n") == "":
        return "line break"
    if kind == "text" and re.fullmatch(r"[,.;:、。\"()《》〈〉\n]+", piece):
        return "punctuation"
    if kind == "text" and re.search(r"\((?:责任单位|牵头单位|配合单位|完成时限)", piece):
        return "bracket note"
    return kind


# -- what a plan holds, recovered in order -------------------------------------------------------------

@dataclass
class Summary:
    """What an import must recover of a document: title, 发文字号, the section titles, the titles of
    tables and figures, and each task's lead, 责任单位 (all, lead first), 完成时限 and 指标 (名称, 目标值)."""

    title: str
    doc_number: str | None
    sections: list[str]
    captions: list[str] = field(default_factory=list)
    tasks: list[tuple[str, tuple[str, ...], str | None, tuple[tuple[str, float], ...]]] = field(default_factory=list)


def summary(plan: Plan) -> Summary:
    from docgen.model import BodyTable, Figure

    def units(t) -> tuple[str, ...]:
        r = t.effective_responsibility
        return tuple(u.name for u in r.all()) if r is not None else ()

    def due(t) -> str | None:
        d = t.effective_deadline
        return d.text if d is not None else None

    return Summary(
        plan.title.value, plan.doc_number.value if plan.doc_number else None,
        [s.title.value for s in plan.sections()],
        [b.title.value for b in plan.walk() if isinstance(b, (BodyTable, Figure)) and b.title and b.title.value],
        [(t.lead.value, units(t), due(t), tuple((x.name, x.value) for x in t.targets)) for t in plan.tasks()])


def recovered(old: Summary, new: Summary) -> dict[str, tuple[int, int]]:
    """(recovered, of) per element: the title and 发文字号 as they are; sections, table and figure
    titles and tasks (by lead) in order; for the tasks recovered in order their units, deadlines and
    targets (of: every task of `old`, every task with targets)."""
    def in_order(a: list, b: list) -> list[tuple[int, int]]:
        pairs = []
        for m in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
            pairs += [(m.a + k, m.b + k) for k in range(m.size)]
        return pairs

    out = {"titles": (int(old.title == new.title), 1)}
    if old.doc_number:
        out["文号"] = (int(old.doc_number == new.doc_number), 1)
    out["sections"] = (len(in_order(old.sections, new.sections)), len(old.sections))
    if old.captions:
        out["表题/图题"] = (len(in_order(old.captions, new.captions)), len(old.captions))
    pairs = [(old.tasks[i], new.tasks[j]) for i, j in in_order([t[0] for t in old.tasks], [t[0] for t in new.tasks])]
    n = len(old.tasks)
    out["tasks"] = (len(pairs), n)
    out["units"] = (sum(o[1] == g[1] for o, g in pairs), n)
    out["deadlines"] = (sum(o[2] == g[2] for o, g in pairs), n)
    out["targets"] = (sum(o[3] == g[3] for o, g in pairs if o[3]), sum(1 for t in old.tasks if t[3]))
    return out


# -- one round trip ---------------------------------------------------------------------------------

@dataclass
class RoundTrip:
    outcome: ImportOutcome
    plan: Plan
    plan_file: Path
    rendered: Path
    source: list[str]
    lines: list[str]
    comparison: Comparison
    #: the error codes for which `docgen render` refused the plan (measured without the check)
    refused: list[str] = field(default_factory=list)

    @property
    def rendered_text(self) -> str:
        """The rendered body as printed (not normalised), a paragraph or cell a line."""
        return "\n".join(body_lines(self.rendered))


def round_trip(source: Path, registry: Path, folder: Path, *, shown: Path | None = None) -> RoundTrip:
    """Import `source` (checked against `registry`) into `folder`, render it and compare. `shown`:
    the text file a Word source was made from (`wordsource.to_docx`), compared in its place."""
    settings = Settings(root=folder, registry=[registry])
    plan_file = folder / f"{source.stem}.yaml"
    outcome = import_documents([source], settings, out=plan_file, base=folder)
    if outcome.written is None:
        raise ValueError(f"{source.name} was not imported: {[p.message for p in outcome.problems]}")
    loaded, _ = load(plan_file, plan_file.name)
    plan = Plan.from_source(loaded)
    refused: list[str] = []
    plan_files = [plan_file, *outcome.attached]  # a forwarded document comes back as a plan of its own
    try:
        render(plan_files, settings, folder / "out", pdf=False, base=folder)
    except FindingsError as exc:
        # `docgen render` refuses the plan; measure what it would print all the same, and say why
        refused = sorted({p.code for p in exc.problems if p.severity.value == "error"})
        ctx, _ = prepare_plans(plan_files, settings, folder)
        render_checked([*ctx.plans, *ctx.bulletins], ctx.registry, settings, folder / "out", paths=plan_files, pdf=False)
    skipped = {int(m.group(1)) for p in outcome.problems if (m := _CLUTTER.match(p.message))}
    a = source_lines(shown or source, set() if shown else skipped, word=shown is not None)
    rendered = folder / "out" / f"{plan_file.stem}.docx"
    b = docx_lines(rendered, attached=[folder / "out" / f"{p.stem}.docx" for p in outcome.attached])
    return RoundTrip(outcome, plan, plan_file, rendered, a, b, compare(a, b), refused)
