"""Personal voice on a brand account."""

from __future__ import annotations

import pytest

from juru.rules.config import OrgConfig
from juru.scan.detectors.voice import SPECS, VoiceDetector
from juru.scan.findings import Finding, ScanContext
from juru.scan.normalise import prepare
from tests.scan.brand_posts import BRAND_POSTS_EN, BRAND_POSTS_ID

CHRYSLER = "I find it ironic that Detroit is known as the #motorcity and yet no one here knows how to f***ing drive"
BRAND = ScanContext(account="brand")


def detect(text: str, context: ScanContext = BRAND, config: OrgConfig | None = None) -> list[Finding]:
    return list(SPECS[0].factory(config or OrgConfig()).detect(prepare(text), context))


def test_the_chrysler_tweet_fires_block_level() -> None:
    found = detect(CHRYSLER)
    assert len(found) == 1
    finding = found[0]
    assert finding.entity == "PERSONAL_VOICE"
    assert (finding.start, finding.end) == (0, len(CHRYSLER))
    assert finding.score >= 0.6
    assert {"first_person", "masked_profanity", "complaint"} <= set(finding.explanation["signals"])


@pytest.mark.parametrize(
    "text",
    [
        "gw kesel bgt sama bos gw hari ini anjir, pengen resign aja wkwkwk",
        "Lagi hangover parah abis party semalem sama pacar #mood",
        "Ugh my boss is the worst, so done with this job!!!",
        "Aku lagi galau banget, mantan nikah hari ini #curhat",
    ],
)
def test_personal_posts_fire(text: str) -> None:
    assert detect(text)


@pytest.mark.parametrize("text", BRAND_POSTS_ID + BRAND_POSTS_EN)
def test_ordinary_brand_copy_does_not_fire(text: str) -> None:
    assert detect(text) == []


def test_personal_accounts_are_never_flagged() -> None:
    assert detect(CHRYSLER, ScanContext(account="personal")) == []


def test_empty_text() -> None:
    assert detect("") == []


def test_distance_from_brand_voice_is_a_signal() -> None:
    config = OrgConfig(brand_voice_samples=tuple(BRAND_POSTS_ID[:8]))
    detector = VoiceDetector("voice.personal", config)
    far = detector.signals(prepare("lmao this party slaps, so wasted rn"))
    near = detector.signals(prepare(BRAND_POSTS_ID[0]))
    assert "off_brand_voice" in far
    assert "off_brand_voice" not in near


def test_score_combines_signals() -> None:
    detector = VoiceDetector("voice.personal", OrgConfig())
    assert detector.score({}) == 0.0
    assert detector.score({"profanity": "x"}) < detector.score({"profanity": "x", "first_person": "i"}) < 1.0


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("Ugh, meeting lagi sama bos gue, pengen resign rasanya", "workplace"),
        ("I'm so tired of my coworkers at work today", "workplace"),
        ("Hari ini aku capek banget, atasanku marah-marah terus", "feelings"),
    ],
)
def test_feelings_and_office_talk_without_profanity_read_as_personal(text: str, signal: str) -> None:
    found = detect(text)
    assert len(found) == 1
    assert signal in found[0].explanation["signals"]


def test_an_agent_signing_off_in_the_first_person_is_not_personal_voice() -> None:
    assert detect("I hope this helps! Let us know if you need anything else.") == []
