"""Scenarios of public traffic for ``juru sandbox traffic`` (DESIGN.md 5.6), written onto the sandbox network.

``normal`` is the everyday mix of the sandbox traffic generator; ``keracunan`` a wave of
food-poisoning complaints from many people; ``spam`` one author posting links again and again;
``critic`` one angry but legitimate customer, once. Each item is a comment under one of the
account's recent posts or a mention of the account, as a real network would receive it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from juru.connectors.sandbox.store import SandboxPost, SandboxStore, check_handle
from juru.connectors.sandbox.traffic import generate

SCENARIOS = ("normal", "keracunan", "spam", "critic")
DEFAULT_COUNT = {"normal": 20, "keracunan": 40, "spam": 6, "critic": 1}

KERACUNAN = (
    "Anak saya keracunan setelah makan {product} dari {brand}, sekarang dirawat di RS {city} 😡",
    "Sekeluarga sakit perut dan muntah-muntah habis makan {product} {brand}. Tolong tanggung jawab!",
    "{product} yang kami beli basi, baunya asam. Kok bisa lolos QC, {brand}?",
    "Ada yang keracunan juga setelah makan {brand}? Di kantor kami {n} orang diare",
    "Hati-hati beli {product} {brand}, teman saya keracunan dan harus diinfus",
    "Keracunan massal di acara kantor, katering pakai {product} {brand}. Mohon diusut!",
    "Sudah {n} orang di grup RT kami sakit perut setelah makan {product} {brand}",
    "My whole family got food poisoning after eating {brand} {product_en}. Who is responsible?",
    "Stomach ache and vomiting all night after your {product_en}, {brand}. Disgusting.",
)
PRODUCTS = ("nasi kotak", "rendang kemasan", "sambal botol", "bakso beku", "kue lapis")
PRODUCTS_EN = ("lunch box", "packaged rendang", "frozen meatballs")
CITIES = ("Makassar", "Medan", "Surabaya", "Bandung", "Bekasi", "Depok")
PEOPLE = (
    "sari.wulandari", "budi_santoso", "dewi.lestari88", "rizky.pratama", "ayu_kartika", "agus.setiawan",
    "putri.anjani", "fajar_nugroho", "nadia.rahman", "kevin.lim", "rina.marlina", "yusuf.hakim",
    "wulan.sari", "hendra.wijaya", "maya.putri", "eko.prasetyo", "indah.permata", "joko.susilo",
    "emily.tan", "jwilliams",
)  # fmt: skip
SPAMMER = "promo_gacor88"
SPAM = (
    "Slot gacor hari ini pasti maxwin! Daftar sekarang di https://gacor88.example/daftar 🔥🔥",
    "Promo gila! Deposit 10rb bonus 100rb, klik https://gacor88.example/bonus",
    "Maxwin tiap hari bosku, link alternatif https://gacor88.example/alt 💰",
    "Gaes yg lagi bokek merapat, auto cuan cuma modal HP 👉 https://gacor88.example/cuan",
    "WD berapapun dibayar lunas 💯 no tipu² bosku, cek https://gacor88.example/wd",
    "Free spin 100x buat member baru!! Buruan sebelum kehabisan 😱 https://gacor88.example/spin",
)
CRITICS = (
    ("pelanggan.kecewa", "Ratna Dewi"),
    ("andi.w", "Andi Wibowo"),
    ("lusi_handayani", "Lusi Handayani"),
)
CRITIC = (
    "Saya sudah tiga kali menghubungi CS {brand} soal pesanan yang salah kirim dan belum ada jawaban sama "
    "sekali. Sangat mengecewakan, padahal saya pelanggan setia. Tolong segera ditindaklanjuti.",
    "Jujur kecewa banget sama {brand}. {product} yang saya pesan datang telat 5 hari, kemasannya penyok, "
    "dan refund dijanjikan minggu lalu sampai sekarang belum masuk. Please fix this 😞",
    "Harga {product} naik terus tapi porsinya makin kecil. Ini bukan pertama kali, {brand}. Kalau begini "
    "saya pindah ke merek lain saja. Kecewa berat.",
)
NAMES = {SPAMMER: "PROMO GACOR", **dict(CRITICS)}
# The demo's gentle background stream: a few everyday comments, never abuse (they would earn strikes).
BACKGROUND_KINDS = ("praise", "question", "complaint")
BACKGROUND_MAX_PER_RUN = 3
BACKGROUND_DAILY_CAP = 300
FIRST_COMMENTS = 4  # what each demo account has heard before the background stream's first run


@dataclass(frozen=True, slots=True)
class Written:
    """One item written onto the network, with the scenario that wrote it."""

    post: SandboxPost
    scenario: str


def _deliver(store: SandboxStore, handle: str, author: str, text: str, rng: random.Random) -> SandboxPost | None:
    """Comment under one of the account's recent posts (or mention it when it has none)."""
    if store.is_blocked(handle, author):
        return None  # a blocked author cannot comment on this account any more
    targets = [post.id for post in store.timeline(handle, limit=10)]
    name = NAMES.get(author, "")
    if targets and rng.random() < 0.7:
        return store.comment(author, rng.choice(targets), text, author_name=name)
    post, _ = store.publish(author, f"@{handle} {text}", author_name=name)
    return post


def _texts(scenario: str, brand: str, count: int, rng: random.Random) -> list[tuple[str, str]]:
    """(author, text) pairs for the scenario."""
    if scenario == "keracunan":
        return [
            (
                rng.choice(PEOPLE),
                rng.choice(KERACUNAN).format(
                    brand=brand, product=rng.choice(PRODUCTS), product_en=rng.choice(PRODUCTS_EN),
                    city=rng.choice(CITIES), n=rng.randint(3, 25),
                ),
            )
            for _ in range(count)
        ]  # fmt: skip
    if scenario == "spam":
        first = rng.randrange(len(SPAM))
        return [(SPAMMER, SPAM[(first + i) % len(SPAM)]) for i in range(count)]
    author, _name = rng.choice(CRITICS)
    return [(author, rng.choice(CRITIC).format(brand=brand, product=rng.choice(PRODUCTS)))]


def run(
    store: SandboxStore,
    handle: str,
    *,
    scenario: str = "normal",
    count: int | None = None,
    minutes: float = 0.0,
    seed: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Written]:
    """Write the scenario's items onto the network, spread evenly over ``minutes`` (0: all at once)."""
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; choose one of {', '.join(SCENARIOS)}")
    handle = check_handle(handle)
    total = DEFAULT_COUNT[scenario] if count is None else count
    if total < 1:
        raise ValueError("the number of items must be at least 1")
    rng = random.Random(seed)
    pause = minutes * 60.0 / total if minutes > 0 else 0.0
    if scenario == "normal":
        out = []
        for index in range(total):
            if pause and index:
                sleep(pause)
            made = generate(store, handle, count=1, seed=rng.randrange(1 << 30))
            out += [Written(item.post, scenario) for item in made]
        return out
    brand = store.display_name(handle) or handle
    written = []
    for index, (author, text) in enumerate(_texts(scenario, brand, total, rng)):
        if pause and index:
            sleep(pause)
        post = _deliver(store, handle, author, text, rng)
        if post is not None:
            written.append(Written(post, scenario))
    return written


def background(store: SandboxStore, handle: str, *, rng: random.Random | None = None) -> list[Written]:
    """A few everyday comments for one account (0 to 3), none once it got its daily share."""
    handle = check_handle(handle)
    rng = rng or random.Random()
    since = store.clock() - timedelta(days=1)
    room = BACKGROUND_DAILY_CAP - store.received_since(handle, since)
    count = min(rng.randint(0, BACKGROUND_MAX_PER_RUN), max(room, 0))
    if count < 1:
        return []
    made = generate(store, handle, count=count, seed=rng.randrange(1 << 30), kinds=BACKGROUND_KINDS)
    return [Written(item.post, "background") for item in made]


def first_comments(store: SandboxStore, handle: str, *, seed: int = 7) -> list[Written]:
    """A few everyday comments for a new demo account, so its inbox has conversations from the first poll."""
    made = generate(store, check_handle(handle), count=FIRST_COMMENTS, seed=seed, kinds=BACKGROUND_KINDS)
    return [Written(item.post, "background") for item in made]
