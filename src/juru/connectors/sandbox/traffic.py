"""Realistic incoming traffic for the sandbox: what the public says to a brand, in Indonesian and English.

Used by demos and by tests of listening, routing and moderation. Spammers and abusers come from a
small pool so that they repeat themselves, as they do in real life (moderation counts strikes).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from juru.connectors.sandbox.store import SandboxPost, SandboxStore, check_handle

KINDS = ("praise", "question", "complaint", "spam", "abuse")
WEIGHTS = (30, 25, 25, 10, 10)

# (handle, display name); spam and abuse pools are deliberately small.
AUTHORS: dict[str, Sequence[tuple[str, str]]] = {
    "public": (
        ("sari.wulandari", "Sari Wulandari"),
        ("budi_santoso", "Budi Santoso"),
        ("dewi.lestari88", "Dewi Lestari"),
        ("rizky.pratama", "Rizky Pratama"),
        ("ayu_kartika", "Ayu Kartika"),
        ("agus.setiawan", "Agus Setiawan"),
        ("putri.anjani", "Putri Anjani"),
        ("fajar_nugroho", "Fajar Nugroho"),
        ("emily.tan", "Emily Tan"),
        ("jwilliams", "James Williams"),
        ("nadia.rahman", "Nadia Rahman"),
        ("kevin.lim", "Kevin Lim"),
    ),
    "spam": (("promo_gacor88", "PROMO GACOR"), ("danacepat.id", "Dana Cepat"), ("followback_now", "Follow Back")),
    "abuse": (("anon_kesel", "anon"), ("trollmaster99", "troll")),
}

PRODUCTS = ("paket data", "aplikasi", "kartu kredit", "tabungan", "layanan antar", "voucher")
PRODUCTS_EN = ("data plan", "app", "credit card", "savings account", "delivery service", "voucher")
CITIES = ("Makassar", "Medan", "Surabaya", "Bandung", "Denpasar", "Balikpapan")

TEMPLATES: dict[tuple[str, str], Sequence[str]] = {
    ("praise", "id"): (
        "Pelayanan {brand} cepat banget, makasih ya min! 🙏",
        "Suka banget sama {product} yang baru 😍",
        "Mantap, pesanan sampai sehari lebih cepat dari jadwal. Sukses terus!",
        "Baru pertama coba {product} dari {brand}, ternyata memuaskan 👍",
        "Terima kasih CS {brand} yang sabar banget bantu saya kemarin.",
    ),
    ("praise", "en"): (
        "Great service from {brand}, thank you! 🙌",
        "Loving the new {product}, works like a charm 😍",
        "Support sorted my issue in ten minutes. Impressed!",
        "Best customer care I've had this year, well done {brand}.",
    ),
    ("question", "id"): (
        "Min, {product} bisa dikirim ke {city} nggak?",
        "Kapan promo akhir bulan mulai ya?",
        "Cara ganti alamat pengiriman gimana ya min?",
        "Halo {brand}, jam operasional CS sampai jam berapa?",
        "Apakah {product} ada garansinya? Berapa lama?",
    ),
    ("question", "en"): (
        "Does {product} ship to {city}?",
        "When does the end-of-month promo start?",
        "How do I change my delivery address?",
        "Hi {brand}, what are your customer service hours?",
    ),
    ("complaint", "id"): (
        "Pesanan #{order} belum sampai padahal sudah {days} hari, tolong dicek min",
        "Kecewa, {product} yang datang rusak. Minta refund!",
        "CS nggak bales-bales dari kemarin, gimana sih {brand}?",
        "Saldo saya terpotong dua kali, tolong segera diproses 😡",
        "Aplikasinya error terus sejak update, nggak bisa login.",
    ),
    ("complaint", "en"): (
        "Order #{order} still hasn't arrived after {days} days. Please check.",
        "Very disappointed, my {product} arrived broken. I want a refund!",
        "I was charged twice and nobody answers. Fix this {brand} 😡",
        "The app keeps crashing since the last update.",
    ),
    ("spam", "id"): (
        "Slot gacor hari ini pasti maxwin! Daftar sekarang, link di bio 🔥🔥",
        "Butuh dana cepat? Pinjaman tanpa BI checking, cair 5 menit. DM sekarang!",
        "Follow balik ya kak, cek promo menarik di bio 😘",
    ),
    ("spam", "en"): (
        "Make $500 a day from home!!! Link in bio 💰💰",
        "Free followers, DM me now 🔥",
    ),
    ("abuse", "id"): (
        "Dasar admin goblok, kerja nggak becus!",
        "{brand} penipu, bangsat semua!",
        "Anjing lah pelayanan kalian, tolol!",
    ),
    ("abuse", "en"): (
        "You people are useless idiots.",
        "Worst company ever, bunch of clowns and scammers, screw you {brand}!",
    ),
}


@dataclass(frozen=True, slots=True)
class Incoming:
    """One generated item and what it is meant to be (for demos and test assertions)."""

    post: SandboxPost
    kind: str
    lang: str


def _text(rng: random.Random, kind: str, lang: str, brand: str) -> str:
    products = PRODUCTS if lang == "id" else PRODUCTS_EN
    template = rng.choice(TEMPLATES[(kind, lang)])
    return template.format(
        brand=brand,
        product=rng.choice(products),
        city=rng.choice(CITIES),
        order=rng.randint(100000, 999999),
        days=rng.randint(3, 14),
    )


def generate(
    store: SandboxStore,
    handle: str,
    *,
    count: int = 10,
    seed: int | None = None,
    indonesian_share: float = 0.6,
    kinds: Sequence[str] = KINDS,
) -> list[Incoming]:
    """Post ``count`` comments (on the account's recent posts) and mentions of ``handle``."""
    handle = check_handle(handle)
    unknown = set(kinds) - set(KINDS)
    if unknown or not kinds:
        raise ValueError(f"unknown kinds {sorted(unknown)}; choose from {', '.join(KINDS)}")
    rng = random.Random(seed)
    brand = store.display_name(handle) or handle
    targets = [post.id for post in store.timeline(handle, limit=10)]
    weights = [WEIGHTS[KINDS.index(kind)] for kind in kinds]
    made = []
    for _ in range(count):
        kind = rng.choices(list(kinds), weights)[0]
        lang = "id" if rng.random() < indonesian_share else "en"
        author, name = rng.choice(AUTHORS.get(kind, AUTHORS["public"]))
        text = _text(rng, kind, lang, brand)
        if targets and rng.random() < 0.75:
            target = rng.choice(targets)
            if store.is_blocked(handle, author):
                continue  # a blocked author cannot comment; they fall silent on this account
            made.append(Incoming(post=store.comment(author, target, text, author_name=name), kind=kind, lang=lang))
            continue
        mention, _ = store.publish(author, f"@{handle} {text}", author_name=name)
        assert mention is not None
        made.append(Incoming(post=mention, kind=kind, lang=lang))
    return made


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m juru.connectors.sandbox.traffic HANDLE``: add demo comments and mentions for an account."""
    import argparse

    parser = argparse.ArgumentParser(description="Post realistic public comments and mentions to a sandbox account.")
    parser.add_argument("handle", help="the sandbox account that receives the traffic, e.g. tokoku")
    parser.add_argument("--count", type=int, default=20, help="how many items (default 20)")
    parser.add_argument("--seed", type=int, default=None, help="repeatable output for a given seed")
    parser.add_argument("--path", default=None, help="sandbox file (default $JURU_DATA_DIR/sandbox.sqlite3)")
    parser.add_argument("--kinds", default=",".join(KINDS), help=f"comma-separated subset of {','.join(KINDS)}")
    args = parser.parse_args(argv)
    try:
        made = generate(
            SandboxStore(args.path), args.handle, count=args.count, seed=args.seed, kinds=args.kinds.split(",")
        )
    except ValueError as error:
        parser.error(str(error))
    for item in made:
        print(f"{item.kind:9} {item.lang}  @{item.post.author}: {item.post.text}")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
