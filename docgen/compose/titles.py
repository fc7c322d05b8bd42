"""Break a long title into balanced lines (GB/T 9704 7.3.1: 梯形或菱形, never splitting a word).

Pure text work: the caller says how many characters fit on a line. Chinese has no spaces, so
words come from a segmenter (jieba, its dictionary loaded on the first long title), a small
vocabulary of document words it splits (安全生产, 三年行动…) and names the caller passes
(organisations, units). A break inside one of them, between a number and what it counts (5处,
2025年), or one that leaves punctuation at the start or end of a line, costs much more than an
unbalanced pair of lines.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from functools import lru_cache

from docgen.textchars import width

#: Words of document titles that must stay on one line.
VOCABULARY = (
    "安全生产", "治本攻坚", "三年行动", "实施方案", "实施意见", "工作要点", "工作意见", "专项整治",
    "重大事故隐患", "隐患排查", "应急管理", "消防安全", "委员会", "办公室", "人民政府", "办事处",
    "安委会", "安委办", "街道", "乡镇", "社区", "关于", "印发", "转发", "通知",
)
_OPENING = "《（“‘〈〔【(["
_CLOSING = "》）”’〉〕】、，。；：！？)]"
#: Good places to break: after these…
_GOOD_AFTER = ("关于", "印发", "转发", "》", "、", "，", "年度")
#: …and before these.
_GOOD_BEFORE = ("《", "的通知", "的意见", "的决定", "的通报", "的报告", "的函")

_GOOD, _PLAIN, _IN_WORD, _BAD = 0.0, 6.0, 50.0, 400.0
#: Marks joining the ends of a range (1—11月, 2025—2027年).
_RANGE = "—–-~～至"


@lru_cache(maxsize=1)
def _segmenter():
    import jieba  # noqa: PLC0415 - its dictionary takes a second to load; most titles fit a line

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


@lru_cache(maxsize=1024)
def word_starts(text: str) -> frozenset[int]:
    """Offsets in `text` where a word begins, by the segmenter (exact mode, no guessing of
    unknown words: deterministic for a given dictionary).

    Loading jieba's dictionary costs over a second, more than the rest of a `docgen render`: the
    segmentations are kept in a small file of the user's cache folder (`_WordCache`), so that a
    title seen before (a plan rendered again, a batch of notices) needs no dictionary."""
    cached = _WORDS.get(text)
    if cached is not None:
        return cached
    starts, at = set(), 0
    for word in _segmenter().cut(text, HMM=False):
        starts.add(at)
        at += len(word)
    found = frozenset(starts)
    _WORDS.put(text, found)
    return found


class _WordCache:
    """Segmentations by text, in ``$XDG_CACHE_HOME/docgen/words-<jieba version>.json`` (read once,
    rewritten whole through a temporary file when a new title was segmented). A cache that cannot
    be read or written is ignored: the dictionary is loaded instead."""

    def __init__(self):
        self.entries: dict[str, list[int]] | None = None
        self.dirty = False

    @staticmethod
    def path():
        import os  # noqa: PLC0415
        from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415
        from pathlib import Path  # noqa: PLC0415

        try:
            jieba = version("jieba")
        except PackageNotFoundError:  # pragma: no cover - jieba is a dependency
            jieba = "0"
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        return Path(base) / "docgen" / f"words-{jieba}.json"

    def _load(self) -> dict[str, list[int]]:
        if self.entries is None:
            import json  # noqa: PLC0415

            try:
                data = json.loads(self.path().read_text(encoding="utf-8"))
                self.entries = data if isinstance(data, dict) else {}
            except (OSError, ValueError):
                self.entries = {}
        return self.entries

    def get(self, text: str) -> frozenset[int] | None:
        found = self._load().get(text)
        if isinstance(found, list) and all(isinstance(i, int) for i in found):
            return frozenset(found)
        return None

    def put(self, text: str, starts: frozenset[int]) -> None:
        """Keep `starts`; the file is written once, when the process ends."""
        if len(text) > 200:  # titles only
            return
        if not self.dirty:
            import atexit  # noqa: PLC0415

            atexit.register(self.save)
        self._load()[text] = sorted(starts)
        self.dirty = True

    def save(self) -> None:
        import json  # noqa: PLC0415
        import os  # noqa: PLC0415
        import tempfile  # noqa: PLC0415

        if not self.dirty:
            return
        self.dirty = False
        path = self.path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".words-", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(self._load(), out, ensure_ascii=False, sort_keys=True)
            os.replace(tmp, path)
        except OSError:
            pass


_WORDS = _WordCache()


def _penalties(text: str, keep: Iterable[str]) -> list[float]:
    """Cost of a break before text[i], for i in 1..len-1 (index 0 unused)."""
    n = len(text)
    cost = [_PLAIN] * n
    starts = word_starts(text)
    for i in range(1, n):
        before, after = text[i - 1], text[i]
        if after in _CLOSING or before in _OPENING:
            cost[i] = _BAD
        elif (before.isascii() and before.isalnum()) and (after.isascii() and after.isalnum()):
            cost[i] = _BAD
        elif before.isdigit() and not after.isdigit() and not after.isspace():
            cost[i] = _BAD  # a number stays with what it counts: 2025年, 5处, 95%
        elif after.isdigit() and (before in _RANGE or before in "年月"):
            cost[i] = _BAD  # a range or date stays whole: 1—11月, 2025年1月
        elif i not in starts:
            cost[i] = _IN_WORD
        elif any(text.endswith(w, 0, i) for w in _GOOD_AFTER) or any(text.startswith(w, i) for w in _GOOD_BEFORE):
            cost[i] = _GOOD
    for word in (*VOCABULARY, *keep):
        if len(word) < 2:
            continue
        start = text.find(word)
        while start >= 0:
            for i in range(start + 1, start + len(word)):
                cost[i] = max(cost[i], _IN_WORD)
            start = text.find(word, start + 1)
    return cost


def break_lines(text: str, capacity: float, keep: Iterable[str] = ()) -> list[str]:
    """`text` as lines no wider than `capacity`, as even as possible, breaking between words.

    A title that fits stays one line. Among equally good layouts the longer line goes first.
    """
    total = width(text)
    if total <= capacity or len(text) < 2:
        return [text]
    cost = _penalties(text, tuple(keep))
    n = len(text)
    prefix = [0.0]
    for ch in text:
        prefix.append(prefix[-1] + width(ch))
    fallback = None
    for lines in range(math.ceil(total / capacity), n + 1):
        target = total / lines
        best = _split(n, lines, capacity, target, prefix, cost)
        if best is None:
            continue
        if all(cost[b] < _BAD for b in best[1:-1]):
            return [text[a:b] for a, b in zip(best, best[1:])]
        # a break inside a number, date or range: one more line may avoid it
        fallback = fallback or best
        if lines > math.ceil(total / capacity):
            break
    if fallback is not None:
        return [text[a:b] for a, b in zip(fallback, fallback[1:])]
    return [text]


def _split(n: int, lines: int, capacity: float, target: float, prefix: list[float],
           cost: list[float]) -> list[int] | None:
    """Break positions [0, …, n] for exactly `lines` lines, or None if they cannot fit."""
    inf = math.inf
    # best[j][i]: cheapest way to set text[:i] as j lines; came[j][i]: where the last line starts.
    best = [[inf] * (n + 1) for _ in range(lines + 1)]
    came = [[0] * (n + 1) for _ in range(lines + 1)]
    best[0][0] = 0.0
    for j in range(1, lines + 1):
        for i in range(1, n + 1):
            if j == lines and i != n:
                continue
            for s in range(j - 1, i):
                if best[j - 1][s] == inf:
                    continue
                w = prefix[i] - prefix[s]
                if w > capacity:
                    continue
                c = best[j - 1][s] + (w - target) ** 2 + (cost[s] - 1e-3 * s if s else 0.0)
                if c < best[j][i]:
                    best[j][i], came[j][i] = c, s
    if best[lines][n] == inf:
        return None
    cuts = [n]
    for j in range(lines, 0, -1):
        cuts.append(came[j][cuts[-1]])
    return cuts[::-1]
