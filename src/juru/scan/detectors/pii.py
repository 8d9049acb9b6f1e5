"""Detector module (being built)."""

from __future__ import annotations

from juru.scan.registry import DetectorSpec

SPECS: list[DetectorSpec] = []
