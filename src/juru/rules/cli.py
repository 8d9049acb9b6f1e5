"""``juru rules validate|test|show|schema``: check, test and read the rule packs."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TextIO

from juru.rules.examples import run_examples, selected_rules
from juru.rules.loader import PackError, all_rules, available_packs, load_pack_file, pack_schema
from juru.rules.model import Pack, Rule
from juru.rules.orgfile import org_config_schema
from juru.rules.vocabulary import known_entities


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="juru rules", description="Validate, test and show rule packs.")
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="validate pack files against the schema (default: installed packs)")
    validate.add_argument("files", nargs="*", help="pack YAML files")
    test = sub.add_parser("test", help="run every rule's match/ok examples through the real scanner")
    test.add_argument("--pack", action="append", default=[], help="only this pack (repeatable)")
    test.add_argument("--rule", action="append", default=[], help="only this rule id (repeatable)")
    test.add_argument("-v", "--verbose", action="store_true", help="list passing examples too")
    show = sub.add_parser("show", help="show packs or rules in a readable form")
    show.add_argument("names", nargs="*", help="pack ids or rule ids (default: every pack)")
    show.add_argument("--lang", choices=("id", "en"), default="id", help="language of titles and messages")
    schema = sub.add_parser("schema", help="print the JSON Schema of rule pack files")
    schema.add_argument("--org-config", action="store_true", help="print the organisation config schema instead")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``juru rules``."""
    args = _parser().parse_args(list(argv) if argv is not None else None)
    out = sys.stdout
    try:
        if args.command == "validate":
            return _validate(args.files, out)
        if args.command == "test":
            return _test(args.pack, args.rule, args.verbose, out)
        if args.command == "show":
            return _show(args.names, args.lang, out)
    except PackError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    schema = org_config_schema() if args.org_config else pack_schema()
    out.write(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
    return 0


def _validate(files: list[str], out: TextIO) -> int:
    failures = 0
    packs: list[Pack] = []
    if files:
        for path in files:
            try:
                packs.append(load_pack_file(path))
            except PackError as exc:
                failures += 1
                out.write(f"FAIL {path}\n" + "".join(f"  {problem}\n" for problem in exc.problems))
    else:
        packs = list(available_packs().values())
    rule_ids = set(all_rules()) | {rule.id for pack in packs for rule in pack.rules}
    entities = known_entities()
    for pack in packs:
        problems = _cross_problems(pack, rule_ids)
        unknown = sorted({e for r in pack.rules for e in _entities_of(r)} - entities)
        if problems:
            failures += 1
            out.write(f"FAIL {pack.id}\n" + "".join(f"  {problem}\n" for problem in problems))
        else:
            out.write(f"ok   {pack.id} v{pack.version}: {len(pack.rules)} rules\n")
        if unknown:
            out.write(f"  warning: entities no installed detector emits: {', '.join(unknown)}\n")
    return 1 if failures else 0


def _cross_problems(pack: Pack, rule_ids: set[str]) -> list[str]:
    problems = []
    for rule in pack.rules:
        for target in sorted(rule.supersedes):
            if target not in rule_ids:
                problems.append(f"{rule.id}: supersedes unknown rule {target!r}")
    return problems


def _entities_of(rule: Rule) -> set[str]:
    near = rule.match.near.entities if rule.match.near else frozenset()
    return set(rule.match.entities | rule.match.absent | near)


def _test(packs: list[str], rules: list[str], verbose: bool, out: TextIO) -> int:
    unknown = [p for p in packs if p not in available_packs()] + [r for r in rules if r not in all_rules()]
    if unknown:
        print(f"error: unknown pack or rule: {', '.join(unknown)}", file=sys.stderr)
        return 2
    outcomes = run_examples(selected_rules(packs, rules))
    failed = [o for o in outcomes if not o.passed]
    for outcome in outcomes:
        if outcome.passed and not verbose:
            continue
        status = "ok  " if outcome.passed else "FAIL"
        context = " ".join(f"{k}={v}" for k, v in outcome.context.items())
        out.write(f"{status} {outcome.rule} [{outcome.kind}] {outcome.text!r} {context}\n")
        if not outcome.passed:
            out.write(f"     {outcome.problem}\n")
            out.write(f"     findings: {', '.join(outcome.findings) or 'none'}\n")
    out.write(f"{len(outcomes)} examples, {len(failed)} failed\n")
    return 1 if failed else 0


def _show(names: list[str], lang: str, out: TextIO) -> int:
    packs = available_packs()
    rules = all_rules()
    unknown = [n for n in names if n not in packs and n not in rules]
    if unknown:
        print(f"error: unknown pack or rule: {', '.join(unknown)}", file=sys.stderr)
        return 2
    for name in names or list(packs):
        if name in packs:
            pack = packs[name]
            out.write(f"{pack.id} v{pack.version} — {pack.title.get(lang)}\n")
            if pack.description:
                out.write(f"  {pack.description.get(lang)}\n")
            for rule in pack.rules:
                out.write(_rule_text(rule, lang))
        else:
            out.write(_rule_text(rules[name], lang))
    return 0


def _rule_text(rule: Rule, lang: str) -> str:
    match = rule.match
    lines = [f"\n  {rule.id}  [{rule.severity} → {rule.action}]  {rule.title.get(lang)}"]
    lines.append(
        f"    matches: {', '.join(sorted(match.entities))}"
        + (f" (score ≥ {match.min_score})" if match.min_score else "")
    )
    if match.absent:
        lines.append(f"    unless present: {', '.join(sorted(match.absent))}")
    if match.near:
        lines.append(f"    near: {', '.join(sorted(match.near.entities))} within {match.near.within} characters")
    conditions = [
        f"{key}={','.join(sorted(value))}"
        for key, value in (
            ("account", rule.when.account),
            ("channel", rule.when.channel),
            ("network", rule.when.network),
            ("role", rule.when.role),
        )
        if value is not None
    ]
    if rule.when.crisis is not None:
        conditions.append(f"crisis={str(rule.when.crisis).lower()}")
    if conditions:
        lines.append(f"    when: {' '.join(conditions)}")
    lines.append(f"    message: {rule.message.get(lang)}")
    lines.append(f"    fix: {rule.fix.get(lang)}")
    lines.append(f"    citation: {rule.citation.get(lang)}")
    if rule.verify:
        lines.append(f"    verify: {rule.verify}")
    return "\n".join(lines) + "\n"
