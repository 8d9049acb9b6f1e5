"""Runs the personal-data baselines (Presidio regex recognizers, lokal-id) inside bench/.venv-baselines.

Not imported by Juru: ``bench/scan.py`` and ``bench/pii_eval.py`` start it in a subprocess with the
baselines' own Python. Reads a JSON list of texts, prints JSON to stdout.

    python bench/baselines.py speed TEXTS.json      # throughput and latency per baseline
                                                    # (TEXTS.json: a list, or {"texts": [...], "warmup": [...]})
    python bench/baselines.py spans TEXTS.json      # predicted spans per text, mapped to Juru entities
"""

from __future__ import annotations

import json
import logging
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

# Presidio entity -> Juru entity (others are not personal data in Juru's contract)
PRESIDIO_MAP = {
    "PHONE_NUMBER": "PHONE",
    "EMAIL_ADDRESS": "EMAIL",
    "CREDIT_CARD": "CARD",
    "US_BANK_NUMBER": "BANK_ACCOUNT",
    "IBAN_CODE": "BANK_ACCOUNT",
    "US_PASSPORT": "PASSPORT",
    "DATE_TIME": "DATE_OF_BIRTH",
}
LOKAL_MAP = {
    "NIK": "NIK",
    "KK": "KK",
    "NPWP": "NPWP",
    "PHONE": "PHONE",
    "EMAIL": "EMAIL",
    "CREDIT_CARD": "CARD",
    "CARD": "CARD",
    "BANK_ACCOUNT": "BANK_ACCOUNT",
    "PASSPORT": "PASSPORT",
    "ADDRESS": "ADDRESS",
    "BIRTH_DATE": "DATE_OF_BIRTH",
    "DATE_OF_BIRTH": "DATE_OF_BIRTH",
}


def presidio() -> Callable[[str], list[tuple[int, int, str]]]:
    """Presidio's analyzer with regex/pattern recognizers only (no NLP model: ``NoOpNlpEngine``)."""
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    logging.getLogger("tldextract").setLevel(logging.CRITICAL)
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NoOpNlpEngine
    from presidio_analyzer.predefined_recognizers import PhoneRecognizer

    engine = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}])
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=engine)
    for recognizer in list(registry.recognizers):
        kind = type(recognizer).__name__
        if any(word in kind for word in ("Spacy", "Stanza", "Transformers", "Gliner")) or kind == "PhoneRecognizer":
            registry.remove_recognizer(recognizer.name)
    # Indonesian numbers are what the corpus holds: give the phone recognizer the ID region too.
    registry.add_recognizer(PhoneRecognizer(supported_regions=("ID", "US", "GB")))
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["en"])

    def run(text: str) -> list[tuple[int, int, str]]:
        return [(r.start, r.end, r.entity_type) for r in analyzer.analyze(text, language="en")]

    return run


def lokal() -> Callable[[str], list[tuple[int, int, str]]]:
    """lokal-id's Samaran detector (Indonesian personal data)."""
    from lokal.samaran import detect_pii

    def run(text: str) -> list[tuple[int, int, str]]:
        return [(m.start, m.end, m.type) for m in detect_pii(text)]

    return run


BASELINES: dict[str, Callable[[], Callable[[str], list[tuple[int, int, str]]]]] = {
    "presidio": presidio,
    "lokal-id": lokal,
}


def speed(texts: list[str], warmup: list[str] | None = None) -> dict[str, Any]:
    """Throughput (CPU time, one thread) and per-text latency of each baseline, warmed up on ``warmup``."""
    out: dict[str, Any] = {}
    for name, build in BASELINES.items():
        try:
            run = build()
        except Exception as exc:  # a baseline that cannot start is reported, not fatal
            out[name] = {"error": f"{type(exc).__name__}: {exc}"}
            continue
        for text in texts[:50] if warmup is None else warmup:
            run(text)  # warm-up (lazy tables, regex compilation), on other texts when given
        cpu: list[float] = []
        wall: list[float] = []
        found = 0
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        for text in texts:
            t0, w0 = time.thread_time(), time.perf_counter()
            found += len(run(text))
            cpu.append(time.thread_time() - t0)
            wall.append(time.perf_counter() - w0)
        total_cpu, total_wall = time.process_time() - start_cpu, time.perf_counter() - start_wall
        out[name] = {
            "posts": len(texts),
            "posts_per_s_cpu": len(texts) / total_cpu if total_cpu else None,
            "posts_per_s_wall": len(texts) / total_wall,
            "p50_ms": statistics.median(cpu) * 1000,
            "p99_ms": statistics.quantiles(cpu, n=100)[98] * 1000,
            "p99_wall_ms": statistics.quantiles(wall, n=100)[98] * 1000,
            "findings": found,
        }
    return out


def spans(texts: list[str]) -> dict[str, Any]:
    """Predicted spans per text for each baseline, with Juru entity names."""
    out: dict[str, Any] = {}
    for name, build in BASELINES.items():
        mapping = PRESIDIO_MAP if name == "presidio" else LOKAL_MAP
        try:
            run = build()
        except Exception as exc:
            out[name] = {"error": f"{type(exc).__name__}: {exc}"}
            continue
        out[name] = [
            [{"start": s, "end": e, "type": mapping[t]} for s, e, t in run(text) if t in mapping] for text in texts
        ]
    return out


def main() -> int:
    """Entry point: ``baselines.py speed|spans TEXTS.json``."""
    mode, path = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    # A list of texts, or {"texts": [...], "warmup": [...]} to warm up on texts that are not measured.
    texts, warmup = (data, None) if isinstance(data, list) else (data["texts"], data.get("warmup"))
    result = speed(texts, warmup) if mode == "speed" else spans(texts)
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
