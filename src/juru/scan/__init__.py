"""The pre-publish check: detectors find, ``juru.rules`` decides (pure: no Django, no I/O).

The scanner is exported lazily: ``juru.rules`` imports ``juru.scan.findings``, and an eager
import of ``juru.scan.scanner`` here (which imports ``juru.rules``) would make that a cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from juru.scan.limits import MAX_TEXT_CHARS, TextTooLongError

if TYPE_CHECKING:
    from juru.scan.scanner import Scanner, ScanResult, scanner_for

_LAZY = {"Scanner": "juru.scan.scanner", "ScanResult": "juru.scan.scanner", "scanner_for": "juru.scan.scanner"}

__all__ = ["MAX_TEXT_CHARS", "ScanResult", "Scanner", "TextTooLongError", "scanner_for"]


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'juru.scan' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(module_name), name)
