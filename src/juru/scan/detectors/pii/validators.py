"""Structure and checksum checks for Indonesian identifiers, cards and phone numbers.

Every function takes ASCII digits (separators already removed) and returns a small dict that goes
into the finding's explanation, or ``None`` when the number cannot be what is being checked.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

import phonenumbers
from stdnum import luhn
from stdnum.id import npwp as stdnum_npwp

from juru.scan.detectors.pii.regions import region_of

# Placeholders people type in examples and forms; never someone's number.
_DUMMIES = frozenset({"1234567890123456", "0123456789012345", "1234567812345678", "1111222233334444"})
_IIN = re.compile(
    r"^(?:4\d{12}(?:\d{3}){0,2}"  # Visa 13/16/19
    r"|5[1-5]\d{14}"  # Mastercard
    r"|2(?:22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)\d{12}"  # Mastercard 2-series
    r"|3[47]\d{13}"  # American Express
    r"|35(?:2[89]|[3-8]\d)\d{12,15}"  # JCB
    r"|3(?:0[0-5]|[68]\d)\d{11,16}"  # Diners
    r"|6(?:011|5\d\d|4[4-9]\d)\d{12,15}"  # Discover
    r"|62\d{14,17}"  # UnionPay
    r"|60\d{14}"  # GPN / domestic debit ranges
    r")$"
)
_CARD_BRANDS = (
    ("4", "visa"),
    ("34", "amex"),
    ("37", "amex"),
    ("35", "jcb"),
    ("62", "unionpay"),
    ("5", "mastercard"),
    ("2", "mastercard"),
    ("30", "diners"),
    ("36", "diners"),
    ("38", "diners"),
    ("6", "discover"),
)
_MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
# Toll-free and premium ranges belong to organisations, never to a private person.
_ORG_PREFIXES = ("0800", "0801", "0802", "0803", "0804", "0805", "0806", "0807", "0808", "0809")


def today() -> dt.date:
    """The current date (UTC), the limit for birth and issue dates."""
    return dt.datetime.now(tz=dt.UTC).date()


def luhn_ok(digits: str) -> bool:
    """True when ``digits`` pass the Luhn (mod 10) check (python-stdnum's implementation)."""
    return bool(luhn.is_valid(digits))


def _is_dummy(digits: str) -> bool:
    return digits in _DUMMIES or len(set(digits)) <= 2


def _two_digit_date(dd: int, mm: int, yy: int, limit: dt.date) -> dt.date | None:
    """The most recent real date 20YY or 19YY that is not after ``limit``."""
    for century in (2000, 1900):
        try:
            value = dt.date(century + yy, mm, dd)
        except ValueError:
            continue
        if value <= limit:
            return value
    return None


def nik_check(digits: str, limit: dt.date | None = None) -> dict[str, Any] | None:
    """NIK structure: region, birth date (day + 40 for women), serial. ``None`` if it cannot be a NIK."""
    if len(digits) != 16 or _is_dummy(digits):
        return None
    region = region_of(digits)
    if region is None or digits[4:6] == "00" or digits[12:] == "0000":
        return None
    day, month, year = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    sex = "M"
    if day > 40:
        day -= 40
        sex = "F"
    born = _two_digit_date(day, month, year, limit or today())
    if born is None:
        return None
    return {"region": region, "sex": sex, "birth_date": born.isoformat(), "structure": "valid"}


def kk_check(digits: str, limit: dt.date | None = None) -> dict[str, Any] | None:
    """KK structure: region code, then the issue date DDMMYY (no +40), then a family serial."""
    if len(digits) != 16 or _is_dummy(digits):
        return None
    region = region_of(digits)
    if region is None or digits[4:6] == "00" or digits[12:] == "0000":
        return None
    issued = _two_digit_date(int(digits[6:8]), int(digits[8:10]), int(digits[10:12]), limit or today())
    if issued is None:
        return None
    return {"region": region, "issued": issued.isoformat(), "structure": "valid"}


def npwp_check(digits: str) -> dict[str, Any] | None:
    """NPWP: 15 digits (Luhn over the first 9), or 16 (``0`` + 15 digits, or a NIK).

    The second digit of the 15-digit form is the taxpayer type: 0 government treasurer, 1-3 an entity
    (badan), 4-9 an individual; ``taxpayer`` says which.
    """
    if _is_dummy(digits):
        return None
    if len(digits) == 16 and digits[0] != "0":
        nik = nik_check(digits)
        return {"format": "nik_as_npwp", "taxpayer": "individual", **nik} if nik else None
    if len(digits) == 16:
        digits, form = digits[1:], "npwp16"
    elif len(digits) == 15:
        form = "npwp15"
    else:
        return None
    if not stdnum_npwp.is_valid(digits):  # check digit over the first nine digits
        return None
    taxpayer = "individual" if digits[1] in "456789" else "entity"
    return {"format": form, "checksum": "valid", "taxpayer": taxpayer}


def card_check(digits: str) -> dict[str, Any] | None:
    """Payment card: issuer prefix (IIN) and Luhn checksum."""
    if not 13 <= len(digits) <= 19 or _is_dummy(digits) or not _IIN.match(digits) or not luhn_ok(digits):
        return None
    brand = next(name for prefix, name in _CARD_BRANDS if digits.startswith(prefix))
    return {"brand": brand, "checksum": "valid", "iin": "valid"}


def national_phone(digits: str) -> str | None:
    """Digits of an Indonesian number in national form (``08…``, ``021…``), or ``None``."""
    if digits.startswith("62"):
        return "0" + digits[2:]
    if digits.startswith("0") and not digits.startswith("00"):
        return digits
    return None


def _parse_national(national: str) -> phonenumbers.PhoneNumber | None:
    """``phonenumbers.parse(national, "ID")``, built directly for the usual form "0" + a digit from 1 to 9 + digits.

    For that form parsing always strips the national prefix "0" (the Indonesian plan has no number starting
    with "0" and a non-zero digit), leaving what is built here; parsing costs twice the validation itself.
    """
    if national.isascii() and national.isdigit() and national[0] == "0" and national[1:2] not in ("", "0"):
        return phonenumbers.PhoneNumber(country_code=62, national_number=int(national[1:]))
    try:
        return phonenumbers.parse(national, "ID")
    except phonenumbers.NumberParseException:
        return None


@lru_cache(maxsize=8192)
def phone_check(national: str) -> dict[str, Any] | None:
    """Indonesian mobile or landline number validated against the numbering plan (``phonenumbers``)."""
    if not 9 <= len(national) <= 13 or _is_dummy(national[1:]):
        return None
    parsed = _parse_national(national)
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        return None
    kind = "mobile" if phonenumbers.number_type(parsed) in _MOBILE_TYPES else "landline"
    if national.startswith("08") and kind != "mobile":
        kind = "tollfree" if national.startswith(_ORG_PREFIXES) else kind
    return {"kind": kind, "national": national, "numbering_plan": "valid"}


def is_org_phone(national: str) -> bool:
    """Toll-free and premium ranges (0800…, 0804…) are organisation lines."""
    return national.startswith(_ORG_PREFIXES)
