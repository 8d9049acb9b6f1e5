"""The switch for data derived from non-commercial (CC BY-NC-SA) sources.

Lexicons and models derived from the Ibrohim datasets and the kamus alay dictionaries live
under ``juru/scan/data/noncommercial/``. They are on by default; setting
``JURU_NONCOMMERCIAL_MODELS`` to ``false``, ``0``, ``no`` or ``off`` switches them off, and the
scanner then uses permissively licensed data only.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

ENV_VAR = "JURU_NONCOMMERCIAL_MODELS"
NONCOMMERCIAL_DIR = Path(__file__).resolve().parent / "data" / "noncommercial"
_OFF = frozenset({"false", "0", "no", "off"})


# Set while a scanner builds its detectors, so its own switch wins over the environment.
_OVERRIDE: ContextVar[bool | None] = ContextVar("juru_noncommercial_override", default=None)


def noncommercial_enabled() -> bool:
    """True unless ``JURU_NONCOMMERCIAL_MODELS`` says false/0/no/off (read on every call).

    Inside ``noncommercial_override(value)`` the answer is ``value`` (this thread/context only).
    """
    override = _OVERRIDE.get()
    if override is not None:
        return override
    value = os.environ.get(ENV_VAR, "")
    return value.strip().lower() not in _OFF


@contextmanager
def noncommercial_override(enabled: bool) -> Iterator[None]:
    """Make ``noncommercial_enabled()`` answer ``enabled`` within the block (a scanner's own switch)."""
    token = _OVERRIDE.set(enabled)
    try:
        yield
    finally:
        _OVERRIDE.reset(token)
