"""The rule pack schema: shipped packs are valid; unknown keys and bad values are rejected clearly."""

from __future__ import annotations

import json

import pytest
import yaml

from juru.rules import cli
from juru.rules.loader import PackError, available_packs, pack_schema, parse_pack
from tests.rules.helpers import make_pack, pack_mapping, rule_yaml


def _problems(data: dict) -> list[str]:
    with pytest.raises(PackError) as caught:
        parse_pack(yaml.safe_dump(data).encode(), "bad.yaml")
    return caught.value.problems


def test_every_shipped_pack_loads_and_every_rule_has_both_kinds_of_example():
    packs = available_packs()
    assert {"core", "id-ite", "id-pdp", "id-ojk", "id-bpom", "id-epi", "us-ftc", "us-finra", "us-sec-fd"} <= set(packs)
    for pack in packs.values():
        for rule in pack.rules:
            assert rule.id.startswith(pack.id + ".")
            assert rule.match_examples, rule.id
            assert rule.ok_examples, rule.id
            assert rule.message.id
            assert rule.message.en
            assert rule.fix.id
            assert rule.fix.en


INDONESIAN_PROSE = ("Pasal", "ayat", "tentang", "Kebijakan", "kebijakan", " jo ", "Peraturan", "amandemen", " dan ")


def test_every_shipped_citation_reads_in_english_on_the_english_side():
    for pack in available_packs().values():
        for rule in pack.rules:
            assert rule.citation.id, rule.id
            assert rule.citation.en, rule.id
            assert not [word for word in INDONESIAN_PROSE if word in rule.citation.en], (rule.id, rule.citation.en)


def test_a_plain_citation_reads_the_same_in_both_languages():
    rule = make_pack(rule_yaml(citation="17 CFR 243.100")).rules[0]
    assert rule.citation.get("id") == rule.citation.get("en") == "17 CFR 243.100"


def test_a_citation_in_one_language_only_is_rejected():
    assert _problems(pack_mapping(rule_yaml(citation={"id": "UU 1"})))


def test_verify_caveats_from_the_research_are_kept():
    rules = {rule.id: rule for pack in available_packs().values() for rule in pack.rules}
    assert rules["id-epi.disparagement"].verify
    assert "1.20" in rules["id-epi.disparagement"].verify
    assert rules["id-pdp.passport"].verify
    assert rules["id-ite.defamation"].verify


def test_unknown_top_level_key_is_rejected_with_its_name():
    problems = _problems(pack_mapping(rule_yaml(), colour="red"))
    assert any("colour" in p and "(top level)" in p for p in problems)


def test_unknown_rule_key_is_rejected_with_its_path():
    problems = _problems(pack_mapping(rule_yaml(colour="red")))
    assert any(p.startswith("rules[0]") and "colour" in p for p in problems)


def test_unknown_match_key_is_rejected():
    problems = _problems(pack_mapping(rule_yaml(match={"entities": ["PHONE"], "regex": "x"})))
    assert any(p.startswith("rules[0].match") and "regex" in p for p in problems)


@pytest.mark.parametrize(
    ("override", "path"),
    [
        ({"severity": "severe"}, "rules[0].severity"),
        ({"action": "deny"}, "rules[0].action"),
        ({"match": {"entities": ["PHONE"], "min_score": 2}}, "rules[0].match.min_score"),
        ({"when": {"account": ["company"]}}, "rules[0].when.account[0]"),
        ({"message": {"id": "Hanya indonesia"}}, "rules[0].message"),
        ({"examples": {"match": ["x"]}}, "rules[0].examples"),
        ({"examples": {"match": ["x"], "ok": [{"text": "y", "mood": "happy"}]}}, "rules[0].examples.ok[0]"),
    ],
)
def test_bad_values_name_the_field(override, path):
    problems = _problems(pack_mapping(rule_yaml(**override)))
    assert any(p.startswith(path) for p in problems), problems


def test_rule_id_must_carry_the_pack_id():
    problems = _problems(pack_mapping(rule_yaml(id="other.phone")))
    assert problems == ["rules[0].id: 'other.phone' must start with the pack id 'demo.'"]


def test_duplicate_rule_ids_are_rejected():
    problems = _problems(pack_mapping(rule_yaml(), rule_yaml()))
    assert any("duplicate rule id 'demo.phone'" in p for p in problems)


def test_invalid_yaml_is_a_pack_error():
    with pytest.raises(PackError, match="not valid UTF-8 YAML"):
        parse_pack(b"pack: [unclosed", "broken.yaml")


def test_example_context_and_config_are_kept():
    example = {"text": "x", "account": "personal", "crisis": True, "config": {"allowed_phones": ["1"]}, "span": "x"}
    pack = make_pack(rule_yaml(examples={"match": [example], "ok": ["y"]}))
    built = pack.rules[0].match_examples[0]
    assert built.context == {"account": "personal", "crisis": True}
    assert built.config == {"allowed_phones": ["1"]}
    assert built.span == "x"


def test_schema_rejects_unknown_keys_everywhere():
    schema = pack_schema()
    assert schema["additionalProperties"] is False
    for name in ("rule", "match", "when", "bilingual"):
        assert schema["$defs"][name]["additionalProperties"] is False


def test_cli_validate_reports_problems_and_fails(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(pack_mapping(rule_yaml(severity="severe"))))
    assert cli.main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out
    assert "rules[0].severity" in out


def test_cli_validate_shipped_packs_passes(capsys):
    assert cli.main(["validate"]) == 0
    assert "ok   id-pdp" in capsys.readouterr().out


def test_cli_schema_prints_the_pack_schema(capsys):
    assert cli.main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Juru rule pack"
    assert cli.main(["schema", "--org-config"]) == 0
    assert "enabled_packs" in json.loads(capsys.readouterr().out)["properties"]


def test_cli_show_prints_message_citation_and_caveat(capsys):
    assert cli.main(["show", "id-pdp.passport", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "passport number" in out
    assert "Law 27/2022 (Personal Data Protection)" in out
    assert "UU 27/2022" not in out
    assert "verify:" in out
    assert cli.main(["show", "id-pdp.passport", "--lang", "id"]) == 0
    assert "citation: UU 27/2022 Pasal" in capsys.readouterr().out


def test_cli_show_unknown_name_fails(capsys):
    assert cli.main(["show", "no-such-pack"]) == 2
    assert "unknown pack or rule" in capsys.readouterr().err
