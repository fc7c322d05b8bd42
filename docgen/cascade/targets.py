"""Splitting quantitative targets among sub-organisations.

Integral targets are divided by the largest-remainder method: every share is a whole number and the
shares add up to exactly the target, so rounding never loses a unit. Other targets are divided
proportionally and rounded up to two decimals, so the sum never falls short.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from docgen.errors import FindingsError
from docgen.model import Target
from docgen.registry import Organisation


class SplitError(FindingsError, ValueError):
    """The split cannot be made (Chinese message for the drafter); exit 1 if it ever escapes a job."""


def allocate(total: float, weights: dict[str, float]) -> dict[str, float]:
    """Divide `total` among `weights`' keys in proportion; see the module docstring for rounding."""
    if not weights:
        return {}
    weight_sum = sum(weights.values())
    if weight_sum <= 0:
        raise SplitError("分解所用的权重之和为 0，无法按比例分解。")
    exact = {k: total * w / weight_sum for k, w in weights.items()}
    if float(total).is_integer():
        shares = {k: math.floor(v + 1e-9) for k, v in exact.items()}
        left = int(round(total)) - sum(shares.values())
        # largest remainders first; ties broken by the order of `weights` (registry order)
        position = {k: i for i, k in enumerate(weights)}
        order = sorted(weights, key=lambda k: (-(exact[k] - shares[k]), position[k]))
        for key in order[:left]:
            shares[key] += 1
        return {k: float(v) for k, v in shares.items()}
    return {k: math.ceil(v * 100 - 1e-9) / 100 for k, v in exact.items()}


@dataclass(frozen=True)
class Share:
    """One child's part of a target: its value and per-year values."""

    value: float
    by_year: dict[int, float]


def weights_for(target: Target, parent_org: Organisation) -> dict[str, float]:
    """The weight of each direct sub-organisation under the target's 分解 rule."""
    split = target.split
    children = parent_org.children
    if split is None or split.method == "平均":
        return {c.name: 1.0 for c in children}
    if split.method == "按数据":
        missing = [c.name for c in children if split.data_key not in c.data]
        if missing:
            raise SplitError(
                f"指标“{target.name}”按“{split.data_key}”分解，但单位库中{'、'.join(missing)}没有这项数据。"
                f"请在这些组织的“数据”中补上“{split.data_key}”。")
        return {c.name: c.data[split.data_key] for c in children}
    raise SplitError("按表分解没有权重。")  # handled by shares()


def shares(target: Target, parent_org: Organisation) -> dict[str, Share]:
    """Each direct sub-organisation's share of `target` (all sub-organisations, in registry order)."""
    split = target.split
    if split is None:
        return {c.name: Share(target.value, dict(target.by_year)) for c in parent_org.children}
    if split.method == "按表":
        names = {c.name for c in parent_org.children}
        unknown = sorted(set(split.table) - names)
        if unknown:
            raise SplitError(f"指标“{target.name}”的分解表中，{'、'.join(unknown)}不是“{parent_org.name}”的下级组织。")
        absent = [c.name for c in parent_org.children if c.name not in split.table]
        if absent:
            raise SplitError(f"指标“{target.name}”的分解表缺少{'、'.join(absent)}。请为每个下级组织写出目标值。")
        if sum(split.table.values()) < target.value:
            raise SplitError(
                f"指标“{target.name}”的分解表合计 {_num(sum(split.table.values()))}，少于目标值 {_num(target.value)}。")
        return {c.name: Share(split.table[c.name], _years_of(target, split.table[c.name]))
                for c in parent_org.children}
    weights = weights_for(target, parent_org)
    per_year = {year: allocate(value, weights) for year, value in target.by_year.items()}
    if target.by_year and math.isclose(sum(target.by_year.values()), target.value):
        totals = {name: sum(per_year[y][name] for y in per_year) for name in weights}
    else:
        totals = allocate(target.value, weights)
    return {name: Share(totals[name], {y: per_year[y][name] for y in per_year}) for name in weights}


def shares_of(plan, target: Target, parent_org: Organisation) -> dict[str, Share]:
    """`shares` of a target of `plan`, computed once per plan (kept in its memo): every child of
    the plan asks for its own share, and the shares of all the siblings are the same each time.
    The memo keeps the target and organisation with the result, so their ids stay theirs."""
    memo = plan.memo.setdefault("cascade.shares", {})
    key = (id(target), id(parent_org))
    if key not in memo:
        memo[key] = (target, parent_org, shares(target, parent_org))  # SplitError: not kept, raised each time
    return memo[key][2]


def _years_of(target: Target, share: float) -> dict[int, float]:
    """A share's 分年度, in the proportions of the target's: yearly counts that add up to the share, or
    (for rates and running totals, rising to the target) the same rise ending at the share."""
    years = target.by_year
    if not years or not target.value:
        return {}
    if math.isclose(sum(years.values()), target.value):
        return {int(y): v for y, v in allocate(share, {str(y): v for y, v in years.items()}).items()}
    ordered = [years[y] for y in sorted(years)]
    if all(a <= b for a, b in zip(ordered, ordered[1:])) and math.isclose(ordered[-1], target.value):
        return {y: round(share * v / target.value, 2) for y, v in years.items()}
    return {}


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def number(value: float) -> int | float:
    """A value as YAML should show it: 3 rather than 3.0."""
    return int(value) if float(value).is_integer() else value


def share_text(task, org: Organisation | None, unit: str) -> str:
    """What `unit` (a sub-organisation of `org`) owes of `task`'s split targets: “托管服务的小微企业不少于12家”;
    '' when the task has no split target or the unit is not one of `org`'s sub-organisations."""
    if org is None or unit not in {c.name for c in org.children}:
        return ""
    parts = []
    for target in task.targets:
        if target.split is None:
            continue
        try:
            share = shares(target, org).get(unit)
        except SplitError:
            continue
        if share is not None:
            parts.append(f"{target.name}{target.op}{_num(share.value)}{target.unit}")
    return "；".join(parts)
