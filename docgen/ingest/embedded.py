"""Find the plan a .docx written by docgen carries (`docgen.planpart`), and whether its printed text
was changed since.

Read like any untrusted package: the zip opened within the usual limits, the part refused past
`planpart.MAX_BYTES`, XML parsed without entities or network. Anything unexpected means "no plan
here": the document is then imported from its printed text as any other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from docgen import planpart
from docgen.untrusted import LimitExceeded, Limits, Unreadable, check_size, open_zip, read_member

_ITEM = re.compile(r"^customXml/item\d*\.xml$")


@dataclass
class Found:
    text: str
    #: The printed text is still the one docgen wrote (no edit in Word since).
    unchanged: bool


def find(path: Path) -> Found | None:
    """The plan carried in the .docx or PDF at `path`, or None."""
    if path.suffix.lower() == ".pdf":
        return _find_in_pdf(path)
    limits = Limits()
    try:
        archive = open_zip(path, limits, "Word 文档")
    except (Unreadable, LimitExceeded):
        return None
    with archive:
        for info in archive.infolist():
            if not _ITEM.match(info.filename) or info.file_size > planpart.MAX_BYTES:
                continue
            try:
                embedded = planpart.read_item(read_member(archive, info.filename, limits))
                if embedded is None:
                    continue
                printed = planpart.printed_fingerprint(read_member(archive, "word/document.xml", limits))
            except (Unreadable, LimitExceeded, etree.XMLSyntaxError):
                return None
            return Found(embedded.text, printed == embedded.printed)
    return None


def _find_in_pdf(path: Path) -> Found | None:
    """The plan embedded as a file in a PDF docgen wrote. A PDF is not edited as a Word file is:
    when the file is there, the PDF is docgen's print of that plan."""
    from pypdf import PdfReader

    try:
        check_size(path, Limits())
        files = PdfReader(str(path)).attachments.get(planpart.PDF_NAME) or []
        embedded = planpart.read_item(files[0]) if files and len(files[0]) <= planpart.MAX_BYTES else None
    except Exception:  # noqa: BLE001 - pypdf raises many kinds on a damaged file; then there is no plan
        return None
    return Found(embedded.text, True) if embedded is not None else None


#: Top-level keys of a plan that the printed document does not show: taken from the carried plan
#: when the printed text was edited (and left out when the carried plan has none).
NOT_PRINTED = ("实施期限", "上级方案", "上级版本", "模板", "数据", "来源", "依据", "编号方式", "用印")
#: Keys of a task the printed document does not show.
TASK_NOT_PRINTED = ("编号", "上级任务")


def carry(data, carried_text: str) -> None:
    """Give the plan `data` recovered from an edited document's printed text what only the carried
    plan knows: the top-level `NOT_PRINTED` keys and, task by task (paired by 任务 text, then by
    order and likeness), the `TASK_NOT_PRINTED` keys."""
    import difflib

    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        carried = YAML(typ="safe", pure=True).load(carried_text)
    except YAMLError:
        return
    if not isinstance(carried, dict):
        return
    for key in NOT_PRINTED:
        if key in carried:
            data[key] = carried[key]
        elif key in data:
            del data[key]
    old = _tasks(carried.get("正文"))
    new = _tasks(data.get("正文"))
    by_text: dict[str, list[dict]] = {}
    for task in old:
        by_text.setdefault(str(task.get("任务", "")), []).append(task)
    used: set[int] = set()
    pairs: list[tuple[dict, dict]] = []
    unpaired = []
    for task in new:
        same = [t for t in by_text.get(str(task.get("任务", "")), []) if id(t) not in used]
        if same:
            used.add(id(same[0]))
            pairs.append((task, same[0]))
        else:
            unpaired.append(task)
    rest = [t for t in old if id(t) not in used]
    for task in unpaired:
        text = str(task.get("任务", ""))
        best = max(rest, key=lambda t: difflib.SequenceMatcher(None, text, str(t.get("任务", ""))).ratio(), default=None)
        if best is not None and difflib.SequenceMatcher(None, text, str(best.get("任务", ""))).ratio() >= 0.5:
            rest.remove(best)
            pairs.append((task, best))
    taken = {str(t.get("编号")) for _, t in pairs if t.get("编号")}
    for task, source in pairs:
        for key in TASK_NOT_PRINTED:
            if key in source:
                task[key] = source[key]
    # an imported id of an unpaired task must not collide with one carried over
    for task in new:
        if task not in [p[0] for p in pairs] and str(task.get("编号")) in taken:
            n = 1
            while f"N{n:02d}" in taken:
                n += 1
            task["编号"] = f"N{n:02d}"
            taken.add(task["编号"])


def _tasks(items) -> list:
    out: list = []
    for item in items or []:
        if not isinstance(item, dict):
            continue
        if "任务" in item:
            out.append(item)
        out.extend(_tasks(item.get("内容") if isinstance(item.get("内容"), list) else None))
    return out
