"""Which Word template a plan is rendered with, and whether it is one docgen can fill.

A plan may name its own copy (`模板:` in the plan, relative to the plan file); otherwise the
issuing organisation's (`模板:` in its registry entry, relative to the registry file); otherwise the
template shipped with docgen (`templates/official.docx`).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from docgen import load
from docgen.model import Plan
from docgen.problems import Location
from docgen.registry import Organisation
from docgen.render.errors import RenderError
from docgen.resources import data_dir

DEFAULT_TEMPLATE = "official.docx"
KEY = "模板"


@dataclass(frozen=True)
class TemplateChoice:
    """A template file and who chose it (for messages)."""

    path: Path
    #: Where the choice is written (the `模板:` value), or None for docgen's own template.
    location: Location | None = None


def default_template() -> TemplateChoice:
    return TemplateChoice(data_dir("templates") / DEFAULT_TEMPLATE)


def choose(plan: Plan, org: Organisation | None, base: Path) -> TemplateChoice:
    """The template for `plan`: its own `模板`, its organisation's, or docgen's."""
    data = plan.source.data
    if KEY in data:
        return _existing(plan.path.parent / str(data[KEY]), plan.source.value(data, KEY))
    if org is not None:
        found = _organisation_template(org, base)
        if found is not None:
            return found
    return default_template()


def _organisation_template(org: Organisation, base: Path) -> TemplateChoice | None:
    """The `模板` of `org`'s registry entry, read again from its file (the registry model omits it)."""
    path = base / org.loc.file
    source, _ = load.load(path, org.loc.file)
    if source is None:
        return None
    for raw in source.data.get("组织", []):
        if str(raw.get("名称")) == org.name and KEY in raw:
            return _existing(path.parent / str(raw[KEY]), source.value(raw, KEY))
    return None


def _existing(path: Path, location: Location) -> TemplateChoice:
    if not path.is_file():
        raise RenderError(f"找不到模板文件 {path}。请检查“模板”写的路径（相对于写它的文件）。", location)
    return TemplateChoice(path, location)


def check_readable(choice: TemplateChoice) -> None:
    """Refuse a file that is not a .docx before docxtpl tries it."""
    try:
        with zipfile.ZipFile(choice.path) as zf:
            names = set(zf.namelist())
    except (OSError, zipfile.BadZipFile):
        names = set()
    if "word/document.xml" not in names:
        raise RenderError(f"模板 {choice.path} 不是有效的 Word 文件（.docx）。请在 Word 或 WPS 中另存为 .docx。",
                          choice.location)
