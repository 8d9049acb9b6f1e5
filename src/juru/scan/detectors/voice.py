"""Personal voice on a brand account: the post reads like someone's own account, not the brand's.

The classic case is an agency employee posting a personal tweet from the client's account
(Chrysler, 2011). Signals: first-person singular in a casual register, personal-life topics,
profanity (masked too), emotional outbursts, personal hashtags, and, when the organisation
gives ``brand_voice_samples``, distance from the brand's own voice. Each signal has a weight;
the score is ``1 - prod(1 - w)``, and a finding is emitted above ``THRESHOLD`` for brand
accounts only. The explanation lists the signals seen.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from juru.rules.config import OrgConfig
from juru.scan.findings import Finding, ScanContext
from juru.scan.lexicon import PhraseSet, matcher_for
from juru.scan.licensing import noncommercial_enabled
from juru.scan.registry import DetectorSpec
from juru.scan.text import PreparedText

THRESHOLD = 0.5
SPEAKS_FOR_AN_ORGANISATION = frozenset({"brand", "government"})
WEIGHTS = {
    "first_person_casual": 0.3,
    "first_person": 0.2,
    "casual_register": 0.15,
    "personal_life": 0.35,
    "profanity": 0.45,
    "masked_profanity": 0.45,
    "outburst": 0.3,
    "emphasis": 0.1,
    "personal_hashtag": 0.2,
    "complaint": 0.25,
    "feelings": 0.3,
    "workplace": 0.3,
    "off_brand_voice": 0.2,
}

# Word lists are matched on the lowercased original (before slang mapping: "gue" must stay "gue").
FIRST_PERSON_CASUAL = frozenset(["aku", "gue", "gua", "gw", "ane", "w", "sy", "aq", "akuu"])
FIRST_PERSON_EN = frozenset(["i", "i'm", "i've", "i'd", "i'll", "me", "my", "mine", "myself", "im", "ive"])
CASUAL = frozenset(
    """
    sih dong deh anjir anjay njir wkwk wkwkwk wkwkwkwk awokwok haha hahaha lol lmao lmfao omg bgt bngt
    gws bete gabut mager baper kepo gengs bestie cuy bro sis ngab wtf smh tbh ngl idk semalem kemaren
    pengen
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
PERSONAL_LIFE = (
    "pacar", "pacarku", "mantan", "mantanku", "gebetan", "doi", "mabuk", "teler", "hangover", "nyokap", "bokap",
    "mertua", "istriku", "suamiku", "bini gue", "laki gue", "bos gue", "bos gw", "kantor gue", "gaji gue",
    "gajian", "jomblo", "galau", "patah hati", "putus cinta", "selingkuh", "my wife", "my husband",
    "my girlfriend", "my boyfriend", "my ex", "my mom", "my dad", "my boss", "my job", "my kids", "drunk", "wasted",
    "so hungover", "date night", "tinder", "my crush", "breakup", "broke up",
)  # fmt: skip
OUTBURST_PHRASES = (
    "kesel banget", "kesal banget", "kesel bgt", "sebel banget", "sebel", "bete banget", "capek banget",
    "capek bgt", "muak", "pengen marah", "pengin marah", "emosi banget", "nyesel", "males banget", "ugh", "argh",
    "so annoyed", "so pissed", "pissed off", "i hate", "hate my", "can't stand", "sick of", "fed up", "so done",
    "kill me", "i'm done",
)  # fmt: skip
COMPLAINT = (
    "no one here knows", "nobody here knows", "no one knows how to", "nobody knows how to", "i find it ironic",
    "ironic that", "people here", "orang sini", "orang-orang di sini", "gak ada yang bisa", "nggak ada yang bisa",
    "ga ada yang bisa", "tidak ada yang bisa", "dasar orang",
)  # fmt: skip
# First-person feelings and moods: how people write about their day, not how brands write.
FEELINGS = (
    "saya jengah", "saya kesal", "saya kecewa", "saya muak", "saya sedih", "saya lelah", "saya bosan",
    "aku sedih", "aku kesel", "aku capek", "aku bosan", "gue kesel", "gue capek", "lelah banget", "jengah",
    "i feel", "i'm so tired", "i'm tired", "i'm bored", "i'm so bored", "so tired", "i can't even",
    "can't wait to get out", "i don't know how", "i hate it when", "ugh i", "my day", "hari ini aku",
)  # fmt: skip
# Work as an employee sees it: bosses, colleagues, pay and wanting out.
WORKPLACE = (
    "bos gue", "bos aku", "bos saya", "atasan gue", "atasan saya", "atasanku", "rekan kerja", "teman kantor",
    "temen kantor", "lembur lagi", "meeting lagi", "pengen resign", "mau resign", "gaji kecil", "my boss",
    "my manager", "my coworker", "my co-worker", "my colleague", "coworkers", "work sucks", "this job",
    "hate my job", "office gossip", "hell hole", "at work today",
)  # fmt: skip
PERSONAL_HASHTAGS = frozenset(
    """
    ootd mood curhat selfie blessed mybad motd girlsnight latepost galau baper jomblo gabut mager
    nofilter me myself selfcare sundayfunday tgif hangover drunk lovemylife foodporn fyp
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
_HASHTAG = re.compile(r"#(\w+)")
_EXCLAIM = re.compile(r"[!?]{3,}|!{2,}\?|\?{2,}!")
_CUE_KEYS = ("personal_life", "outburst", "complaint", "feelings", "workplace")


def _may_exclaim(original: str) -> bool:
    """Whether ``_EXCLAIM`` can match: every match contains "!!", "??", "!?" or "?!"."""
    return "!!" in original or "??" in original or "!?" in original or "?!" in original


_CAPS_WORD = re.compile(r"\b[A-Z]{4,}\b")
# Every byte but the ASCII capitals, deleted to count those (UTF-8 never puts ASCII bytes inside other characters).
_NOT_CAPITAL = bytes(i for i in range(256) if not 65 <= i <= 90)
_SAYA_CASUAL = frozenset(["sih", "dong", "deh", "banget", "bgt", "gue", "anjir", "wkwk", "kesel", "males"])


@lru_cache(maxsize=2)
def _cues(slang: bool) -> PhraseSet:
    """The phrase signals, with slang forms only while non-commercial data is on."""
    return PhraseSet(
        {
            "personal_life": PERSONAL_LIFE,
            "outburst": OUTBURST_PHRASES,
            "complaint": COMPLAINT,
            "feelings": FEELINGS,
            "workplace": WORKPLACE,
        },
        slang=slang,
    )


def char_ngrams(text: str, n: int = 3) -> Counter[str]:
    """Character n-gram counts of a lowercased, space-padded text."""
    padded = f" {' '.join(text.lower().split())} "
    return Counter(padded[i : i + n] for i in range(len(padded) - n + 1))


def _cosine(a: Counter[str], b: dict[str, float]) -> float:
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def voice_centroid(samples: Sequence[str]) -> dict[str, float]:
    """The mean of the samples' normalised character-trigram vectors."""
    centroid: dict[str, float] = {}
    for sample in samples:
        grams = char_ngrams(sample)
        norm = math.sqrt(sum(v * v for v in grams.values())) or 1.0
        for gram, count in grams.items():
            centroid[gram] = centroid.get(gram, 0.0) + count / norm / len(samples)
    return centroid


@dataclass
class VoiceDetector:
    """Scores how personal a text reads; emits ``PERSONAL_VOICE`` for brand accounts above the threshold."""

    name: str
    config: OrgConfig
    include_noncommercial: bool = True
    threshold: float = THRESHOLD
    _centroid: dict[str, float] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        samples = [s for s in self.config.brand_voice_samples if s.strip()]
        if samples:
            self._centroid = voice_centroid(samples)
        self._matcher = matcher_for(self.include_noncommercial)
        self._cues = _cues(self.include_noncommercial)
        self.word_lists = (self._cues, self._matcher)  # searched in the scanner's shared pass

    def signals(self, text: PreparedText) -> dict[str, str]:
        """Each signal seen, with the words that showed it."""
        found: dict[str, str] = {}
        original = text.original
        words = text.words()
        wordset = set(words)
        if hit := wordset & FIRST_PERSON_CASUAL:
            found["first_person_casual"] = ", ".join(sorted(hit))
        elif "saya" in wordset and wordset & _SAYA_CASUAL:
            found["first_person_casual"] = "saya"
        elif hit := wordset & FIRST_PERSON_EN:
            found["first_person"] = ", ".join(sorted(hit))
        if hit := wordset & CASUAL:
            found["casual_register"] = ", ".join(sorted(hit))
        cues = self._cues.hits(text)
        if cues:  # most texts have none: skip the five look-ups
            for key in _CUE_KEYS:
                if key_hits := cues.get(key):
                    found[key] = ", ".join(sorted({m.group() for m in key_hits}))
        if _may_exclaim(original) and (exclaim := _EXCLAIM.search(original)):
            found.setdefault("outburst", exclaim.group())
        # Emphasis needs capitalised words (4+ capitals each) for at least half of the words, and two at least:
        # count the capitals first, the regex runs only when there are enough of them.
        needed = 4 * max(2, (len(words) + 1) // 2)
        if words and len(original.encode("utf-8", "surrogatepass").translate(None, _NOT_CAPITAL)) >= needed:
            caps = _CAPS_WORD.findall(original)
            if len(caps) >= 2 and len(caps) * 2 >= len(words) > 0:
                found["emphasis"] = " ".join(caps[:3])
        if "#" in original:
            tags = {t.lower() for t in _HASHTAG.findall(original)} & PERSONAL_HASHTAGS
            if tags:
                found["personal_hashtag"] = ", ".join(f"#{t}" for t in sorted(tags))
        for match in self._matcher.grouped(text).get("lexicon.profanity", ()):
            key = "masked_profanity" if match.masked else "profanity"
            found.setdefault(key, original[match.start : match.end])
        if self._centroid and len(words) >= 4:
            similarity = _cosine(char_ngrams(original), self._centroid)
            if similarity < 0.25:
                found["off_brand_voice"] = f"{similarity:.2f}"
        return found

    def score(self, signals: dict[str, str]) -> float:
        """Combine the signal weights: ``1 - prod(1 - w)``."""
        remaining = 1.0
        for key, value in signals.items():
            weight = WEIGHTS[key]
            if key == "personal_life" and "," in value:
                weight = 0.5  # two personal topics are hard to read as brand copy
            remaining *= 1.0 - weight
        return 1.0 - remaining

    def detect(self, text: PreparedText, context: ScanContext) -> Iterable[Finding]:
        """One block-level ``PERSONAL_VOICE`` finding when the text reads as personal on a brand account."""
        if context.account not in SPEAKS_FOR_AN_ORGANISATION or not text.original.strip():
            return []
        signals = self.signals(text)
        score = self.score(signals)
        if score < self.threshold:
            return []
        explanation = {"signals": signals, "score": round(score, 3)}
        return [Finding(self.name, "PERSONAL_VOICE", 0, len(text.original), score, explanation)]


def _build(config: OrgConfig) -> VoiceDetector:
    return VoiceDetector("voice.personal", config, noncommercial_enabled())


SPECS: list[DetectorSpec] = [DetectorSpec("voice.personal", _build, ("PERSONAL_VOICE",))]
