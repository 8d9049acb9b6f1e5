"""Registers the built-in detectors through the same registry plugins use."""

from __future__ import annotations

from juru.scan.detectors import brandsafety, classifiers, disclosure, lexicons, orgterms, pii, voice
from juru.scan.registry import DetectorRegistry

BUILTIN_MODULES = (pii, lexicons, orgterms, brandsafety, voice, disclosure, classifiers)


def register(registry: DetectorRegistry) -> None:
    """Add every built-in detector to ``registry``."""
    for module in BUILTIN_MODULES:
        for spec in module.SPECS:
            registry.register(spec)
