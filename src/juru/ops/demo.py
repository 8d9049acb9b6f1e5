"""The demo organisation "PT Nusantara Rasa" (a food brand), built through the services.

Passwords and TOTP secrets are derived from the installation's SECRET_KEY, so re-running
``juru demo`` prints the same logins without storing them, and no two installations share them.
"""

from __future__ import annotations

import hashlib
import hmac
from base64 import b32encode
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from juru.accounts import services
from juru.accounts.models import AccountType, BrandAccount, ConnectionStatus, Member, Organisation, Role, Team
from juru.advocacy import services as advocacy
from juru.crisis import services as crisis_services
from juru.goals import demo as goals_demo
from juru.governance import queries as governance_queries
from juru.governance import services as governance
from juru.governance import starter
from juru.listening import services as listening
from juru.publishing.services.chains import configure_default_chains

ORG_NAME = "PT Nusantara Rasa"
ORG_SLUG = "nusantara-rasa"


@dataclass(frozen=True)
class Person:
    username: str
    first_name: str
    last_name: str
    role: str
    two_factor: bool
    signs_policy: bool = True
    note: str = ""


PEOPLE = [
    Person("owner", "Sri", "Wahyuni", Role.OWNER, True, note="head of communications"),
    Person("admin", "Budi", "Santoso", Role.ADMIN, True, note="IT security; Django admin"),
    Person("approver", "Rina", "Kusuma", Role.APPROVER, True, note="PR approver"),
    Person("compliance", "Hendra", "Wijaya", Role.APPROVER, True, note="compliance approver"),
    Person("legal", "Maya", "Sari", Role.APPROVER, True, note="legal approver"),
    Person("spokesperson", "Dimas", "Pratama", Role.SPOKESPERSON, True, note="eligible on @nusantararasa"),
    Person("responder", "Ayu", "Lestari", Role.RESPONDER, True, note="customer care; moderates comments"),
    Person(
        "marketer",
        "Fajar",
        "Nugroho",
        Role.SPOKESPERSON,
        True,
        False,
        note="NOT eligible: unsigned policy, no training",
    ),
    Person("contributor", "Dewi", "Anggraini", Role.CONTRIBUTOR, True, note="employee advocate"),
    Person("viewer", "Agus", "Setiawan", Role.VIEWER, False, note="read only"),
]

TEAMS = [
    ("Tim Krisis", "crisis", [("owner", True), ("spokesperson", False), ("approver", False)]),
    ("Layanan Pelanggan", "customer_care", [("responder", True), ("spokesperson", False)]),
    ("Humas", "pr", [("approver", True), ("spokesperson", False)]),
    ("Legal", "legal", [("legal", True)]),
    ("Pemasaran", "marketing", [("marketer", True), ("contributor", False)]),
    ("Kepatuhan", "compliance", [("compliance", True)]),
]

ACCOUNTS = [
    ("@nusantararasa", "Nusantara Rasa", AccountType.BRAND, None),
    ("@nusantararasa_care", "Nusantara Rasa Peduli", AccountType.BRAND, None),
    ("@dewi.masak", "Dewi Anggraini", AccountType.PERSONAL, "contributor"),
]

# (account handle, permission, holder): holders starting with "team:" are teams.
GRANTS = [
    ("@nusantararasa", "publish", "spokesperson"),
    ("@nusantararasa", "reply", "spokesperson"),
    ("@nusantararasa", "draft", "team:Pemasaran"),
    ("@nusantararasa", "publish", "team:Pemasaran"),
    ("@nusantararasa", "approve", "team:Humas"),
    ("@nusantararasa", "approve", "team:Kepatuhan"),
    ("@nusantararasa", "approve", "team:Legal"),
    ("@nusantararasa", "publish", "team:Tim Krisis"),
    ("@nusantararasa_care", "reply", "team:Layanan Pelanggan"),
    ("@nusantararasa_care", "publish", "spokesperson"),
    ("@nusantararasa_care", "approve", "approver"),
    ("@dewi.masak", "draft", "contributor"),
    ("@dewi.masak", "publish", "contributor"),
    ("@nusantararasa", "moderate", "team:Layanan Pelanggan"),
    ("@nusantararasa_care", "moderate", "team:Layanan Pelanggan"),
]

# "Hide spam at once; three strikes in seven days and the author is banned" (the policy's conflict section).
MODERATION_POLICY = {
    "hide_spam": True, "hide_abuse": False, "ban_mode": "automatic", "threshold": 3, "window_days": 7,
    "spam_weight": 1, "abuse_weight": 1, "hate_weight": 2,
}  # fmt: skip

ORG_CONFIG = {
    "brand_names": ["Nusantara Rasa", "NusantaraRasa", "Rasa Nusantara Sambal", "Kopi Nusantara Rasa"],
    "competitor_names": ["Rasa Prima", "Dapur Jaya", "Sambal Juara"],
    "confidential_terms": ["Proyek Rendang Emas", "Proyek Sambal Api", "harga baru Q3"],
    "allowed_phones": ["+62 21 5550 1234", "0800 1234 567"],
    "allowed_emails": ["halo@nusantararasa.example", "pers@nusantararasa.example"],
    "brand_voice_samples": [
        "Halo Sobat Rasa! Sambal Nusantara Rasa kini hadir dalam kemasan baru. Cek toko terdekat, ya!",
        "Terima kasih atas masukannya, Kak. Tim kami akan segera menghubungi lewat pesan langsung.",
        "Selamat menikmati rendang khas Minang dari dapur Nusantara Rasa untuk keluarga di rumah.",
    ],
}


# Listening: the brand with its products in one query (so a complaint wave is one alert about
# "Nusantara Rasa"), and the competitors. (name, kind, terms, exclusions)
LISTENING_QUERIES = [
    (
        "Nusantara Rasa",
        "brand",
        "Nusantara Rasa\nNusantaraRasa\n@nusantararasa\n@nusantararasa_care\nRasa Nusantara Sambal\n"
        "Kopi Nusantara Rasa\nrendang kemasan\nsambal botol\nnasi kotak\nbakso beku\nkue lapis",
        "lowongan kerja\nloker",
    ),
    ("Pesaing", "competitor", "Rasa Prima\nDapur Jaya\nSambal Juara", ""),
]


@dataclass(frozen=True)
class Login:
    """One printed line of the demo logins."""

    username: str
    name: str
    role: str
    password: str
    totp_secret: str
    otpauth_uri: str
    note: str


def _derive(purpose: str, username: str) -> bytes:
    message = f"juru-demo:{purpose}:{username}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()


def demo_password(username: str) -> str:
    """This installation's demo password for ``username``."""
    raw = b32encode(_derive("password", username)).decode("ascii").lower()[:12]
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def demo_totp_key(username: str) -> str:
    """This installation's TOTP key (40 hex digits) for ``username``."""
    return _derive("totp", username)[:20].hex()


def exists() -> bool:
    """True if the demo organisation is already there."""
    return Organisation.objects.filter(slug=ORG_SLUG).exists()


@transaction.atomic
def create() -> Organisation:
    """Create the whole demo organisation (all or nothing); reuse it if it exists."""
    existing = Organisation.objects.filter(slug=ORG_SLUG).first()
    if existing is not None:
        return existing
    org = services.create_organisation(actor=None, name=ORG_NAME, slug=ORG_SLUG)
    members = {person.username: _create_person(org, person) for person in PEOPLE}
    teams = _create_teams(org, members)
    accounts = _create_accounts(org, members)
    for handle, permission, holder in GRANTS:
        team = teams.get(holder.removeprefix("team:")) if holder.startswith("team:") else None
        member = None if team is not None else members[holder]
        services.set_grant(actor=None, account=accounts[handle], permission=permission, member=member, team=team)
    _create_governance(org, members)
    configure_default_chains(org, members["owner"])  # @nusantararasa: PR, then compliance
    _create_advocacy(members["approver"])
    for name, kind, terms, exclusions in LISTENING_QUERIES:
        listening.create_query(actor=None, organisation=org, name=name, kind=kind, terms=terms, exclusions=exclusions)
    goals_demo.seed(org, members, teams, accounts)
    _create_past_crisis(members["owner"])
    _create_moderation(org, members["owner"])
    _create_inbox(org, teams, members)
    _create_saved_replies(members)
    _start_traffic()
    return org


def _start_traffic() -> None:
    """The first everyday comments on the brand accounts: the first poll turns them into conversations."""
    from juru.sandbox.tasks import start_background

    start_background()


def _create_moderation(org: Organisation, owner: Member) -> None:
    """The moderation policy (strikes then come from the traffic the sandbox scenarios write)."""
    from juru.moderation.services.policy import update_policy

    update_policy(actor=owner.user, organisation=org, **MODERATION_POLICY)


# (title, topics, holding statement, Indonesian, English, approved): written by PR, approved by compliance.
SAVED_REPLIES = [
    (
        "Permintaan maaf: pesanan terlambat",
        ["pengiriman", "maaf"],
        False,
        "Mohon maaf atas keterlambatan pesanannya, Kak {nama}. Pesanan {nomor_pesanan} sedang kami cek dan kami "
        "kabari secepatnya ya.",
        "We're sorry your order is late, {nama}. We're checking order {nomor_pesanan} and will update you shortly.",
        True,
    ),
    (
        "Sudah dihubungi lewat DM",
        ["layanan"],
        False,
        "Halo Kak {nama}, kami sudah menghubungi Anda lewat DM ya. Mohon cek kotak pesannya.",
        "Hi {nama}, we've contacted you by direct message. Please check your inbox.",
        True,
    ),
    (
        "Keamanan pangan: pernyataan sementara",
        ["keamanan pangan", "krisis"],
        True,
        "Kami menanggapi laporan ini dengan sangat serius dan sedang menyelidikinya bersama tim keamanan pangan "
        "kami. Mohon kirim detail pembelian lewat DM agar kami bisa segera menindaklanjuti.",
        "We take this report very seriously and are investigating it with our food safety team. Please send your "
        "purchase details by direct message so we can follow up right away.",
        True,
    ),
    (
        "Terima kasih atas masukan",
        ["masukan"],
        False,
        "Terima kasih atas masukannya, Kak {nama}! Sudah kami teruskan ke tim dapur Nusantara Rasa.",
        "Thank you for the feedback, {nama}! We've passed it on to the Nusantara Rasa kitchen team.",
        True,
    ),
    (
        "Penggantian produk rusak",
        ["pengembalian"],
        False,
        "Kak {nama}, produk yang rusak akan kami ganti. Mohon kirim foto produk dan struknya lewat DM ya.",
        "{nama}, we'll replace the damaged product. Please send a photo of it and the receipt by direct message.",
        False,
    ),
]


def _create_saved_replies(members: dict[str, Member]) -> None:
    """Saved replies the responders can pick, one still waiting for compliance."""
    from juru.replies import services as replies

    for title, tags, holding, text_id, text_en, approved in SAVED_REPLIES:
        saved = replies.create_saved_reply(
            actor=members["approver"], title=title, text_id=text_id, text_en=text_en, tags=tags, is_holding=holding
        )
        if approved:
            replies.approve_saved_reply(saved, actor=members["compliance"])


def _create_person(org: Organisation, person: Person) -> Member:
    user_model = get_user_model()
    is_new = not user_model.objects.filter(username=person.username).exists()
    member = services.create_member(
        actor=None,
        organisation=org,
        username=person.username,
        role=person.role,
        email=f"{person.username}@nusantararasa.example",
        first_name=person.first_name,
        last_name=person.last_name,
        password=demo_password(person.username) if is_new else None,
    )
    user = member.user
    if is_new and person.username == "admin":
        user.is_staff = user.is_superuser = True  # type: ignore[union-attr]  # the default User model
        user.save(update_fields=["is_staff", "is_superuser"])
    if person.two_factor and not services.has_two_factor(user):
        enrolment = services.start_totp_enrolment(actor=user, key=demo_totp_key(person.username))
        device = enrolment.device
        code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        services.confirm_totp_enrolment(actor=user, device=device, token=f"{code:0{device.digits}d}")
    return member


def _create_teams(org: Organisation, members: dict[str, Member]) -> dict[str, Team]:
    teams = {}
    for name, kind, people in TEAMS:
        team = services.create_team(actor=None, organisation=org, name=name, kind=kind)
        for username, lead in people:
            services.add_team_member(actor=None, team=team, member=members[username], is_lead=lead)
        teams[name] = team
    return teams


def _create_accounts(org: Organisation, members: dict[str, Member]) -> dict[str, BrandAccount]:
    accounts = {}
    for handle, name, kind, owner in ACCOUNTS:
        accounts[handle] = services.create_brand_account(
            actor=None,
            organisation=org,
            network="sandbox",
            handle=handle,
            display_name=name,
            account_type=kind,
            owner_member=members[owner] if owner else None,
            credentials={"token": f"sandbox-{handle.lstrip('@')}"},
            connection_status=ConnectionStatus.CONNECTED,
        )
    return accounts


def _create_governance(org: Organisation, members: dict[str, Member]) -> None:
    """The policy from the template with the demo's rule side, the three starter modules; everyone but
    ``marketer`` has signed and trained."""
    owner = members["owner"].user
    policy = governance.publish_policy_version(
        actor=owner, organisation=org, title="Kebijakan Media Sosial",
        body_id=starter.policy_text(org.name, "id"), body_en=starter.policy_text(org.name, "en"), config=ORG_CONFIG,
    )  # fmt: skip
    modules = governance.install_starter_modules(actor=owner, organisation=org)
    for person in PEOPLE:
        member = members[person.username]
        if not person.signs_policy:
            continue
        governance.sign_policy(actor=member.user, member=member, policy_version=policy, full_name=member.display_name)
        for module in modules:
            governance.record_training_completion(actor=member.user, member=member, module=module, score=100)
    _create_violations(members, {module.code: module for module in modules})


def _create_violations(members: dict[str, Member], modules: dict[str, Any]) -> None:
    """The suggested consequence ladder (retraining in confidentiality), a reply that earned a warning and
    a reported post still under investigation; nobody is suspended, so the demo people can all speak."""
    owner = members["owner"]
    governance.install_suggested_ladder(actor=owner, module=modules.get("kerahasiaan-data"))
    warning = next(s for s in governance_queries.ladder(owner.organisation) if s.consequence == "warning")
    rude = governance.open_case(
        actor=members["approver"], member=members["responder"], source="manual", rules=["core.negative-reply"],
        severity="medium", content="Kak, kalau tidak suka sambalnya ya jangan beli lagi. Jangan lebay.",
        reason="Balasan ketus ke pelanggan di @nusantararasa_care, dilaporkan tim Humas.",
    )  # fmt: skip
    rude = governance.start_investigation(actor=owner, case=rude)
    governance.add_note(actor=owner, case=rude, text="Sudah bicara dengan Ayu; pelanggan sudah diminta maaf.")
    rude = governance.decide_case(
        actor=owner, case=rude, step=warning,
        note="Peringatan tertulis. Balas keluhan dengan empati dan tawarkan solusi lewat pesan langsung.",
    )  # fmt: skip
    governance.close_case(actor=owner, case=rude)
    governance.open_case(
        actor=members["compliance"], member=members["contributor"], source="manual",
        rules=["core.confidential"], severity="high",
        content="Bocoran dikit ya: Proyek Sambal Api bakal rilis bulan depan, rasanya pedas banget!",
        reason="Unggahan di @dewi.masak menyebut nama proyek yang masih rahasia.",
    )  # fmt: skip


# The advocacy library: company news employees may share (each passes the check as the brand says it).
ADVOCACY_ITEMS = [
    (
        "Rendang kotak untuk kantor",
        "Nusantara Rasa kini punya rendang kotak untuk makan siang kantor, pesan mulai Senin.",
    ),
    ("Dapur terbuka", "Sabtu ini dapur Nusantara Rasa di Bandung terbuka untuk umum: lihat cara kami memasak."),
]


def _create_advocacy(curator: Member) -> None:
    """Two posts in the advocacy library, added by the PR approver."""
    for title, text in ADVOCACY_ITEMS:
        advocacy.add_item(actor=curator, title=title, text=text)


def _create_past_crisis(lead: Member) -> None:
    """Last month's crisis, declared and ended by the head of communications (history and its report)."""
    declared = timezone.now() - timedelta(days=34)
    crisis = crisis_services.declare_crisis(
        actor=lead, severity=6, now=declared, alert_team=False,
        description="Video viral: kemasan Sambal Nusantara Rasa menggembung di sebuah minimarket di Bekasi; "
        "warganet menduga produk basi.",
    )  # fmt: skip
    crisis_services.end_crisis(
        actor=lead, crisis=crisis, now=declared + timedelta(hours=30),
        summary="Uji laboratorium: batch aman, kemasan rusak saat pengiriman. Klarifikasi terbit di @nusantararasa.",
    )  # fmt: skip


# (name, words, sentiment, abusive, team, priority, tags): tried in this order, the first match wins.
ROUTING_RULES = [
    ("Keracunan dan keamanan pangan", "keracunan\nsakit perut\nbasi\nmuntah\ndiare\nfood poisoning\nstomach ache",
     "", False, "Tim Krisis", "urgent", "keamanan pangan"),
    ("Ancaman hukum", "somasi\ngugat\npengacara\nlapor polisi\nlawyer\nsue", "", False, "Legal", "high", "hukum"),
    ("Kata kasar", "", "", True, "Layanan Pelanggan", "low", "kasar"),
    ("Pujian", "", "positive", False, "Humas", "low", "pujian"),
]  # fmt: skip


def _create_inbox(org: Organisation, teams: dict[str, Team], members: dict[str, Member]) -> None:
    """Routing rules, business hours with a company day off, and who takes conversations."""
    from datetime import date

    from juru.inbox.services import config as inbox_config
    from juru.inbox.services import work as inbox_work
    from juru.inbox.sla import inbox_settings, targets_for

    for name, words, sentiment, abusive, team, priority, tags in ROUTING_RULES:
        inbox_config.create_rule(
            actor=None, organisation=org, name=name, words=words, sentiment=sentiment, abusive=abusive,
            team=teams[team], priority=priority, tags=tags,
        )  # fmt: skip
    current = inbox_settings(org)
    inbox_config.update_settings(
        actor=None, organisation=org, time_zone="Asia/Jakarta", day_start=current.day_start, day_end=current.day_end,
        workdays=[0, 1, 2, 3, 4, 5], public_holidays=True, warning_minutes=15, offline_after_minutes=15,
        default_team=teams["Layanan Pelanggan"], targets=targets_for(org),
    )  # fmt: skip
    inbox_config.add_day_override(
        actor=None, organisation=org, day=date(2026, 12, 31), is_working_day=False, note="Libur akhir tahun perusahaan"
    )
    inbox_config.set_team_assignment(actor=None, team=teams["Tim Krisis"], assignment="round_robin", capacity=0)
    for username in ("owner", "spokesperson", "approver", "responder"):
        inbox_work.set_availability(member=members[username], status="online")


def logins() -> list[Login]:
    """The demo logins as this installation derives them."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[p.username for p in PEOPLE])}
    devices = {d.user_id: d for d in TOTPDevice.objects.filter(user__in=users.values(), confirmed=True)}
    rows = []
    for person in PEOPLE:
        user = users.get(person.username)
        device = devices.get(user.pk) if user else None
        ours = device is not None and device.key == demo_totp_key(person.username)
        secret = services.totp_secret(device) if device is not None and ours else ""
        uri = services.otpauth_uri(device) if device is not None and ours else ""
        password = demo_password(person.username)
        if user is None or not user.check_password(password):
            password = "(set before the demo; unchanged)"
        rows.append(
            Login(person.username, f"{person.first_name} {person.last_name}", person.role, password, secret, uri,
                  person.note)
        )  # fmt: skip
    return rows
