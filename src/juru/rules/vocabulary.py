"""The entity names rules may match on: the shared vocabulary plus what installed detectors emit."""

from __future__ import annotations

PERSONAL_DATA: tuple[str, ...] = (
    "NIK",
    "KK",
    "NPWP",
    "PHONE",
    "EMAIL",
    "CARD",
    "BANK_ACCOUNT",
    "PASSPORT",
    "ADDRESS",
    "DATE_OF_BIRTH",
)
CONTENT: tuple[str, ...] = (
    "PROFANITY",
    "INSULT",
    "SARA",
    "THREAT",
    "GAMBLING",
    "HOAX_MARKER",
    "ILLEGAL_DRUGS",
    "CLAIM_FINANCE",
    "CLAIM_HEALTH",
    "SUPERLATIVE",
    "MNPI",
    "ENDORSEMENT",
    "THIRD_PARTY_CONTENT",
)
ORGANISATION: tuple[str, ...] = (
    "BRAND_MENTION",
    "COMPETITOR_MENTION",
    "COMPETITOR_DISPARAGEMENT",
    "CONFIDENTIAL",
    "PERSONAL_VOICE",
    "DISCLOSURE_PRESENT",
    "DISCLAIMER_PRESENT",
    "EMPLOYMENT_DISCLOSED",
    "SHARED_POST",
    "PROMOTIONAL",
)
BRAND_SAFETY: tuple[str, ...] = (
    "TRAGEDY",
    "TRAGEDY_PROMOTION",
    "POLITICAL",
    "SARA_SENSITIVE",
    "STEREOTYPE",
    "SEXUAL_CONTENT",
    "VIOLENCE",
    "CONTEMPT",
    "LEGAL_THREAT",
    "MARKET_MOVING",
    "DRAFT_PLACEHOLDER",
    "DRAFT_SUSPECT",
)
CLASSIFIER: tuple[str, ...] = ("NEGATIVE_SENTIMENT", "ABUSIVE", "HATE", "ANGER")
VOCABULARY: frozenset[str] = frozenset(PERSONAL_DATA + CONTENT + ORGANISATION + BRAND_SAFETY + CLASSIFIER)


def known_entities() -> frozenset[str]:
    """The shared vocabulary plus every entity an installed detector declares."""
    from juru.scan.registry import default_registry

    declared = {entity for spec in default_registry().specs() for entity in spec.entities}
    return VOCABULARY | declared
