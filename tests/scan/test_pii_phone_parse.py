"""Phone numbers are read without the general parser when their form allows it, with the same result."""

from __future__ import annotations

import random

import phonenumbers

from juru.scan.detectors.pii.validators import _parse_national, phone_check


def test_the_direct_reading_equals_the_parser_on_every_prefix_and_length() -> None:
    rng = random.Random(20260101)
    for prefix in range(10, 1000):  # "0" + every two- and three-digit start that is not "00"
        for length in range(9, 14):
            national = f"0{prefix}" + "".join(rng.choice("0123456789") for _ in range(length))
            national = national[:length]
            if national[1] == "0":
                continue
            parsed = phonenumbers.parse(national, "ID")
            assert _parse_national(national) == parsed, national
            assert phonenumbers.number_type(_parse_national(national)) == phonenumbers.number_type(parsed)


def test_other_forms_still_go_through_the_parser() -> None:
    assert _parse_national("0" * 10) == phonenumbers.parse("0" * 10, "ID")
    assert _parse_national("not a number") is None
    assert phone_check("081234567890") == {"kind": "mobile", "national": "081234567890", "numbering_plan": "valid"}
