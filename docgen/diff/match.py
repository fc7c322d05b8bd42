"""Pairing the items of two revisions, and telling real moves from shifts caused by insertions.

Pure functions over lists. Items are paired first by a key (a task's 编号, a section's title),
then, among what is left, by content similarity above a threshold. A paired item has moved only
if it left the longest run of pairs that kept their relative order: inserting one task at the
top moves nothing.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from difflib import SequenceMatcher
from typing import TypeVar

T = TypeVar("T")
U = TypeVar("U")

Pairs = list[tuple[int, int]]


def by_key(old: Sequence[T], new: Sequence[U], key: Callable[[T | U], Hashable]) -> Pairs:
    """Pairs (i, j) of items with equal keys; repeated keys pair up in order of appearance."""
    waiting: dict[Hashable, list[int]] = defaultdict(list)
    for j, item in enumerate(new):
        waiting[key(item)].append(j)
    pairs: Pairs = []
    for i, item in enumerate(old):
        queue = waiting.get(key(item))
        if queue:
            pairs.append((i, queue.pop(0)))
    return pairs


def by_score(old: Sequence[int], new: Sequence[int], score: Callable[[int, int], float], threshold: float) -> Pairs:
    """Greedy pairs of the indices `old` x `new`, best score first, only those >= `threshold`.

    Ties go to the earliest items, so the result does not depend on dict or set order.
    """
    scored = sorted(
        ((s, i, j) for i in old for j in new if (s := score(i, j)) >= threshold),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs: Pairs = []
    for _, i, j in scored:
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def pair(old: Sequence[T], new: Sequence[U], key: Callable[[T | U], Hashable],
         score: Callable[[int, int], float], threshold: float) -> Pairs:
    """Pairs by key first, then the items left on both sides by `score` (see `by_score`); sorted."""
    pairs = by_key(old, new, key)
    left_old = [i for i in range(len(old)) if i not in {i for i, _ in pairs}]
    left_new = [j for j in range(len(new)) if j not in {j for _, j in pairs}]
    return sorted(pairs + by_score(left_old, left_new, score, threshold))


def align(old: Sequence[str], new: Sequence[str], similar: Callable[[str, str], bool]) -> tuple[Pairs, Pairs]:
    """Pairs of equal texts, and pairs of texts replaced in place that are `similar` (rewordings).

    Texts are aligned by position among their unchanged neighbours (difflib on the lists); what
    no pair holds was removed (old) or added (new).
    """
    same: Pairs = []
    changed: Pairs = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, list(old), list(new), autojunk=False).get_opcodes():
        if tag == "equal":
            same += zip(range(i1, i2), range(j1, j2))
        elif tag == "replace":
            changed += [(i, j) for i, j in zip(range(i1, i2), range(j1, j2)) if similar(old[i], new[j])]
    return same, changed


def anchor(pairs: Pairs, i: int) -> float:
    """Where old item `i`, which has no pair, stands among the new items: just after the new
    partner of the nearest paired item before it."""
    before = [j for k, j in pairs if k < i]
    return (max(before) if before else -1) + 0.5


def kept_order(values: Sequence[int]) -> set[int]:
    """Indices of a longest strictly increasing subsequence of `values` (the items that stayed put).

    Among equally long ones, the one ending with the smallest values is kept, deterministically.
    """
    tails: list[int] = []  # tails[k]: index of the smallest tail of an increasing run of length k+1
    tail_values: list[int] = []
    previous: list[int | None] = [None] * len(values)
    for i, value in enumerate(values):
        k = bisect_left(tail_values, value)
        previous[i] = tails[k - 1] if k > 0 else None
        if k == len(tails):
            tails.append(i)
            tail_values.append(value)
        else:
            tails[k] = i
            tail_values[k] = value
    kept: set[int] = set()
    cursor = tails[-1] if tails else None
    while cursor is not None:
        kept.add(cursor)
        cursor = previous[cursor]
    return kept
