"""A proposed unit registry for a received plan whose issuer or units are not registered.

`docgen import --propose-registry FILE` writes it for the drafter to review: the issuing
organisation (its level read from its name), its 发文机关 with the 标志 and the 发文字号前缀 the
document prints, every unit the plan names in 责任单位 and 抄送, the sub-units named in 主送 and in
phased targets as organisations of the level below, and the group that names them all (各乡镇（街道）).
"""

from __future__ import annotations

import re

from ruamel.yaml.comments import CommentedMap, CommentedSeq

#: The level of an organisation by how its name ends, with its words (全域, 本级).
_LEVELS = (
    ("街道", "乡镇街道", "街道"), ("镇", "乡镇街道", "镇"), ("乡", "乡镇街道", "乡"),
    ("社区", "村社区", "社区"), ("村", "村社区", "村"),
    ("区", "区县", "区"), ("县", "区县", "县"), ("旗", "区县", "旗"), ("市", "市", "市"), ("省", "省", "省"),
)
_ORG_NAME = re.compile(r"^(.+?(?:街道|社区|省|市|区|县|旗|镇|乡|村))")
#: How the level below is named by default.
_BELOW = {"省": "各市", "市": "各区县", "区县": "各乡镇（街道）", "乡镇街道": "各村（社区）"}
#: A sub-unit of the level below, by how its name ends.
_SUB_END = {"省": ("市",), "市": ("区", "县"), "区县": ("街道", "镇", "乡"), "乡镇街道": ("村", "社区"), "村社区": ()}


def _level(name: str) -> tuple[str, str]:
    for end, level, word in _LEVELS:
        if name.endswith(end):
            return level, word
    return "市", "市"


def _units(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, dict):
        return _units(value.get("牵头")) + _units(value.get("配合"))
    return []


def _walk(items, found: list[str], phases: list[str]) -> None:
    for item in items or []:
        if not isinstance(item, dict):
            continue
        found.extend(_units(item.get("责任单位")))
        for target in item.get("指标") or []:
            for phase in (target.get("分期") or []) if isinstance(target, dict) else []:
                phases.extend(_units(phase.get("单位")))
        if isinstance(item.get("内容"), list):
            _walk(item["内容"], found, phases)


def propose(plan: dict, mark: str = "") -> CommentedMap:
    """The registry data proposed for `plan` (imported plan data)."""
    issuer = str(plan.get("发文机关", ""))
    m = _ORG_NAME.match(issuer)
    org_name = m.group(1) if m else issuer
    level, word = _level(org_name)
    recipients = [str(r) for r in plan.get("主送") or []]
    named: list[str] = []
    phased: list[str] = []
    _walk(plan.get("正文"), named, phased)
    named += [str(c) for c in plan.get("抄送") or []]
    order = ("省", "市", "区县", "乡镇街道", "村社区")
    subs: list[str] = []
    for name in phased + [r for part in recipients for r in re.split(r"[、，]", part)]:
        if not name.startswith("各") and _ORG_NAME.fullmatch(name) and name not in subs and name != org_name \
                and len(name) <= 12 and order.index(_level(name)[0]) > order.index(level):
            subs.append(name)
    # the group that names them all: as the plan's 责任单位 or 主送 write it
    lower = ("镇", "街道", "乡", "村", "社区", "区", "县")
    below = next((n for n in named if n.startswith("各") and any(e in n for e in lower)), None) or next(
        (r for part in recipients for r in re.split(r"[、，]", part) if r.startswith("各") and any(e in r for e in lower)),
        _BELOW.get(level, "各下级单位"))
    words = CommentedMap([("全域", f"全{word}"), ("本级", word), ("下级统称", below)])
    org = CommentedMap([("名称", org_name), ("层级", level), ("用语", words)])
    issuers = CommentedSeq()
    number = re.match(r"^([\u4e00-\u9fff]+)〔", str(plan.get("发文字号", "")))
    for i, name in enumerate([issuer] + [str(j) for j in plan.get("联合发文机关") or []]):
        entry = CommentedMap([("名称", name)])
        if i == 0 and mark:
            entry["标志"] = mark
        entry["发文字号前缀"] = number.group(1) if i == 0 and number else _prefix(name, org_name)
        issuers.append(entry)
    org["发文机关"] = issuers
    units = CommentedSeq()
    seen = set(subs) | {below, org_name}
    for name in named:
        if name in seen or name.startswith("各"):
            continue
        seen.add(name)
        units.append(CommentedMap([("名称", name)]))
    if units:
        org["单位"] = units
    if subs or below:
        org["分组"] = CommentedSeq([CommentedMap([("名称", below), ("全部下级", True)])])
    orgs = CommentedSeq([org])
    for name in subs:
        sub_level, sub_word = _level(name)
        orgs.append(CommentedMap([("名称", name), ("层级", sub_level), ("上级", org_name),
                                  ("用语", CommentedMap([("全域", f"全{sub_word}"), ("本级", sub_word)]))]))
    data = CommentedMap([("组织", orgs)])
    data.yaml_set_start_comment(
        "由 docgen import 按收到的公文拟定的单位库，请逐项核对：组织的层级和用语、发文机关的标志和发文字号前缀、\n"
        "各单位的名称（可补上全称、别名和对口的上级单位）、下级组织。核对后放进单位库目录（registry）。")
    return data


def _prefix(name: str, org: str) -> str:
    """A 发文字号前缀 for an organ the document gives no number of: its place's first character and
    its name's (drafter to correct)."""
    rest = name[len(org):] if name.startswith(org) else name
    return (org[:1] + rest[:2]) or name[:3]
