"""Which Word template a plan is rendered with, and whether it is one docgen can fill.

A plan may name its own copy (`模板:` in the plan, relative to the plan file); otherwise the
issuing organisation's (`模板:` in its registry entry, relative to the registry file); otherwise the
template shipped with docgen (`templates/official.docx`). A template named inside a file must stay in
the project: the plan's (its nearest configuration's folder, or its own folder) or one of the
`folders` the job adds (the configured project and registry); otherwise rendering stops with the
location of the `模板:` that names it.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from docgen.model import Plan
from docgen.problems import Location
from docgen.project import outside_message, project_folder, within
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


def choose(plan: Plan, org: Organisation | None, folders: Iterable[Path] = ()) -> TemplateChoice:
    """The template for `plan`: its own `模板`, its organisation's (from the registry), or docgen's."""
    project = [project_folder(plan.path), *folders]
    if plan.template is not None:
        return _existing(plan.path.parent / plan.template.value, plan.template.loc, project)
    if org is not None and org.template is not None:
        return _existing(*org.template, project)
    return default_template()


def _existing(path: Path, location: Location, project: list[Path]) -> TemplateChoice:
    if not within(path, project):
        raise RenderError(outside_message(f"模板文件 {path}", project[0]) + "。", location)
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
