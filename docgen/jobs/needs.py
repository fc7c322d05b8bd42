"""What a job needs from a checked plan beyond passing the checks, said as located findings.

`docgen check` accepts a received plan (来源: 上级来文) whose 发文机关 is another organ's and is not in
the registry (DG204 is then a warning), and a project may ignore DG204 altogether. Jobs that work
for the plan's organisation (cascade, notify, collect, report, remind) cannot: they need to know
whose sub-organisations and units the plan speaks of. `organisation` says what to register, at the
issuer's line and column, instead of letting the job meet a missing organisation.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import MappingProxyType

from docgen.context import CheckContext
from docgen.errors import UsageError
from docgen.model import Plan
from docgen.problems import Problem, Result, Severity, display_path
from docgen.registry import Organisation
from docgen.rules.units import UnknownIssuer

#: What each job does with the organisation, to say why it needs it.
_WHY = MappingProxyType({
    "cascade": "docgen cascade 要按单位库中它的下级组织生成下级方案",
    "notify": "docgen notify 要按单位库中它的单位和下级组织生成通知和台账",
    "progress": "汇总进展、通报和督办要按单位库中它的单位和下级组织对照各单位的任务",
})


def require_plan(ctx: CheckContext, result: Result, path: Path, base: Path) -> None:
    """Refuse (usage error) a file that passed the checks but is not a plan: a 通报 or its data file."""
    if not ctx.plans and not result.errors:
        what = "是通报，" if ctx.bulletins else ""
        raise UsageError(f"{display_path(path, base)} {what}不是方案文件，这条命令需要方案（实施方案、工作要点等，"
                         "顶层有“文种”）。请给出方案文件。")


def organisation(ctx: CheckContext, plan: Plan, job: str) -> tuple[Organisation | None, list[Problem]]:
    """The organisation `plan` is issued for, or None and an error finding at its 发文机关."""
    org = ctx.org_of(plan)
    if org is not None:
        return org, []
    issuer = plan.issuer.value
    message = (
        f"发文机关“{issuer}”不在单位库中，{_WHY[job]}，无法继续。请在单位库中登记它所属的组织："
        f"在“组织”下写“名称”（例如“{_place(issuer)}”）和“层级”，在该组织的“发文机关”下写“名称: {issuer}”，"
        "再登记方案中的责任单位（“单位”）和下级组织（各自写“上级”）；"
        "或把“发文机关”改为单位库中登记的本级机关，以本级名义起草。")
    problem = UnknownIssuer.problem(message, plan.issuer.loc).with_severity(Severity.ERROR)
    return None, [problem]


def _place(issuer: str) -> str:
    """The organisation an issuer's name most likely belongs to (远山市安全生产委员会 -> 远山市)."""
    found = _PLACE.match(issuer)
    return found.group(1) if found else issuer


_PLACE = re.compile(r"^(.+?(?:省|自治区|市|州|县|区|旗|镇|乡|街道))(?:[^省市州县区旗镇乡街道]*)$")
