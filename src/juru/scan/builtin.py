"""Registers the built-in detectors through the same registry plugins use."""

from __future__ import annotations

from juru.scan.registry import DetectorRegistry


def register(registry: DetectorRegistry) -> None:
    """Add every built-in detector to ``registry``."""
    del registry
