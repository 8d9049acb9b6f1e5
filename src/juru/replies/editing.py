"""Variables in saved replies and what counts as a small edit (plain Python, no database).

A small edit keeps a saved reply's approval; anything else needs a new one. Small means: the same
words once case, whitespace and punctuation are set aside, except at most two typo fixes (one
letter added, removed or changed in a word of four letters or more). A changed number, variable,
short word (``tidak``/``bisa`` matter) or word count is material. An edit distance over the whole
text would let a six-letter "tidak" slip through in a long reply, so words are compared one by one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

VARIABLE = re.compile(r"\{([a-z_][a-z0-9_]{0,39})\}")
MAX_TYPO_FIXES = 2
MIN_TYPO_WORD = 4
_WORD = re.compile(r"\{[a-z_][a-z0-9_]*\}|[^\W_]+", re.UNICODE)


def variables(text: str) -> list[str]:
    """The variables of a text, in order of first appearance (``{nama}`` gives ``nama``)."""
    return list(dict.fromkeys(VARIABLE.findall(text)))


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each variable that has a non-blank value replaced by it (others stay as they are)."""

    def replace(match: re.Match[str]) -> str:
        value = (values.get(match.group(1)) or "").strip()
        return value or match.group(0)

    return VARIABLE.sub(replace, text)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _one_edit_apart(a: str, b: str) -> bool:
    """True if one letter added, removed or changed turns ``a`` into ``b``."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _typo_fix(a: str, b: str) -> bool:
    if min(len(a), len(b)) < MIN_TYPO_WORD or a.startswith("{") or b.startswith("{"):
        return False
    if any(c.isdigit() for c in a + b):
        return False
    return _one_edit_apart(a, b)


def is_small_edit(before: str, after: str) -> bool:
    """True if ``after`` differs from ``before`` only by case, spacing, punctuation or two typo fixes."""
    old, new = _words(before), _words(after)
    if len(old) != len(new):
        return False
    changed = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    return len(changed) <= MAX_TYPO_FIXES and all(_typo_fix(a, b) for a, b in changed)
