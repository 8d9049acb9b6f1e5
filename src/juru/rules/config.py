"""The organisation config: what an organisation adds to the shipped rule packs.

Stored per policy version by the ``governance`` app and given to ``juru scan --config``
as YAML. Its canonical JSON is part of the policy revision hash.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

DEFAULT_PACKS: tuple[str, ...] = (
    "core",
    "id-ite",
    "id-pdp",
    "id-ojk",
    "id-bpom",
    "id-epi",
)


SCALAR_KEYS = frozenset({"name", "document"})  # plain strings; every other key is a list of strings


@dataclass(frozen=True)
class OrgConfig:
    """Machine-readable part of an organisation's policy (DESIGN.md F1)."""

    name: str = ""
    enabled_packs: tuple[str, ...] = DEFAULT_PACKS
    brand_names: tuple[str, ...] = ()
    competitor_names: tuple[str, ...] = ()
    political_terms: tuple[str, ...] = ()
    confidential_terms: tuple[str, ...] = ()
    allowed_phones: tuple[str, ...] = ()
    allowed_emails: tuple[str, ...] = ()
    allowed_terms: tuple[str, ...] = ()
    personal_disclaimers: tuple[str, ...] = ("pendapat pribadi", "views are my own")
    disclosure_tags: tuple[str, ...] = ("#iklan", "#ad", "#sponsored", "#paidpartnership")
    brand_voice_samples: tuple[str, ...] = ()
    disabled_rules: tuple[str, ...] = ()
    # Digest of the readable policy text this configuration belongs to: part of the revision, so a
    # version that changes only the text still gets a revision of its own.
    document: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> OrgConfig:
        """Build from a parsed YAML/JSON mapping; unknown keys raise ``ValueError``."""
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown organisation config keys: {', '.join(unknown)}")
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key in SCALAR_KEYS:
                values[key] = str(value or "")
            elif isinstance(value, str):
                values[key] = (value,)
            elif isinstance(value, list | tuple):
                values[key] = tuple(str(v) for v in value)
            elif value is None:
                values[key] = ()
            else:
                raise ValueError(f"organisation config key {key!r} must be a list of strings")
        return cls(**values)

    def canonical_json(self) -> str:
        """Stable JSON used in the policy revision hash."""
        return json.dumps(asdict(self), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
