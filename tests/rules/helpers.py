"""Small builders for rule tests: packs from YAML text and findings by hand."""

from __future__ import annotations

import textwrap
from typing import Any

import yaml

from juru.rules.loader import parse_pack
from juru.rules.model import Pack
from juru.scan.findings import Finding


def rule_yaml(**overrides: Any) -> dict[str, Any]:
    """A valid rule mapping; keyword arguments replace keys."""
    rule: dict[str, Any] = {
        "id": "demo.phone",
        "title": {"id": "Telepon", "en": "Phone"},
        "severity": "high",
        "action": "block",
        "match": {"entities": ["PHONE"]},
        "message": {"id": "Ada nomor telepon.", "en": "There is a phone number."},
        "fix": {"id": "Hapus.", "en": "Remove it."},
        "citation": "UU 27/2022 Pasal 65 ayat (2)",
        "examples": {"match": ["0812-3456-7890"], "ok": ["halo"]},
    }
    rule.update(overrides)
    return rule


def pack_mapping(*rules: dict[str, Any], pack: str = "demo", **extra: Any) -> dict[str, Any]:
    """A valid pack mapping holding ``rules``."""
    data: dict[str, Any] = {"pack": pack, "version": 1, "title": {"id": "Demo", "en": "Demo"}, "rules": list(rules)}
    data.update(extra)
    return data


def make_pack(*rules: dict[str, Any], pack: str = "demo", **extra: Any) -> Pack:
    """Parse a pack built from rule mappings (validated like a shipped file)."""
    text = yaml.safe_dump(pack_mapping(*rules, pack=pack, **extra), allow_unicode=True)
    return parse_pack(text.encode("utf-8"), f"{pack}.yaml")


def parse_text(text: str) -> Pack:
    """Parse a pack from literal YAML text."""
    return parse_pack(textwrap.dedent(text).encode("utf-8"), "inline.yaml")


def finding(
    entity: str, start: int, end: int, *, detector: str = "", score: float = 0.9, **explanation: Any
) -> Finding:
    """A hand-made finding."""
    return Finding(detector or f"test.{entity.lower()}", entity, start, end, score, explanation)
