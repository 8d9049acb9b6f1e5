"""A seeded generator of realistic short social-media posts for the scan benchmark.

About 200 characters each, Indonesian, English and code-mixed: customer-care replies, brand posts and
customer complaints. Some carry personal data (NIK, phone, e-mail, card, account, address), some
profanity, health or finance claims, and many carry numbers that are not personal data (prices,
order ids, waybills, dates). All identifiers are made up here from the seed.

    .venv/bin/python bench/corpus.py --n 5 --seed 7      # print a few posts
"""

from __future__ import annotations

import argparse
import random

NAMES = ["Rina", "Budi", "Siti", "Agus", "Dewi", "Andi", "Putri", "Yoga", "Maya", "Joko", "Sarah", "Kevin"]
SURNAMES = ["Wulandari", "Santoso", "Pratama", "Siregar", "Hidayat", "Lestari", "Nugroho", "Tanjung"]
BRANDS = ["TelkoNusa", "BankSentosa", "OjekKu", "SehatFarma", "BelanjaKu", "GadgetMart"]
STREETS = ["Melati", "Merdeka", "Sudirman", "Diponegoro", "Kenanga", "Gatot Subroto", "Pahlawan"]
CITIES = [("Kota Bandung", "40132"), ("Kab. Sleman", "55281"), ("Kota Medan", "20112"), ("Kab. Gowa", "92111")]
REGIONS = ["3171", "3273", "3578", "1271", "6471", "6501", "7371", "5171", "9471", "9601", "3404", "1671"]
OPENERS_ID = [
    "Halo Kak {name}, mohon maaf atas ketidaknyamanannya.",
    "Hai Kak {name}, terima kasih sudah menunggu ya.",
    "Selamat pagi Kak {name}, pesanan Kakak sedang kami proses.",
    "@{brand_l} min tolong dong,",
    "Promo spesial dari {brand}!",
]
OPENERS_EN = [
    "Hi {name}, sorry for the trouble.",
    "Thanks for reaching out, {name}!",
    "Good morning {name}, your order is being processed.",
    "@{brand_l} hey, still waiting here,",
    "Big news from {brand}!",
]
FILLERS_ID = [
    "Pesanan {order} dikirim hari ini, resi {resi}.",
    "Total belanja Rp {price} sudah kami terima pada {date}.",
    "Tim kami akan menghubungi dalam 2x24 jam.",
    "Diskon 50% sampai {date}, kode promo HEMAT{num2}.",
    "Gangguan jaringan sejak {date} jam {time} sudah pulih.",
    "Mohon ditunggu ya Kak, laporan tercatat dengan nomor {ticket}.",
    "Call center resmi kami 1500-{num3} atau email cs@{brand_l}.co.id.",
]
FILLERS_EN = [
    "Order {order} ships today, waybill {resi}.",
    "Your payment of Rp{price} was received on {date}.",
    "Our team will reach you within 24 hours.",
    "Get 50% off until {date} with code SAVE{num2}.",
    "The outage since {date} {time} has been resolved.",
    "Your ticket number is {ticket}, please keep it.",
    "Our official contact is 1500-{num3} or hello@{brand_l}.com.",
]
PII_ID = [
    "NIK saya {nik}, tolong dicek.",
    "Hubungi aku di {phone} ya.",
    "Email saya {email}.",
    "Refund ke rekening BCA {bca} a.n. {full}.",
    "Kirim ke alamat Jl. {street} No. {num2}, RT 0{d}/RW 0{d}, {city} {postcode}.",
    "Kartu kredit {card} kena tagihan ganda.",
    "Tanggal lahir {full}: {dob}.",
]
PII_EN = [
    "My ID number (NIK) is {nik}, please check.",
    "Call me at {phone} please.",
    "My email is {email}.",
    "Please refund to my BCA account {bca}.",
    "Charged twice on my card {card}!",
]
PROFANITY = ["anjing banget pelayanannya", "bangsat, lama banget", "this is bullshit", "goblok semua adminnya"]
CLAIMS = [
    "Dijamin pasti untung 20% per bulan tanpa risiko!",
    "Obat herbal ini menyembuhkan segala penyakit.",
    "Produk terbaik nomor 1 di Indonesia.",
    "Guaranteed returns, zero risk, double your money.",
]
CLOSERS = ["🙏", "^Rina", "Terima kasih 😊", "#promo", "😡😡", "Thanks!", "^CS", ""]


def _luhn_complete(rng: random.Random, prefix: str, length: int) -> str:
    body = prefix + "".join(str(rng.randrange(10)) for _ in range(length - len(prefix) - 1))
    for check in "0123456789":
        digits = body + check
        total = 0
        for i, ch in enumerate(reversed(digits)):
            n = int(ch) * (2 if i % 2 else 1)
            total += n - 9 if n > 9 else n
        if total % 10 == 0:
            return digits
    raise AssertionError("unreachable")


def _fields(rng: random.Random, brand: str) -> dict[str, str]:
    name = rng.choice(NAMES)
    day = rng.randrange(1, 29)
    female = rng.random() < 0.5
    nik = (
        rng.choice(REGIONS)
        + f"{rng.randrange(1, 20):02d}"
        + f"{day + (40 if female else 0):02d}{rng.randrange(1, 13):02d}{rng.randrange(60, 100):02d}"
        + f"{rng.randrange(1, 300):04d}"
    )
    phone_digits = f"08{rng.choice('1257')}{rng.randrange(1, 10)}{rng.randrange(10**7, 10**8)}"
    phone = rng.choice(
        [
            phone_digits,
            f"{phone_digits[:4]}-{phone_digits[4:8]}-{phone_digits[8:]}",
            f"+62 {phone_digits[1:4]} {phone_digits[4:8]} {phone_digits[8:]}",
            f"{phone_digits[:4]} {phone_digits[4:8]} {phone_digits[8:]}",
        ]
    )
    card = _luhn_complete(rng, rng.choice(["4", "51", "52", "3528"]), 16)
    city, postcode = rng.choice(CITIES)
    return {
        "name": name,
        "full": f"{name} {rng.choice(SURNAMES)}",
        "brand": brand,
        "brand_l": brand.lower(),
        "order": f"ORD-{rng.randrange(10**10, 10**11)}",
        "resi": f"JP{rng.randrange(10**9, 10**10)}",
        "price": f"{rng.randrange(10, 999)}.{rng.randrange(0, 1000):03d}",
        "date": f"{rng.randrange(1, 29)}/{rng.randrange(1, 13):02d}/2026",
        "time": f"{rng.randrange(0, 24):02d}:{rng.randrange(0, 60):02d}",
        "ticket": f"{rng.randrange(10**9, 10**10)}",
        "num2": f"{rng.randrange(10, 99)}",
        "num3": f"{rng.randrange(100, 999)}",
        "d": str(rng.randrange(1, 9)),
        "nik": nik,
        "phone": phone,
        "email": f"{name.lower()}.{rng.randrange(70, 99)}@gmail.com",
        "bca": f"{rng.randrange(10**9, 10**10)}",
        "card": " ".join(card[i : i + 4] for i in range(0, 16, 4)),
        "street": rng.choice(STREETS),
        "city": city,
        "postcode": postcode,
        "dob": f"{day} Mei 19{rng.randrange(60, 99)}",
    }


def generate(n: int = 3000, seed: int = 20260101) -> list[str]:
    """``n`` posts, the same for the same seed."""
    rng = random.Random(seed)
    posts: list[str] = []
    for _ in range(n):
        brand = rng.choice(BRANDS)
        f = _fields(rng, brand)
        lang = rng.choices(["id", "en", "mix"], weights=[6, 2, 2])[0]
        english = lang == "en" or (lang == "mix" and rng.random() < 0.5)
        parts = [rng.choice(OPENERS_EN if english else OPENERS_ID)]
        fillers = FILLERS_EN if english else FILLERS_ID
        parts.extend(rng.sample(fillers, 2))
        roll = rng.random()
        if roll < 0.25:
            parts.append(rng.choice(PII_EN if english else PII_ID))
        elif roll < 0.33:
            parts.append(rng.choice(PROFANITY))
        elif roll < 0.40:
            parts.append(rng.choice(CLAIMS))
        if lang == "mix":
            parts.append(rng.choice(FILLERS_ID if english else FILLERS_EN))
        parts.append(rng.choice(CLOSERS))
        post = " ".join(p for p in parts if p).format(**f)
        posts.append(post[:320])
    return posts


def main() -> None:
    """Print a few posts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20260101)
    args = parser.parse_args()
    for post in generate(args.n, args.seed):
        print(f"{len(post):4d} {post}")


if __name__ == "__main__":
    main()
