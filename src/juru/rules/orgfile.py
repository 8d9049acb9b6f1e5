"""Read an organisation config file (YAML or JSON) with errors a policy owner can act on."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from juru.rules import yamlfile
from juru.rules.config import OrgConfig
from juru.rules.loader import all_rules, available_packs


class ConfigError(ValueError):
    """The organisation config is unreadable or invalid; the message lists every problem."""


@functools.cache
def org_config_schema() -> dict[str, Any]:
    """The JSON Schema of the organisation config (shipped in the package)."""
    text = resources.files("juru.rules").joinpath("schemas/orgconfig.schema.json").read_text("utf-8")
    return dict(json.loads(text))


def config_problems(data: Any) -> list[str]:
    """Every problem in a parsed config mapping: schema violations, unknown packs and rule ids."""
    validator = Draft202012Validator(org_config_schema())
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".")
        problems.append(f"{where or '(top level)'}: {error.message}")
    if problems or not isinstance(data, Mapping):
        return problems
    packs = available_packs()
    for name in data.get("enabled_packs") or ():
        if name not in packs:
            problems.append(f"enabled_packs: unknown rule pack {name!r} (installed: {', '.join(sorted(packs))})")
    rules = all_rules()
    for rule_id in data.get("disabled_rules") or ():
        if rule_id not in rules:
            problems.append(f"disabled_rules: unknown rule id {rule_id!r}")
    return problems


def org_config_from_mapping(data: Any, source: str = "config") -> OrgConfig:
    """Validate ``data`` and build the ``OrgConfig``; raises ``ConfigError``."""
    if data is None:
        data = {}
    problems = config_problems(data)
    if problems:
        raise ConfigError(f"{source}: invalid organisation config:\n  " + "\n  ".join(problems))
    return OrgConfig.from_mapping(data)


def load_org_config(path: str | Path) -> OrgConfig:
    """Read and validate a YAML (or JSON) organisation config file."""
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read organisation config: {exc}") from exc
    try:
        data = yamlfile.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    return org_config_from_mapping(data, str(path))
