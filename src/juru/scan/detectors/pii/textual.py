"""Personal data written with words: e-mail addresses, passports, street addresses and dates of birth."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from juru.scan.detectors.pii import cues
from juru.scan.detectors.pii.numbers import Hit
from juru.scan.detectors.pii.validators import today

# ---------------------------------------------------------------- e-mail
EMAIL = re.compile(
    r"(?<![\w.+\-*%])[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![\w\-])"
)
# Found from each "@" outwards: the local part is matched on the reversed text before it.
_DOMAIN = re.compile(
    r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![\w\-])"
)
_LOCAL_REVERSED = re.compile(r"[A-Za-z0-9._%+\-]*[A-Za-z0-9](?![\w.+\-*%])")
_AT = r"(?:\s*[\[(\{<]\s*(?:at|@)\s*[\])\}>]\s*|\s+at\s+)"
_DOT = r"(?:\s*[\[(\{<]\s*(?:dot|titik|\.)\s*[\])\}>]\s*|\s+(?:dot|titik)\s+)"
EMAIL_OBFUSCATED = re.compile(
    rf"(?<![\w.])[a-z0-9][a-z0-9._%+\-]*{_AT}[a-z0-9\-]+(?:{_DOT}[a-z0-9\-]+)*{_DOT}[a-z]{{2,24}}(?![\w])"
)
# With plain words ("budi at gmail dot com") only a known mail provider makes it an address, not a sentence.
MAIL_PROVIDERS = frozenset(
    cues.vocabulary(
        "gmail googlemail yahoo ymail rocketmail hotmail outlook live msn icloud me aol proton protonmail gmx "
        "mail zoho yandex"
    )
)
# Mailboxes of a function, not of a person.
ROLE_MAILBOXES = frozenset(
    cues.vocabulary(
        "cs customerservice customercare customer care help helpdesk halo hallo hello hai hi info informasi "
        "support humas pr press media marketing sales admin administrator contact kontak hubungi office "
        "kantor pengaduan keluhan complaint complaints layanan service services rekrutmen recruitment "
        "recruiter career careers karir karier hr hrd jobs lowongan billing finance keuangan tagihan invoice "
        "payment pembayaran legal privacy dpo security abuse noreply no-reply donotreply newsletter promo "
        "event events partnership kemitraan redaksi editor webmaster postmaster team tim official corporate "
        "corpcomm sekretariat secretariat ask tanya"
    )
)
DUMMY_MAILBOXES = frozenset(
    cues.vocabulary("nama name contoh example sample user username email test yourname namaanda anda xxx")
)
DUMMY_DOMAINS = frozenset({"example.com", "example.org", "example.net", "contoh.com", "contoh.co.id", "domain.com"})


def find_emails(text: str, low: str) -> Iterator[Hit]:
    """Every e-mail address, plain or written to dodge filters ("nama [at] gmail (dot) com")."""
    at = text.find("@")
    while at != -1:
        domain = _DOMAIN.match(text, at + 1)
        if domain:
            local = _LOCAL_REVERSED.match(text[max(0, at - 64) : at][::-1]) if at else None
            if local:
                start = at - local.end()
                yield _email_hit(text[start : domain.end()], start, domain.end(), None)
        at = text.find("@", at + 1)
    if "dot" in low or "titik" in low or "(at)" in low or "[at]" in low:
        for m in EMAIL_OBFUSCATED.finditer(low):
            written = m.group(0)
            if "@" in written and not re.search(r"\s", written):
                continue  # a plain address, already found
            value = re.sub(_DOT, ".", re.sub(_AT, "@", written))
            bracketed = any(ch in written for ch in "[({<")
            if not bracketed and value.partition("@")[2].split(".")[0] not in MAIL_PROVIDERS:
                continue
            yield _email_hit(value, m.start(), m.end(), "written with at/dot words")


_LOCAL_SEPARATOR = re.compile(r"[._\-+]")


def _email_hit(value: str, start: int, end: int, obfuscation: str | None) -> Hit:
    local, _, domain = value.lower().partition("@")
    first = _LOCAL_SEPARATOR.split(local, maxsplit=1)[0].rstrip("0123456789")
    if local in DUMMY_MAILBOXES or domain in DUMMY_DOMAINS:
        owner, cue = "placeholder", local if local in DUMMY_MAILBOXES else domain
    elif local in ROLE_MAILBOXES or first in ROLE_MAILBOXES:
        owner, cue = "organisation", f"role mailbox {first or local}@"
    else:
        owner, cue = "person", None
    explanation: dict[str, Any] = {"pattern": "email", "validation": {"syntax": "valid"}, "context": []}
    explanation.update(owner=owner, owner_cue=cue)
    if obfuscation:
        explanation["obfuscation"] = obfuscation
    return Hit("pii.email", "EMAIL", start, end, 0.95, explanation, value.lower())


# ---------------------------------------------------------------- passport
_PASSPORT_WORDS = frozenset({"paspor", "passport", "pasport"})
PASSPORT_NUMBER = re.compile(r"(?<![\w\-/])([A-Za-z])[ \u00a0]?(\d{7})(?![\w\-/])")


def find_passports(text: str, low: str) -> Iterator[Hit]:
    """Indonesian passport numbers (a letter and 7 digits) next to the word paspor/passport."""
    if "pasp" not in low and "passp" not in low:
        return
    for m in PASSPORT_NUMBER.finditer(text):
        before = cues.words(cues.clause_before(low, m.start(), 50))[-6:]
        cue = cues.has_word(before, _PASSPORT_WORDS) or cues.has_word(
            cues.words(low[m.end() : m.end() + 20]), _PASSPORT_WORDS
        )
        if cue is None:
            continue
        explanation = {
            "pattern": "passport_id",
            "validation": {"format": "letter + 7 digits"},
            "context": [cue],
            "owner": "person",
        }
        yield Hit("pii.passport", "PASSPORT", m.start(), m.end(), 0.9, explanation, m.group(1).upper() + m.group(2))


# ---------------------------------------------------------------- date of birth
_MONTHS = {
    "januari": 1, "january": 1, "jan": 1, "februari": 2, "pebruari": 2, "february": 2, "feb": 2, "peb": 2,
    "maret": 3, "march": 3, "mar": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "june": 6,
    "jun": 6, "juli": 7, "july": 7, "jul": 7, "agustus": 8, "august": 8, "agu": 8, "agt": 8, "ags": 8,
    "aug": 8, "september": 9, "sept": 9, "sep": 9, "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11, "desember": 12, "december": 12, "des": 12, "dec": 12,
}  # fmt: skip
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
DATE = re.compile(
    rf"(?<![\w])(?:(?P<d1>\d{{1,2}})(?P<sep>[./\-])(?P<m1>\d{{1,2}})(?P=sep)(?P<y1>\d{{4}}|\d{{2}})"
    rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH_ALT})\.?,?\s+(?P<y2>\d{{4}})"
    rf"|(?P<m3>{_MONTH_ALT})\.?\s+(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y3>\d{{4}})"
    rf"|(?P<y4>(?:19|20)\d\d)-(?P<m4>\d{{1,2}})-(?P<d4>\d{{1,2}}))(?![\w])"
)
DOB_CUE = re.compile(
    r"(?<![a-z])(?:tempat[,/ ]*tanggal lahir|tempat[,/ ]*tgl\.? lahir|tanggal lahir|tgl\.? lahir|tgl\.? lhr|"
    r"lahir(?: pada)?(?: tanggal| tgl\.?)?|kelahiran|ttl|dob|d\.o\.b\.?|date of birth|birth ?date|birthday|"
    r"born(?: on)?|ulang tahun|ultah)(?![a-z])"
)
# What may stand between the cue and the date: a colon, a few words ("is", a birthplace: "TTL: Bandung, ").
_DOB_GAP = re.compile(r"^[\s:,\-]*(?:[A-Za-z][A-Za-z.'\-]*[\s,/:]+){0,4}$")


def find_dates_of_birth(text: str, low: str) -> Iterator[Hit]:
    """A real date right after a birth-date cue ("lahir 12 Mei 1990", "TTL: Bandung, 17-08-1990", "DOB")."""
    for cue in DOB_CUE.finditer(low):
        window_end = min(len(low), cue.end() + 45)
        for m in DATE.finditer(low, cue.end(), window_end):
            gap = text[cue.end() : m.start()]
            if not _DOB_GAP.match(gap.replace("(", " ")):
                break
            born = _date_of(m)
            if born is None:
                break
            explanation = {
                "pattern": "date_of_birth",
                "validation": {"date": "valid", "iso": born.isoformat()},
                "context": [cue.group(0)],
                "owner": "person",
            }
            yield Hit("pii.dob", "DATE_OF_BIRTH", m.start(), m.end(), 0.9, explanation, born.isoformat())
            break


def _date_of(m: re.Match[str]) -> dt.date | None:
    if m.group("d1"):
        day, month, year = int(m.group("d1")), int(m.group("m1")), int(m.group("y1"))
    elif m.group("d2"):
        day, month, year = int(m.group("d2")), _MONTHS[m.group("m2")], int(m.group("y2"))
    elif m.group("d3"):
        day, month, year = int(m.group("d3")), _MONTHS[m.group("m3")], int(m.group("y3"))
    else:
        day, month, year = int(m.group("d4")), int(m.group("m4")), int(m.group("y4"))
    limit = today()
    if year < 100:
        year += 2000 if 2000 + year <= limit.year else 1900
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return None
    return value if dt.date(1900, 1, 1) <= value <= limit else None


# ---------------------------------------------------------------- street address
STREET = re.compile(
    r"(?<![a-z\-])(?:jl|jln|jalan|gg|gang|perumahan|perum|perumnas|komplek|kompleks|komp|cluster|dusun|dsn|kampung|kp)"
    r"(?:\.\s*|\s+)(?=[a-z0-9])"
)
_TOKEN = re.compile(r"[A-Za-z]+\.?\d[\w/.\-]*|[A-Za-z][A-Za-z'\-]*\.?|\d+[A-Za-z]?(?:[/.\-]\d+[A-Za-z]?)*|[,/]|\S")
_KEYWORDS = frozenset(
    cues.vocabulary(
        "no no. nomor rt rt. rw rw. kel kel. kelurahan desa ds ds. kec kec. kecamatan kab kab. kabupaten kota "
        "kodya blok blk blk. gang gg gg. lt lt. lantai unit dusun dsn dsn. kp kp. kampung provinsi prov prov. "
        "kode pos rt/rw distrik"
    )
)
_NEEDS_NUMBER = frozenset({"no", "no.", "nomor", "rt", "rt.", "rw", "rw.", "blok", "blk", "blk.", "lt", "lt.", "unit"})
_STOP_WORDS = frozenset(
    cues.vocabulary(
        "whatsapp wa hp telp telepon tlp phone mobile email e-mail surel imel cp kontak contact nik npwp ktp "
        "kk resi rek rekening order invoice paspor passport dan and atau or untuk yang sudah mohon makasih "
        "terima kok"
    )
)
_POSTCODE = re.compile(r"^\d{5}$")


def find_addresses(text: str, low: str) -> Iterator[Hit]:
    """A private street address: street + house number or RT/RW, through the last place part or postcode."""
    last_end = -1
    for m in STREET.finditer(low):
        if m.start() < last_end:
            continue
        end, parts = _address_end(text, m.start(), m.end())
        if end is None:
            continue
        last_end = end
        before = cues.words(cues.clause_before(low, m.start(), 50))
        org = cues.has_word(before, cues.ADDRESS_ORG) or cues.has_word(
            cues.words(low[end : end + 20])[:2], cues.ADDRESS_ORG
        )
        owner = "organisation" if org else "person"
        explanation = {
            "pattern": "street_address",
            "validation": {"parts": parts},
            "context": [m.group(0).strip()],
            "owner": owner,
            "owner_cue": org,
        }
        yield Hit("pii.address", "ADDRESS", m.start(), end, 0.85, explanation, text[m.start() : end])


def _address_end(text: str, start: int, body: int) -> tuple[int | None, list[str]]:
    """Where the address starting at ``start`` ends, and which parts it has; ``None`` if it is not one."""
    limit = min(len(text), start + 200)
    end = body
    parts: list[str] = ["street"]
    street_words = 0
    after_comma = False
    tokens = list(_TOKEN.finditer(text, body, limit))
    for k, tok in enumerate(tokens):
        gap = text[end : tok.start()]
        if "\n" in gap or "|" in gap:
            break
        word = tok.group(0)
        lw = word.lower()
        if word in (",", "/"):
            after_comma = after_comma or word == ","
            continue
        if word in ("(", ")", ";", "!", "?", ":") or lw.rstrip(".") in _STOP_WORDS:
            break
        if word[0].isdigit() or (word[0].isalpha() and any(c.isdigit() for c in word)):
            if _POSTCODE.match(word) and len(parts) > 1:
                parts.append("postcode")
                end = tok.end()
                break
            if re.match(r"(?i)^r[tw]", word):
                parts.append("rt_rw")
            elif "house_number" not in parts and "rt_rw" not in parts:
                parts.append("house_number")
            end = tok.end()
            continue
        if lw in _KEYWORDS or lw.rstrip(".") in _KEYWORDS:
            nxt = tokens[k + 1].group(0) if k + 1 < len(tokens) else ""
            if lw.rstrip(".") in _NEEDS_NUMBER and not any(c.isdigit() for c in nxt[:3]):
                break
            kind = lw.rstrip(".")
            parts.append(
                "rt_rw" if kind in ("rt", "rw", "rt/rw") else "house_number" if kind in ("no", "nomor") else kind
            )
            end = tok.end()
            continue
        if word[0].isupper() or (not after_comma and "house_number" not in parts and street_words < 4):
            if word.endswith(".") and not word[0].isupper():
                break
            street_words += 1
            if after_comma and "place" not in parts:
                parts.append("place")
            end = tok.end() - (1 if word.endswith(".") and lw.rstrip(".") not in _KEYWORDS else 0)
            if word.endswith(".") and len(word) > 4:
                break  # a sentence ends here ("... Gorontalo Utara. Resi")
            continue
        break
    if "house_number" not in parts and "rt_rw" not in parts:
        return None, parts
    if len(set(parts)) < 3 or end - start < 12:
        return None, parts
    return end, sorted(set(parts), key=parts.index)
