"""Finding and rewriting level words (全市, 市安委会, 各乡镇（街道）…) in Chinese text.

One mechanism for the wording rule (DG406) and for cascading: text inside 《》 (titles of other
documents) is never touched, and a 全X word preceded by a character that forms a compound with 全
(安全区域, 健全市场, 完全…) is not a level word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache

_QUOTED = re.compile(r"《[^》]*》")
_COMPOUND_BEFORE = frozenset("安健完齐保周成顾两")


def pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """One search for any of `words`, longest first (None for no words). Make it once and pass it
    to `scan` for each text: scanning thousands of texts for the same words then costs one search each."""
    return _compiled(frozenset(w for w in words if w))


@lru_cache(maxsize=256)
def _compiled(words: frozenset[str]) -> re.Pattern[str] | None:
    ordered = sorted(words, key=lambda w: (-len(w), w))
    return re.compile("|".join(re.escape(w) for w in ordered)) if ordered else None


def scan(text: str, words: Iterable[str] | re.Pattern[str]) -> Iterator[tuple[int, str]]:
    """(offset, word) for every level word of `words` in `text`, outside 《》, longest match first.

    `words` is the words, or the `pattern` made of them."""
    finder = words if isinstance(words, re.Pattern) else pattern(words)
    if finder is None:
        return
    masked = _QUOTED.sub(lambda m: "\0" * len(m.group(0)), text) if "《" in text else text
    for m in finder.finditer(masked):
        word = m.group(0)
        if word.startswith("全") and m.start() > 0 and masked[m.start() - 1] in _COMPOUND_BEFORE:
            continue
        yield m.start(), word


def rewrite(text: str, mapping: Mapping[str, str]) -> str:
    """`text` with every level word found by `scan` replaced through `mapping`."""
    out: list[str] = []
    last = 0
    for start, word in scan(text, mapping):
        out.append(text[last:start])
        out.append(mapping[word])
        last = start + len(word)
    out.append(text[last:])
    return "".join(out)
