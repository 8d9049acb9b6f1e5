"""Characters a database cannot store: NUL (PostgreSQL refuses it) and lone UTF-16 surrogates."""

from __future__ import annotations

import re

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def first_unstorable(text: str) -> int | None:
    """The code-point offset of the first character no database can keep, or None if there is none."""
    found = _UNSTORABLE.search(text)
    return found.start() if found else None
