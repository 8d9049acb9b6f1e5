"""The Scanner: detectors once, text prepared once, rules decide, §5.1 output shape."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from juru.rules.config import OrgConfig
from juru.scan import Scanner as LazyScanner
from juru.scan import lang
from juru.scan.findings import Finding, ScanContext
from juru.scan.registry import DetectorRegistry, DetectorSpec
from juru.scan.scanner import MAX_TEXT_CHARS, RecordError, Scanner, parse_record, scanner_for

OUTPUT_SCHEMA = json.loads(resources.files("juru.scan").joinpath("schemas/scan-output.schema.json").read_text())


class DigitsDetector:
    """Marks every run of 10+ digits as a PHONE (enough to exercise the scanner)."""

    name = "test.phone"

    def __init__(self, config):
        self.config = config

    def detect(self, text, context):
        start = None
        for i, ch in enumerate(text.original + " "):
            if ch.isdigit() and start is None:
                start = i
            elif not ch.isdigit() and start is not None:
                if i - start >= 10:
                    yield Finding("test.phone", "PHONE", start, i, 0.9, {"pattern": "digits"})
                start = None


class WordDetector:
    """Emits one finding per occurrence of a fixed word."""

    def __init__(self, name, word, entity):
        self.name, self.word, self.entity = name, word, entity

    def detect(self, text, context):
        index = text.normalised.find(self.word)
        if index >= 0:
            start, end = text.to_original(index, index + len(self.word))
            yield Finding(self.name, self.entity, start, end, 0.99, {})


def _registry(*, classifier_built: list | None = None) -> DetectorRegistry:
    registry = DetectorRegistry()
    registry.register(DetectorSpec("test.phone", DigitsDetector, ("PHONE",)))
    registry.register(DetectorSpec("test.profanity", lambda c: WordDetector("test.profanity", "bangsat", "PROFANITY")))

    def classifier(config):
        if classifier_built is not None:
            classifier_built.append(True)
        return WordDetector("test.hate", "benci", "HATE")

    registry.register(DetectorSpec("test.hate", classifier, ("HATE",), classifier=True))
    registry.register(
        DetectorSpec("test.nc", lambda c: WordDetector("test.nc", "alay", "INSULT"), ("INSULT",), noncommercial=True)
    )
    return registry


def test_scan_returns_verdict_hits_findings_and_revision():
    scanner = Scanner(OrgConfig(), registry=_registry(), classifiers=False)
    result = scanner.scan("Telepon 081234567890 sekarang")
    assert result.verdict == "block"
    assert [(h.rule, h.start, h.end) for h in result.hits] == [("id-pdp.phone", 8, 20)]
    assert [f.detector for f in result.findings] == ["test.phone"]
    assert result.revision == scanner.revision
    assert result.revision.startswith("sha256:")


def test_to_json_matches_the_shipped_output_schema():
    scanner = Scanner(OrgConfig(), registry=_registry(), classifiers=False)
    output = {"id": "7", **scanner.scan("Bangsat, telepon 081234567890").to_json("en")}
    jsonschema.validate(output, OUTPUT_SCHEMA)
    assert list(output) == ["id", "verdict", "revision", "lang", "hits", "findings"]
    assert output["hits"][0]["message"].startswith("Profanity")
    explained = {"id": "7", **scanner.scan("Bangsat").to_json(explain=True)}
    jsonschema.validate(explained, OUTPUT_SCHEMA)
    assert explained["hits"][0]["text"] == "Bangsat"


def test_clean_text_is_allowed():
    result = Scanner(OrgConfig(), registry=_registry(), classifiers=False).scan("Selamat pagi semuanya")
    assert (result.verdict, result.hits, result.findings) == ("allow", [], [])


def test_context_changes_the_decision():
    scanner = Scanner(OrgConfig(), registry=_registry(), classifiers=False)
    assert scanner.scan("bangsat", ScanContext(account="brand")).verdict == "block"
    assert scanner.scan("bangsat", ScanContext(account="personal")).verdict == "warn"


def test_classifier_detectors_are_built_only_when_asked():
    built: list = []
    Scanner(OrgConfig(), registry=_registry(classifier_built=built), classifiers=False)
    assert built == []
    scanner = Scanner(OrgConfig(), registry=_registry(classifier_built=built), classifiers=True)
    assert built == [True]
    assert scanner.scan("aku benci kalian").findings[0].entity == "HATE"


def test_noncommercial_detectors_can_be_switched_off():
    on = Scanner(OrgConfig(), registry=_registry(), classifiers=False, noncommercial=True)
    off = Scanner(OrgConfig(), registry=_registry(), classifiers=False, noncommercial=False)
    assert [f.entity for f in on.scan("dasar alay").findings] == ["INSULT"]
    assert off.scan("dasar alay").findings == []


def test_scanner_switch_off_beats_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # The environment allows non-commercial data; a scanner built with noncommercial=False must
    # still use none of it: no list derived from the Ibrohim data, no slang mapping.
    monkeypatch.setenv("JURU_NONCOMMERCIAL_MODELS", "true")
    on = Scanner(OrgConfig(), classifiers=False, noncommercial=True)
    off = Scanner(OrgConfig(), classifiers=False, noncommercial=False)
    mixed = "dasar keparat, pelayanan kayak gini"  # "keparat" is only on the non-commercial list
    assert any(f.explanation.get("list") == "abusive_id" for f in on.scan(mixed).findings)
    assert not any(f.explanation.get("noncommercial") for f in off.scan(mixed).findings)
    slang = "pelayanan badjingan semua"  # only the slang dictionary reads "badjingan" as "bajingan"
    assert [f.explanation["term"] for f in on.scan(slang).findings if f.entity == "PROFANITY"] == ["bajingan"]
    assert [f for f in off.scan(slang).findings if f.entity == "PROFANITY"] == []


class CountingGroup:
    """Shared work of two plugin detectors: one call finds the findings of both."""

    def __init__(self):
        self.calls = 0

    def detect_group(self, text, context):
        self.calls += 1
        found = {"test.alpha": [], "test.beta": []}
        for word in ("alpha", "beta"):
            start = text.original.find(word)
            if start != -1:
                found[f"test.{word}"].append(Finding(f"test.{word}", "INSULT", start, start + len(word), 0.9))
        return found


class GroupedDetector:
    def __init__(self, name, group):
        self.name = name
        self.group = group

    def detect(self, text, context):
        return self.group.detect_group(text, context)[self.name]


def test_detectors_sharing_a_group_are_run_once_per_text_with_the_same_findings():
    group = CountingGroup()
    registry = DetectorRegistry()
    for name in ("test.alpha", "test.beta"):
        registry.register(DetectorSpec(name, lambda c, n=name: GroupedDetector(n, group), ("INSULT",)))
    registry.register(DetectorSpec("test.phone", DigitsDetector, ("PHONE",)))
    scanner = Scanner(OrgConfig(), registry=registry, classifiers=False)
    calls_when_built = group.calls  # building the scanner warms every detector up once
    result = scanner.scan("beta then alpha, 081234567890")
    assert group.calls - calls_when_built == 1
    assert [(f.detector, f.start) for f in result.findings] == [
        ("test.beta", 0),
        ("test.alpha", 10),
        ("test.phone", 17),
    ]


def test_builtin_groups_give_what_each_detector_gives_alone():
    config = OrgConfig(brand_names=("Kopi Kita",), competitor_names=("BrewCo",), allowed_terms=("anjing laut",))
    scanner = Scanner(config, classifiers=False)
    text = "Kopi Kita > BrewCo yang jelek, anjing! NIK 3171015708900001, diskon 50% #iklan, pasti untung"
    context = ScanContext()
    alone = [f for d in scanner.detectors for f in d.detect(scanner._prepare(text, None), context)]
    assert sorted(alone, key=lambda f: (f.start, f.end, f.detector)) == scanner.scan(text, context).findings
    assert {f.detector.split(".")[0] for f in alone} >= {"pii", "lexicon", "orgterms", "disclosure"}


def test_nothing_derived_from_the_slang_dictionary_is_used_with_the_switch_off():
    # Only the (non-commercial) slang dictionary links these formal words to a term or phrase:
    # "bangkai" <- the profanity "bangke", "kamu" <- the negative "kw", "ibu" <- the personal topic "nyokap".
    config = OrgConfig(competitor_names=("BrewCo",))
    off = Scanner(config, classifiers=False, noncommercial=False)
    assert [f for f in off.scan("dasar bangkai").findings if f.entity == "PROFANITY"] == []
    assert [f.entity for f in off.scan("BrewCo, kamu pilih yang mana?").findings] == ["COMPETITOR_MENTION"]
    voice = next(d for d in off.detectors if d.name == "voice.personal")
    assert "personal_life" not in voice.signals(off._prepare("aku sama ibu lagi makan", None))


def test_scan_accepts_lone_surrogates_with_offsets_into_the_original():
    # JSON "\ud800" decodes to a lone surrogate; no function word here, so the language model decides.
    text = "\ud800 qwerty zxcvb \udc00 hubungi 0812-3456-7890 fuck"
    result = Scanner(OrgConfig(), classifiers=False).scan(text)
    spans = {f.entity: text[f.start : f.end] for f in result.findings}
    assert spans["PHONE"] == "0812-3456-7890"
    assert spans["PROFANITY"] == "fuck"
    assert result.lang in ("id", "en")
    assert result.text is text
    assert result.verdict == "block"


def test_scanner_switch_on_beats_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JURU_NONCOMMERCIAL_MODELS", "false")
    on = Scanner(OrgConfig(), classifiers=False, noncommercial=True)
    assert any(f.explanation.get("list") == "abusive_id" for f in on.scan("dasar keparat").findings)
    assert Scanner(OrgConfig(), classifiers=False).noncommercial is False


def test_disabled_rules_and_enabled_packs_are_respected():
    registry = _registry()
    text = "telepon 081234567890"
    default = Scanner(OrgConfig(), registry=registry, classifiers=False).scan(text)
    assert {h.rule for h in default.hits} == {"id-pdp.phone"}
    no_pdp = Scanner(OrgConfig(enabled_packs=("core",)), registry=registry, classifiers=False).scan(text)
    assert {h.rule for h in no_pdp.hits} == {"core.personal-data"}
    disabled = OrgConfig(enabled_packs=("core",), disabled_rules=("core.personal-data",))
    assert Scanner(disabled, registry=registry, classifiers=False).scan(text).verdict == "allow"


def test_scanner_for_caches_one_scanner_per_revision():
    a = scanner_for(OrgConfig(brand_names=("Kopi Senja",)), classifiers=False)
    assert scanner_for(OrgConfig(brand_names=("Kopi Senja",)), classifiers=False) is a
    assert scanner_for(OrgConfig(brand_names=("Kopi Pagi",)), classifiers=False) is not a


def test_scanner_is_exported_lazily_from_juru_scan():
    assert LazyScanner is Scanner


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ("just a string", "record must be a JSON object"),
        ({"id": "1"}, "missing required field 'text'"),
        ({"text": 12}, "'text' must be a string, not a number"),
        ({"text": None}, "'text' must be a string, not null"),
        ({"text": "x" * (MAX_TEXT_CHARS + 1)}, "'text' is too long"),
        ({"text": "bad \ud800 surrogate"}, "unpaired surrogate"),
        ({"text": "x", "account": "company"}, "'account' must be one of brand, personal"),
        ({"text": "x", "channel": "story"}, "'channel' must be one of post, reply, comment, share"),
        ({"text": "x", "crisis": "yes"}, "'crisis' must be true or false"),
        ({"text": "x", "network": 5}, "'network' must be a string"),
        ({"text": "x", "lang": "fr"}, "'lang' must be one of id, en, mixed"),
    ],
)
def test_bad_records_are_refused_with_a_clear_message(record, message):
    with pytest.raises(RecordError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_record(record)


def test_record_defaults_and_context():
    text, context = parse_record({"text": "halo", "account": "personal", "channel": "reply", "crisis": True})
    assert text == "halo"
    assert (context.account, context.channel, context.crisis) == ("personal", "reply", True)
    _, default = parse_record({"text": "halo"})
    assert (default.account, default.channel, default.crisis) == ("brand", "post", False)


def test_scan_records_keeps_order_and_reports_bad_records_inline():
    scanner = Scanner(OrgConfig(), registry=_registry(), classifiers=False)
    records = [{"id": "a", "text": "halo"}, {"id": 2, "text": 5}, {"id": "c", "text": "bangsat", "lang": "id"}]
    out = list(scanner.scan_records(records))
    assert [o["id"] for o in out] == ["a", 2, "c"]
    assert out[1] == {"id": 2, "error": "'text' must be a string, not a number"}
    assert out[2]["verdict"] == "block"
    assert out[2]["lang"] == "id"
    for output in out:
        jsonschema.validate(output, OUTPUT_SCHEMA)


def test_acceptance_phone_and_nik_block_with_two_explained_hits():
    scanner = scanner_for(OrgConfig(), classifiers=False)
    result = scanner.scan("Hubungi saya di 0812-3456-7890, NIK 3174014509900002")
    assert result.verdict == "block"
    assert [(h.entity, h.rule) for h in result.hits] == [("PHONE", "id-pdp.phone"), ("NIK", "id-pdp.nik")]
    for hit in result.hits:
        assert hit.message["id"]
        assert hit.fix["en"]
        assert hit.citation["id"].startswith("UU 27/2022")
        assert hit.citation["en"].startswith("Law 27/2022")


def test_acceptance_chrysler_tweet_on_a_brand_account_is_blocked():
    text = "I find it ironic that Detroit is known as the #motorcity and yet no one here knows how to f***ing drive"
    result = scanner_for(OrgConfig(), classifiers=False).scan(text, ScanContext(account="brand"))
    assert result.verdict == "block"
    assert "core.wrong-account" in {h.rule for h in result.hits}


def test_a_built_scanner_has_loaded_what_its_first_text_would_need():
    """The first post costs what any post costs: the language model and the detectors load with the scanner."""
    group = CountingGroup()
    registry = DetectorRegistry()
    registry.register(DetectorSpec("test.alpha", lambda c: GroupedDetector("test.alpha", group), ("INSULT",)))
    lang._lingua.cache_clear()
    Scanner(OrgConfig(), registry=registry, classifiers=False)
    assert lang._lingua.cache_info().currsize == 1
    assert group.calls == 1
