"""Goals for the demo organisation: its names for the business functions, objectives with targets,
a pilot programme, and the past weeks' activity the dashboard measures.

Functions, objectives, targets and the pilot go through the services. The activity (published posts
and the mentions listening stored) happened before the demo existed, so it is written as history:
nothing is sent to a network and no check runs again.
"""

from __future__ import annotations

import random
import uuid
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from juru.accounts.models import BrandAccount, Member, Organisation, Team
from juru.goals import queries, services
from juru.listening.models import Mention, Sentiment
from juru.publishing.models import BusinessFunction, Draft, DraftState, Post, PostState

FUNCTION_NAMES = {
    BusinessFunction.PR: ("Humas", "Menjaga nama baik Nusantara Rasa di media dan di mata publik."),
    BusinessFunction.MARKETING: ("Pemasaran", "Peluncuran produk, promo musiman, dan resep dari dapur kami."),
    BusinessFunction.LEAD_GENERATION: ("Katering Kantor", "Pesanan katering untuk kantor dan acara (B2B)."),
    BusinessFunction.CUSTOMER_CARE: ("Layanan Pelanggan", "Menjawab keluhan dan pertanyaan pelanggan."),
    BusinessFunction.MARKET_RESEARCH: ("Riset Pasar", "Mendengar selera pelanggan untuk produk baru."),
}

OBJECTIVES = [
    (
        BusinessFunction.MARKETING,
        "Peluncuran Sambal Bawang Nusantara",
        {"posts_published": 30, "approval_turnaround_median": 6},
    ),
    (
        BusinessFunction.PR,
        "Sentimen publik tetap positif",
        {"negative_share": 15, "positive_share": 40, "violations": 1},
    ),
    (BusinessFunction.LEAD_GENERATION, "Pesanan katering kantor dari media sosial", {"leads_tagged": 12}),
    (BusinessFunction.CUSTOMER_CARE, "Semua juru bicara terlatih", {"training_coverage": 90}),
]

POSTS = [
    (
        BusinessFunction.MARKETING,
        "Sambal Bawang",
        "Sambal Bawang Nusantara sudah hadir di minimarket terdekat! Pedasnya pas untuk nasi hangat. 🌶️",
    ),
    (
        BusinessFunction.MARKETING,
        "Sambal Bawang",
        "Resep minggu ini: ayam geprek dengan Sambal Bawang Nusantara. Cuma 20 menit!",
    ),
    (
        BusinessFunction.MARKETING,
        "Resep Mingguan",
        "Rendang kemasan kami kini tanpa pengawet tambahan. Selamat mencoba di rumah.",
    ),
    (
        BusinessFunction.PR,
        "",
        "Terima kasih kepada 120 mitra UMKM yang memasok bumbu segar untuk dapur Nusantara Rasa tahun ini.",
    ),
    (BusinessFunction.PR, "", "Dapur kami di Cikarang kembali meraih sertifikat halal dan keamanan pangan."),
    (
        BusinessFunction.LEAD_GENERATION,
        "Katering Kantor",
        "Rapat besar minggu depan? Paket nasi kotak mulai 50 porsi, pesan lewat DM.",
    ),
    (
        BusinessFunction.LEAD_GENERATION,
        "Katering Kantor",
        "Paket katering syukuran kantor kini bisa dipesan H-2. Hubungi tim kami.",
    ),
    (
        BusinessFunction.CUSTOMER_CARE,
        "",
        "Info: layanan pelanggan libur pada hari raya, pesan tetap kami jawab keesokan harinya.",
    ),
    (
        BusinessFunction.MARKET_RESEARCH,
        "",
        "Rasa apa yang ingin kamu lihat berikutnya: rendang pedas atau gulai kambing? Tulis di komentar!",
    ),
]

MENTIONS = [
    (Sentiment.POSITIVE, "Sambal bawangnya nagih banget, beli dua botol sekaligus"),
    (Sentiment.POSITIVE, "Nasi kotak Nusantara Rasa buat rapat kantor enak dan tepat waktu"),
    (Sentiment.POSITIVE, "Rendang kemasannya mirip masakan ibu, mantap"),
    (Sentiment.NEUTRAL, "Ada yang tahu sambal bawang Nusantara Rasa dijual di mana di Bandung?"),
    (Sentiment.NEUTRAL, "Katering Nusantara Rasa minimal pesan berapa porsi ya?"),
    (Sentiment.NEUTRAL, "Lagi lihat promo Nusantara Rasa di minimarket"),
    (Sentiment.NEGATIVE, "Pesanan katering kemarin telat satu jam, kecewa"),
    (Sentiment.NEGATIVE, "Tutup botol sambalnya bocor waktu dikirim"),
]

HISTORY_DAYS = 50


def seed(
    org: Organisation, members: dict[str, Member], teams: dict[str, Team], accounts: dict[str, BrandAccount]
) -> None:
    """Names, objectives, targets and a pilot through the services, then the past weeks' activity."""
    owner = members["owner"]
    for function, (name, description) in FUNCTION_NAMES.items():
        services.save_profile(actor=owner.user, organisation=org, function=function, name=name, description=description)
    today = timezone.localdate()
    quarter_start = queries.previous_month(today.replace(day=1))
    for function, title, targets in OBJECTIVES:
        objective = services.create_objective(
            actor=owner.user, organisation=org, function=function, title=title, created_by=owner,
            period_start=quarter_start, period_end=quarter_start + timedelta(days=89),
        )  # fmt: skip
        for kpi, value in targets.items():
            services.set_target(actor=owner.user, objective=objective, kpi=kpi, value=Decimal(value))
    services.save_pilot(
        actor=owner.user, organisation=org, name="Pilot juru bicara Humas", team=teams["Humas"],
        start=today - timedelta(days=42), end=today + timedelta(days=14),
        lessons="Draf yang memakai templat jawaban Humas hampir selalu disetujui pada putaran pertama.",
    )  # fmt: skip
    _history(org, [members["spokesperson"], members["approver"], members["contributor"]], accounts["@nusantararasa"])


def _history(org: Organisation, authors: list[Member], account: BrandAccount) -> None:
    """About two months of published posts and stored mentions, the same on every run."""
    rng = random.Random(20261)
    now = timezone.now()
    for day in range(HISTORY_DAYS, 0, -1):
        moment = now - timedelta(days=day)
        for _n in range(rng.choice((0, 1, 1, 2))):
            function, campaign, text = rng.choice(POSTS)
            submitted = moment.replace(hour=rng.randint(8, 15), minute=rng.randint(0, 59))
            approved = submitted + timedelta(minutes=rng.randint(20, 60 * 14))
            rounds = rng.choice((1, 1, 1, 2))
            draft = Draft.objects.create(
                organisation=org, author=rng.choice(authors), text=text, campaign=campaign,
                business_function=function, state=DraftState.PUBLISHED, verdict=rng.choice(("allow",) * 5 + ("warn",)),
                review_round=rounds, submitted_at=submitted, approved_at=approved,
            )  # fmt: skip
            Draft.objects.filter(pk=draft.pk).update(created_at=submitted - timedelta(hours=1))
            Post.objects.create(
                organisation=org, draft=draft, account=account, state=PostState.PUBLISHED,
                idempotency_key=uuid.uuid4().hex, remote_id=f"demo-{draft.pk}",
                published_at=approved + timedelta(minutes=5),
            )  # fmt: skip
        batch = uuid.uuid4()
        for n in range(rng.randint(3, 12)):
            sentiment, text = rng.choice(MENTIONS)
            Mention.objects.create(
                organisation=org, account=account, network="sandbox", remote_id=f"demo-{day}-{n}",
                author_handle=f"pelanggan{rng.randint(1, 400)}", text=text, lang="id", sentiment=sentiment,
                sentiment_score=0.8, created_at=moment.replace(hour=rng.randint(6, 22)), batch=batch,
            )  # fmt: skip
