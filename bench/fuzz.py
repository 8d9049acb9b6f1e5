"""Fuzz runs that look for inputs which crash Juru or make it slow.

Mode ``scanner`` (the default) feeds generated texts to the scanner through the Python API:
random Unicode from every plane, lone surrogates, zero-width and combining characters, long runs
of digits, phone numbers, e-mail addresses and identifiers, repeated characters and words,
hashtags, mentions, placeholders, and texts over the length limit (which must be refused with
``TextTooLongError``, quickly). Each input is timed in CPU time of this thread, so the figure holds
on a busy machine; the slowest inputs are timed three more times and the fastest of those counts.

Speed is reported as milliseconds per started block of 10,000 characters: an input of up to
10,000 characters must finish within the target on its own, one of 20,000 within twice that.
Target: no input over 50 ms per 10,000 characters. Any exception other than the length refusal
is a failure. The run stops after ``--count`` inputs or ``--max-seconds``, whichever comes first.

Writes ``bench/results/fuzz.json`` (one key per mode) and prints a table.

    .venv/bin/python bench/fuzz.py [--count 1000000] [--max-seconds 7200] [--seed 1] [--rules-only]

Further modes (for example one that fuzzes the HTTP API) add a function to ``MODES``; each takes
the parsed arguments and returns its JSON-ready summary.
"""

from __future__ import annotations

import argparse
import heapq
import json
import math
import platform
import random
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "fuzz.json"
TARGET_MS_PER_10K = 50.0
BLOCK_CHARS = 10_000
RETIMED = 25  # the slowest inputs timed again before the verdict

Generator = Callable[[random.Random, int], str]

_WORDS = (  # noqa: SIM905 (a word list reads better as text)
    "promo diskon kopi susu gratis hari ini kami kamu saya aku gue the and our new sale today you your we "
    "halo kak mohon maaf terima kasih selamat banjir gempa duka pemilu partai capres prabowo tbd insert "
    "anjing bangsat fuck shit goblok bodoh nomor rekening nik ktp email telepon wa dm otp pin password "
    "competitor rival cheaper better worst murah mahal enak rasanya kayak plastik lorem ipsum draft copy"
).split()
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_COMBINING = "".join(chr(c) for c in range(0x300, 0x370))
_EMOJI = "😀😂🤣😍🙏🔥💯🎉🇮🇩👍🏽👨‍👩‍👧‍👦🌶️☕"


def _length(rng: random.Random, limit: int) -> int:
    """Mostly post-sized, sometimes long: log-uniform between 1 and ``limit`` characters."""
    return max(1, int(math.exp(rng.uniform(0, math.log(limit)))))


def _random_unicode(rng: random.Random, limit: int) -> str:
    size = _length(rng, limit)
    top = rng.choice((0x7F, 0x2FF, 0xFFFF, 0x10FFFF))
    return "".join(chr(rng.randint(0, top)) for _ in range(size))


def _surrogates(rng: random.Random, limit: int) -> str:
    text = list(_words(rng, limit))
    for _ in range(max(1, len(text) // 20)):
        text.insert(rng.randrange(len(text) + 1), chr(rng.randint(0xD800, 0xDFFF)))
    return "".join(text)


def _zero_width(rng: random.Random, limit: int) -> str:
    base = _words(rng, limit // 2 or 1)
    return "".join(ch + (rng.choice(_ZERO_WIDTH) if rng.random() < 0.7 else "") for ch in base)


def _combining(rng: random.Random, limit: int) -> str:
    base = _words(rng, limit // 3 or 1)
    return "".join(ch + "".join(rng.choices(_COMBINING, k=rng.randint(0, 3))) for ch in base)


def _digits(rng: random.Random, limit: int) -> str:
    size = _length(rng, limit)
    separator = rng.choice(("", " ", "-", ".", "\n", ", "))
    chunk = rng.choice((1, 4, 10, 12, 16, 20))
    out: list[str] = []
    while sum(map(len, out)) < size:
        out.append("".join(rng.choice("0123456789") for _ in range(chunk)))
    return separator.join(out)[:size]


def _repeated(template: Callable[[random.Random], str]) -> Generator:
    def generate(rng: random.Random, limit: int) -> str:
        size = _length(rng, limit)
        sep = rng.choice((" ", "", "\n", ", ", " dan "))
        out: list[str] = []
        total = 0
        while total < size:
            piece = template(rng)
            out.append(piece)
            total += len(piece) + len(sep)
        return sep.join(out)[:size]

    return generate


def _phone(rng: random.Random) -> str:
    digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(7, 10)))
    return rng.choice(("08", "+628", "628", "(021) ", "+1 ")) + digits


def _email(rng: random.Random) -> str:
    name = "".join(rng.choices("abcdefghij._-0123", k=rng.randint(1, 12)))
    return f"{name}@{rng.choice(('gmail.com', 'x.co.id', 'a.b.c.d.e.f', 'mail'))}"


def _identifier(rng: random.Random) -> str:
    return rng.choice(
        (
            "NIK " + "".join(rng.choices("0123456789", k=16)),
            "NPWP 0" + "".join(rng.choices("0123456789", k=14)),
            "4111 1111 1111 " + "".join(rng.choices("0123456789", k=4)),
            "rek BCA " + "".join(rng.choices("0123456789", k=10)),
            "paspor A" + "".join(rng.choices("0123456789", k=7)),
        )
    )


def _hashtag(rng: random.Random) -> str:
    return rng.choice("#@") + "".join(rng.choices("abcXYZ019_", k=rng.randint(0, 30)))


def _placeholder(rng: random.Random) -> str:
    return rng.choice(("{{", "}}", "[", "]", "[INSERT", "{{name}}", "****", "TBD", "<", ">", "((", "))", "\\"))


def _word(rng: random.Random) -> str:
    word = rng.choice(_WORDS)
    if rng.random() < 0.2:
        word = word.translate(str.maketrans("aeiost", "4310$7"))
    if rng.random() < 0.1:
        word = " ".join(word)
    if rng.random() < 0.1:
        word = word.upper()
    return word


def _words(rng: random.Random, limit: int) -> str:
    return _repeated(_word)(rng, limit)


def _same_char(rng: random.Random, limit: int) -> str:
    return rng.choice("a1 !?#@*.-_\n\tkK😀\u200bنا中") * _length(rng, limit)


def _emoji(rng: random.Random, limit: int) -> str:
    return "".join(rng.choice(_EMOJI) for _ in range(_length(rng, limit) // 2 + 1))


def _over_limit(rng: random.Random, limit: int) -> str:
    return rng.choice("a1 ") * (limit + rng.randint(1, limit))


GENERATORS: dict[str, Generator] = {
    "random_unicode": _random_unicode,
    "lone_surrogates": _surrogates,
    "zero_width": _zero_width,
    "combining_marks": _combining,
    "digit_runs": _digits,
    "phones": _repeated(_phone),
    "emails": _repeated(_email),
    "identifiers": _repeated(_identifier),
    "hashtags_mentions": _repeated(_hashtag),
    "placeholders": _repeated(_placeholder),
    "words": _words,
    "same_character": _same_char,
    "emoji": _emoji,
}
# How often each kind is drawn; refusals of over-long texts are rare, they only check the refusal is fast.
WEIGHTS: dict[str, float] = {name: 1.0 for name in GENERATORS}
WEIGHTS["words"] = 3.0


def _cost(seconds: float, length: int) -> float:
    """Milliseconds per started block of ``BLOCK_CHARS`` characters."""
    return seconds * 1000 / max(1, math.ceil(length / BLOCK_CHARS))


def _timed(run: Callable[[], Any]) -> float:
    started = time.thread_time()
    run()
    return time.thread_time() - started


def fuzz_scanner(args: argparse.Namespace) -> dict[str, Any]:
    """Scan ``args.count`` generated texts; the slowest per 10,000 characters and every crash."""
    from juru.scan import MAX_TEXT_CHARS, Scanner, TextTooLongError
    from juru.scan.findings import ScanContext

    scanner = Scanner(classifiers=not args.rules_only)
    contexts = [
        ScanContext(),
        ScanContext(account="personal"),
        ScanContext(channel="reply", crisis=True),
        ScanContext(lang="en"),
    ]
    rng = random.Random(args.seed)
    names = list(GENERATORS)
    weights = [WEIGHTS[n] for n in names]
    slowest: list[tuple[float, int, str, str]] = []  # min-heap of the RETIMED slowest (cost, index, kind, text)
    crashes: list[dict[str, Any]] = []
    kinds: Counter[str] = Counter()
    refused = refused_late = 0
    chars = 0
    deadline = time.monotonic() + args.max_seconds
    started = time.process_time()
    done = 0
    for done in range(1, args.count + 1):
        if rng.random() < 0.001:
            kind, text = "over_limit", _over_limit(rng, MAX_TEXT_CHARS)
        else:
            kind = rng.choices(names, weights)[0]
            text = GENERATORS[kind](rng, MAX_TEXT_CHARS)
        kinds[kind] += 1
        context = contexts[done % len(contexts)]
        t0 = time.thread_time()
        try:
            scanner.scan(text, context)
        except TextTooLongError:
            refused += 1
            refused_late += time.thread_time() - t0 > 0.001
            continue
        except Exception as exc:  # noqa: BLE001 - every crash is a finding of the run, not the end of it
            crashes.append({"kind": kind, "length": len(text), "error": repr(exc), "text": ascii(text[:200])})
            if len(crashes) == 1:
                traceback.print_exc()
            continue
        seconds = time.thread_time() - t0
        chars += len(text)
        entry = (_cost(seconds, len(text)), done, kind, text)
        if len(slowest) < RETIMED:
            heapq.heappush(slowest, entry)
        elif entry[0] > slowest[0][0]:
            heapq.heapreplace(slowest, entry)
        if done % 10_000 == 0:
            print(f"  {done:,} inputs, slowest so far {max(slowest)[0]:.1f} ms/10k chars", file=sys.stderr)
        if time.monotonic() > deadline:
            break
    cpu = time.process_time() - started
    confirmed = []
    for _, index, kind, text in sorted(slowest, reverse=True):
        context = contexts[index % len(contexts)]
        seconds = min(_timed(lambda t=text, c=context: scanner.scan(t, c)) for _ in range(3))
        confirmed.append(
            {"ms_per_10k": _cost(seconds, len(text)), "ms": seconds * 1000, "kind": kind, "length": len(text)}
        )
    confirmed.sort(key=lambda c: c["ms_per_10k"], reverse=True)
    worst = confirmed[0] if confirmed else None
    return {
        "inputs": done,
        "characters_scanned": chars,
        "cpu_seconds": round(cpu, 1),
        "classifiers": not args.rules_only,
        "by_kind": dict(sorted(kinds.items())),
        "refused_over_limit": refused,
        "refusals_over_1ms": refused_late,
        "crashes": len(crashes),
        "crash_examples": crashes[:10],
        "slowest": confirmed[:10],
        "worst_ms_per_10k": worst["ms_per_10k"] if worst else None,
        "target_ms_per_10k": TARGET_MS_PER_10K,
        "met": bool(worst is None or worst["ms_per_10k"] <= TARGET_MS_PER_10K) and not crashes and not refused_late,
    }


def _fuzz_api(args: argparse.Namespace) -> dict[str, Any]:
    from fuzz_api import fuzz_api  # Django is imported only for this mode

    return fuzz_api(args)


MODES: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {"scanner": fuzz_scanner, "api": _fuzz_api}


def _print(mode: str, summary: dict[str, Any]) -> None:
    print(f"\n{mode}: {summary['inputs']:,} inputs, {summary['cpu_seconds']} s CPU, crashes {summary['crashes']}")
    if mode == "api":
        print(f"statuses: {summary['statuses']}")
        for failure in summary["failures"][:20]:
            print(f"  {failure}")
    if mode == "scanner":
        print(
            f"refused over the length limit: {summary['refused_over_limit']}"
            f" (slower than 1 ms: {summary['refusals_over_1ms']})"
        )
        print(f"{'ms/10k chars':>12}  {'ms':>8}  {'length':>7}  kind")
        for row in summary["slowest"]:
            print(f"{row['ms_per_10k']:>12.2f}  {row['ms']:>8.2f}  {row['length']:>7}  {row['kind']}")
        print(
            f"worst {summary['worst_ms_per_10k']:.2f} ms per 10,000 characters (target {TARGET_MS_PER_10K:.0f}): "
            f"{'met' if summary['met'] else 'MISSED'}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=sorted(MODES), default="scanner")
    parser.add_argument("--count", type=int, default=1_000_000, help="number of generated inputs (default 1,000,000)")
    parser.add_argument("--max-seconds", type=float, default=7200, help="stop early after this many seconds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rules-only", action="store_true", help="scanner mode: leave the classifiers out")
    args = parser.parse_args(argv)
    summary = MODES[args.mode](args)
    summary.update(seed=args.seed, python=platform.python_version(), machine=platform.machine())
    _print(args.mode, summary)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    previous[args.mode] = summary
    RESULTS.write_text(json.dumps(previous, indent=2) + "\n")
    return 0 if summary.get("met", True) and not summary.get("crashes") else 1


if __name__ == "__main__":
    sys.exit(main())
