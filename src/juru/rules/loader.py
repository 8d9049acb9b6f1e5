"""Load rule packs from YAML, validated by a JSON Schema that rejects unknown keys.

Shipped packs live in ``juru/rules/packs/``; a plugin adds packs through the ``juru.rule_packs``
entry-point group (a callable returning paths to YAML files), the same way built-ins are found.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from importlib import resources
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from juru.rules import yamlfile
from juru.rules.model import Bilingual, Example, Match, Near, Pack, Rule, When

EXAMPLE_CONTEXT_KEYS = ("account", "channel", "network", "role", "crisis", "lang")


class PackError(ValueError):
    """A rule pack file is unreadable or invalid; ``problems`` lists every issue found."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


@functools.cache
def pack_schema() -> dict[str, Any]:
    """The JSON Schema of a rule pack file (shipped in the package)."""
    text = resources.files("juru.rules").joinpath("schemas/rulepack.schema.json").read_text("utf-8")
    return dict(json.loads(text))


@functools.cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(pack_schema())


def _where(error: ValidationError) -> str:
    parts = []
    for part in error.absolute_path:
        parts.append(f"[{part}]" if isinstance(part, int) else f".{part}")
    return "".join(parts).lstrip(".") or "(top level)"


def schema_problems(data: Any) -> list[str]:
    """Every schema violation in a parsed pack, as ``path: message`` lines."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    return [f"{_where(error)}: {_describe(error)}" for error in errors]


def _describe(error: ValidationError) -> str:
    # oneOf failures on examples are unreadable by default; name the likely cause instead.
    if error.validator == "oneOf" and error.context:
        best = min(error.context, key=lambda e: len(list(e.absolute_path)))
        return best.message
    return error.message


def semantic_problems(data: Mapping[str, Any]) -> list[str]:
    """Checks the schema cannot express: rule ids carry the pack id and are unique."""
    problems: list[str] = []
    pack_id = data["pack"]
    seen: set[str] = set()
    for index, rule in enumerate(data["rules"]):
        rule_id = rule["id"]
        if not rule_id.startswith(pack_id + "."):
            problems.append(f"rules[{index}].id: {rule_id!r} must start with the pack id {pack_id + '.'!r}")
        if rule_id in seen:
            problems.append(f"rules[{index}].id: duplicate rule id {rule_id!r}")
        seen.add(rule_id)
    return problems


def parse_pack(raw: bytes, source: str) -> Pack:
    """Validate and build a pack from the bytes of a YAML file; raises ``PackError``."""
    try:
        data = yamlfile.safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PackError(source, [f"not valid UTF-8 YAML: {exc}"]) from exc
    problems = schema_problems(data)
    if not problems:
        problems = semantic_problems(data)
    if problems:
        raise PackError(source, problems)
    return _build_pack(data, raw)


def load_pack_file(path: str | Path) -> Pack:
    """Read, validate and build the pack in ``path``."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise PackError(str(path), [f"cannot read: {exc.strerror or exc}"]) from exc
    return parse_pack(raw, str(path))


def _bilingual(value: Mapping[str, str]) -> Bilingual:
    return Bilingual(id=value["id"], en=value["en"])


def _citation(value: str | Mapping[str, str]) -> Bilingual:
    """A citation in both languages; a plain string reads the same in both."""
    return Bilingual(id=value, en=value) if isinstance(value, str) else _bilingual(value)


def _lowered(values: Iterable[str] | None) -> frozenset[str] | None:
    return None if values is None else frozenset(v.lower() for v in values)


def _example(value: str | Mapping[str, Any]) -> Example:
    if isinstance(value, str):
        return Example(text=value)
    context = {key: value[key] for key in EXAMPLE_CONTEXT_KEYS if key in value}
    return Example(
        text=value["text"],
        context=context,
        config=dict(value.get("config") or {}),
        span=value.get("span"),
        note=value.get("note"),
    )


def _build_rule(pack_id: str, data: Mapping[str, Any]) -> Rule:
    match = data["match"]
    near = match.get("near")
    when = data.get("when") or {}
    account = when.get("account")
    channel = when.get("channel")
    return Rule(
        id=data["id"],
        pack=pack_id,
        title=_bilingual(data["title"]),
        severity=data["severity"],
        action=data["action"],
        match=Match(
            entities=frozenset(match["entities"]),
            detectors=frozenset(match.get("detectors", ())),
            min_score=float(match.get("min_score", 0.0)),
            min_severity=match.get("min_severity"),
            absent=frozenset(match.get("absent", ())),
            near=Near(frozenset(near["entities"]), int(near["within"])) if near else None,
        ),
        message=_bilingual(data["message"]),
        fix=_bilingual(data["fix"]),
        citation=_citation(data["citation"]),
        when=When(
            account=frozenset(account) if account is not None else None,
            channel=frozenset(channel) if channel is not None else None,
            network=_lowered(when.get("network")),
            role=_lowered(when.get("role")),
            crisis=when.get("crisis"),
        ),
        supersedes=frozenset(data.get("supersedes", ())),
        verify=data.get("verify"),
        references=tuple(data.get("references", ())),
        match_examples=tuple(_example(e) for e in data["examples"]["match"]),
        ok_examples=tuple(_example(e) for e in data["examples"]["ok"]),
    )


def _build_pack(data: Mapping[str, Any], raw: bytes) -> Pack:
    pack_id = data["pack"]
    description = data.get("description")
    return Pack(
        id=pack_id,
        title=_bilingual(data["title"]),
        version=int(data["version"]),
        rules=tuple(_build_rule(pack_id, rule) for rule in data["rules"]),
        source=raw,
        description=_bilingual(description) if description else None,
        jurisdiction=data.get("jurisdiction"),
        legal=bool(data.get("legal", False)),
        example_config=dict(data.get("example_config") or {}),
    )


def shipped_pack_paths() -> list[Path]:
    """The YAML files of the packs shipped with Juru, sorted by name."""
    folder = resources.files("juru.rules").joinpath("packs")
    return sorted(Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith((".yaml", ".yml")))


def plugin_pack_paths() -> list[Path]:
    """Pack files contributed by installed plugins (``juru.rule_packs`` entry points)."""
    paths: list[Path] = []
    for entry in entry_points(group="juru.rule_packs"):
        paths.extend(Path(str(p)) for p in entry.load()())
    return paths


@functools.cache
def available_packs() -> Mapping[str, Pack]:
    """Every installed pack by id (loaded once per process); a duplicate id is an error."""
    packs: dict[str, Pack] = {}
    for path in [*shipped_pack_paths(), *plugin_pack_paths()]:
        pack = load_pack_file(path)
        if pack.id in packs:
            raise PackError(str(path), [f"pack id {pack.id!r} is already provided by another file"])
        packs[pack.id] = pack
    return packs


def all_rules() -> dict[str, Rule]:
    """Every rule of every installed pack, by rule id."""
    return {rule.id: rule for pack in available_packs().values() for rule in pack.rules}
