"""What lint rules see: the plans of a run, the registry, and a way to reach parent plans."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from docgen.model import Plan
from docgen.registry import Organisation, Registry


@dataclass(frozen=True)
class ParentLookup:
    """The parent plan a plan names in 上级方案: the plan, or why it could not be had."""

    plan: Plan | None
    path: Path
    error: str | None = None


@dataclass
class CheckContext:
    """Everything loaded for one run. Rules read it; they never do I/O themselves."""

    plans: list[Plan]
    registry: Registry
    #: False when a registry file failed to load: rules then skip "unit not found" findings.
    registry_complete: bool = True
    #: Loads a plan by path through the same load/schema/model stages (set by the pipeline).
    plan_loader: Callable[[Path], ParentLookup] | None = None
    #: The files that were read as unit registries (resolved paths).
    registry_paths: frozenset[Path] = frozenset()
    #: The 通报 and 挂牌督办通知 files of the run (`docgen.bulletin.model.Bulletin`), with their data.
    bulletins: list = field(default_factory=list)
    #: Whether rules report the registry's own findings (DG203, DG408 in a registry file). A check
    #: lints the registry once and then each file with this off, so they are reported once.
    report_registry: bool = True
    #: 上级方案 paths resolved, by (the plan's folder, what it wrote): a job that makes a context per
    #: plan (cascade) passes one dict to all of them, so each is resolved on the disk once.
    resolved: dict[tuple[Path, str], Path] = field(default_factory=dict)
    _parents: dict[Path, ParentLookup] = field(default_factory=dict)

    def org_of(self, plan: Plan) -> Organisation | None:
        return self.registry.organisation_of(plan.issuer.value)

    def parent_of(self, plan: Plan) -> ParentLookup | None:
        """The plan named in 上级方案, loaded once per run; None if the plan names none."""
        if plan.parent_path is None:
            return None
        key = (plan.path.parent, plan.parent_path.value)
        path = self.resolved.get(key)
        if path is None:
            path = self.resolved[key] = (key[0] / key[1]).resolve()
        if path not in self._parents:
            if self.plan_loader is None:
                self._parents[path] = ParentLookup(None, path, "无法读取")
            else:
                self._parents[path] = self.plan_loader(path)
        return self._parents[path]

    def documents(self) -> list:
        """The plans and the 通报 of the run: what the text rules (DG4xx) read."""
        return [*self.plans, *self.bulletins]

    def plans_with_org(self, *, bulletins: bool = False) -> Iterator[tuple[Plan, Organisation]]:
        """(plan, its organisation) for every plan (and with `bulletins` every 通报) whose 发文机关 is
        registered (DG204 and DG814 report the rest)."""
        for plan in self.documents() if bulletins else self.plans:
            org = self.org_of(plan)
            if org is not None:
                yield plan, org

    def with_parents(self) -> Iterator[tuple[Plan, Plan]]:
        """(plan, parent plan) for every plan whose 上级方案 could be loaded."""
        for plan in self.plans:
            lookup = self.parent_of(plan)
            if lookup is not None and lookup.plan is not None:
                yield plan, lookup.plan
