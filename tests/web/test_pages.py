"""Organisation pages: tenancy (404 across organisations), roles, HTMX fragments, writes, languages."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from juru.accounts.models import (
    ApiToken,
    BrandAccount,
    Grant,
    Member,
    Organisation,
    Permission,
    Role,
    Team,
    TeamMembership,
)
from juru.accounts.services import create_api_token
from juru.advocacy.models import AdvocacyItem
from juru.audit.models import AuditEvent
from juru.audit.services import record
from juru.governance.services import (
    add_ladder_step,
    install_starter_modules,
    open_case,
    start_policy_draft,
    suspend_member,
)
from juru.listening.models import Mention
from juru.publishing.models import Attachment, ChainStep, Draft, Post
from juru.replies.services import create_saved_reply
from tests.crisis.factories import crisis_objects
from tests.factories import publish_policy
from tests.goals.factories import goals_objects
from tests.inbox.factories import inbox_objects
from tests.listening.factories import listening_objects
from tests.moderation.factories import moderation_objects
from tests.publishing.factories import publishing_objects
from tests.web.conftest import make_member, sign_in

pytestmark = pytest.mark.django_db
ClientFor = Callable[[Member], Client]

# Every organisation page, with the objects its URL needs and whether GET is allowed.
# Keys are "namespace:name"; a view added without an entry here fails test_every_org_url_is_covered.
ORG_URLS: dict[str, tuple[tuple[str, ...], bool]] = {
    "web:org_home": ((), True),
    "accounts:member_list": ((), True),
    "accounts:member_add": ((), True),
    "accounts:member_role": (("member",), False),
    "accounts:member_remove": (("member",), False),
    "accounts:team_list": ((), True),
    "accounts:team_create": ((), False),
    "accounts:team_detail": (("team",), True),
    "accounts:team_member_add": (("team",), False),
    "accounts:team_member_remove": (("team", "member"), False),
    "accounts:brand_account_list": ((), True),
    "accounts:brand_account_add": ((), True),
    "accounts:brand_account_edit": (("account",), True),
    "accounts:grant_list": (("account",), True),
    "accounts:grant_revoke": (("account", "grant"), False),
    "accounts:access_review": ((), True),
    "accounts:organisation_settings": ((), True),
    "accounts:token_list": ((), True),
    "accounts:token_create": ((), False),
    "accounts:token_revoke": (("token",), False),
    "accounts:team_delete": (("team",), True),
    "accounts:brand_account_deactivate": (("account",), True),
    "accounts:brand_account_reactivate": (("account",), False),
    "accounts:connection_connect": (("account",), True),
    "accounts:connection_check": (("account",), False),
    "accounts:connection_disconnect": (("account",), False),
    "accounts:connection_choose_page": (("account",), False),
    "accounts:connection_callback": ((), False),
    "audit:event_list": ((), True),
    "audit:event_export": ((), True),
    "governance:policy": ((), True),
    "governance:policy_sign": ((), True),
    "governance:policy_versions": ((), True),
    "governance:policy_version": (("version",), True),
    "governance:policy_version_pdf": (("version",), True),
    "governance:policy_edit": ((), True),
    "governance:policy_preview": ((), False),
    "governance:policy_publish": ((), True),
    "governance:policy_status": ((), True),
    "governance:training": ((), True),
    "governance:violations": ((), True),
    "governance:violation_new": ((), True),
    "governance:violation_ladder": ((), True),
    "governance:violation_ladder_remove": (("step",), False),
    "governance:violation_repeat": ((), True),
    "governance:violation_detail": (("case",), True),
    "governance:violation_move": (("case",), False),
    "governance:violation_note": (("case",), False),
    "governance:violation_decide": (("case",), False),
    "governance:violation_seen": (("case",), False),
    "governance:suspensions": ((), True),
    "governance:suspension_lift": (("suspension",), False),
    "governance:training_module": (("module",), True),
    "governance:training_install": ((), False),
    "governance:training_new": ((), True),
    "governance:training_edit": (("module",), True),
    "governance:training_submit": (("module",), False),
    "governance:training_settings": (("module",), True),
    "listening:overview": ((), True),
    "listening:query-list": ((), True),
    "listening:query-edit": (("query",), True),
    "listening:query-delete": (("query",), False),
    "listening:alert-list": ((), True),
    "listening:alert-settings": ((), True),
    "listening:alert-detail": (("alert",), True),
    "listening:alert-acknowledge": (("alert",), False),
    "advocacy:library": ((), True),
    "advocacy:item-add": ((), True),
    "advocacy:item-availability": (("item",), False),
    "advocacy:share": (("item",), True),
    "advocacy:my-accounts": ((), True),
    "goals:dashboard": ((), True),
    "goals:functions": ((), True),
    "goals:objective-new": ((), True),
    "goals:objective": (("objective",), True),
    "goals:objective-delete": (("objective",), False),
    "goals:target-delete": (("objective", "target"), False),
    "goals:pilots": ((), True),
    "goals:pilot-edit": (("pilot",), True),
    "goals:report": ((), True),
    "goals:report-pdf": ((), True),
    "crisis:home": ((), True),
    "crisis:declare": ((), True),
    "crisis:detail": (("crisis",), True),
    "crisis:end": (("crisis",), False),
    "crisis:review": (("crisis",), True),
    "crisis:decide-held": (("crisis", "held"), False),
    "crisis:report": (("crisis",), True),
    "crisis:report-download": (("crisis",), True),
    "moderation:queue": ((), True),
    "moderation:policy": ((), True),
    "moderation:author-list": ((), True),
    "moderation:author-detail": (("author",), True),
    "moderation:author-ban": (("author",), False),
    "moderation:author-unban": (("author",), False),
    "moderation:author-dismiss": (("author",), False),
    "moderation:author-whitelist": (("author",), False),
    "moderation:appeal-record": (("author",), False),
    "moderation:comment-hide": (("author", "comment"), False),
    "moderation:comment-unhide": (("author", "comment"), False),
    "moderation:appeal-decide": (("appeal",), False),
    "moderation:action-retry": (("action",), False),
    "inbox:list": ((), True),
    "inbox:conversation": (("conversation",), True),
    "inbox:assign": (("conversation",), False),
    "inbox:status": (("conversation",), False),
    "inbox:priority": (("conversation",), False),
    "inbox:tags": (("conversation",), False),
    "inbox:note": (("conversation",), False),
    "inbox:escalate": (("conversation",), False),
    "inbox:availability": ((), False),
    "inbox:notifications": ((), True),
    "inbox:notifications-read": ((), False),
    "inbox:rules": ((), True),
    "inbox:rule-edit": (("rule",), True),
    "inbox:rule-move": (("rule",), False),
    "inbox:rule-delete": (("rule",), False),
    "inbox:settings": ((), True),
    "inbox:day-add": ((), False),
    "inbox:day-delete": (("day",), False),
    "inbox:team-assignment": (("team",), False),
    "replies:library": ((), True),
    "replies:saved-detail": (("saved",), True),
    "replies:saved-approve": (("saved",), False),
    "replies:reply_to": (("mention",), True),
    "replies:pick": (("mention",), False),
    "replies:check": (("mention",), False),
    "replies:presence": ((), False),
    "publishing:draft-list": ((), True),
    "publishing:draft-new": ((), True),
    "publishing:draft-check": ((), False),
    "publishing:draft-fix": ((), False),
    "publishing:approvals": ((), True),
    "publishing:queue": ((), True),
    "publishing:calendar": ((), True),
    "publishing:draft-detail": (("draft",), True),
    "publishing:draft-edit": (("draft",), True),
    "publishing:draft-submit": (("draft",), False),
    "publishing:draft-decide": (("draft",), False),
    "publishing:draft-override": (("draft",), False),
    "publishing:draft-schedule": (("draft",), False),
    "publishing:draft-cancel": (("draft",), False),
    "publishing:attachment-add": (("draft",), False),
    "publishing:attachment-remove": (("draft", "attachment"), False),
    "publishing:post-task": (("post",), True),
    "publishing:post-resolve": (("post",), False),
    "publishing:decision-detail": (("decision",), True),
    "publishing:chain-edit": (("account",), True),
}
# Writes every member may make for themselves (a viewer creating their own API token).
SELF_SERVICE_URLS = {
    "accounts:token_create",
    "governance:policy_sign",
    "governance:training_submit",
    "governance:violation_new",
    "advocacy:share",
    "advocacy:my-accounts",
    "inbox:notifications-read",
}
# Pages outside any organisation (sign-in flow, language, health).
PUBLIC_URLS = {
    "web:healthz",
    "web:home",
    "web:login",
    "web:login_verify",
    "web:login_recovery",
    "web:logout",
    "web:twofactor_setup",
    "web:recovery_codes",
    "web:set_language",
    "web:invitation",
}


ORG_PREFIX = "o/<slug:org_slug>/"


def _routes(resolver: URLResolver, prefix: str = "", namespace: str = "") -> dict[str, str]:
    """Every named URL pattern below ``resolver``: "namespace:name" -> its full route."""
    routes: dict[str, str] = {}
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n)
            routes |= _routes(pattern, route, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            routes[f"{namespace}:{pattern.name}" if namespace else pattern.name] = route
    return routes


def test_every_org_url_is_covered() -> None:
    # Derived from the resolver, so a new app mounted under /o/<org_slug>/ fails here until listed.
    routes = _routes(get_resolver())
    assert {name for name, route in routes.items() if route.startswith(ORG_PREFIX)} == set(ORG_URLS)
    assert {name for name in routes if name.startswith("web:")} - set(ORG_URLS) == PUBLIC_URLS


def test_the_guard_sees_every_app_under_the_organisation() -> None:
    namespaces = {name.split(":")[0] for name, route in _routes(get_resolver()).items() if route.startswith(ORG_PREFIX)}
    assert {"publishing", "listening", "advocacy", "governance", "accounts", "audit", "web"} <= namespaces


@pytest.fixture
def objects_a(owner: Member, speaker: Member, account_a: BrandAccount, team_a: Team) -> dict[str, Any]:
    grant = Grant.objects.create(organisation=owner.organisation, account=account_a, permission="draft", member=speaker)
    token, _raw = create_api_token(actor=None, member=speaker, name="ci")
    query, alert = listening_objects(owner.organisation, account_a)
    crisis, held = crisis_objects(owner, account_a)
    suspension = suspend_member(actor=None, member=speaker, reason="Uji")
    objects = {
        "member": speaker, "team": team_a, "account": account_a, "grant": grant, "token": token,
        "query": query, "alert": alert, "suspension": suspension, "item": _advocacy_item(owner.organisation),
        **_cases(owner, speaker),
        "crisis": crisis, "held": held,
    }  # fmt: skip
    return (
        objects
        | _governance(owner.organisation)
        | inbox_objects(owner.organisation, account_a)
        | goals_objects(owner.organisation, team_a)
        | moderation_objects(owner.organisation, account_a)
        | publishing_objects(speaker, account_a)
    )


def _advocacy_item(org: Organisation) -> AdvocacyItem:
    """A post in ``org``'s advocacy library."""
    return AdvocacyItem.objects.create(organisation=org, title="Menu baru", text="Menu baru sudah hadir!")


def _governance(org: Organisation) -> dict[str, Any]:
    """A published policy version, an open draft and a training module of ``org``."""
    version = publish_policy(org)
    start_policy_draft(actor=None, organisation=org)
    return {
        "version": version,
        "module": install_starter_modules(actor=None, organisation=org)[0],
        "mention": Mention.objects.filter(organisation=org).first(),
        "saved": create_saved_reply(actor=org.members.get(role=Role.OWNER), title="Maaf", text_id="Mohon maaf, Kak."),
    }


def _cases(actor: Member, member: Member) -> dict[str, Any]:
    """A violation case about ``member`` and a rung of the consequence ladder, opened by ``actor``."""
    case = open_case(actor=actor, member=member, source="manual", reason="Uji", rules=["core.confidential"])
    return {"case": case, "step": add_ladder_step(actor=actor, consequence="warning")}


@pytest.fixture
def objects_b(outsider: Member, account_b: BrandAccount, team_b: Team) -> dict[str, Any]:
    other = make_member(outsider.organisation, "dodi", Role.CONTRIBUTOR)
    grant = Grant.objects.create(
        organisation=outsider.organisation, account=account_b, permission="draft", member=other
    )
    token, _raw = create_api_token(actor=None, member=other, name="ci")
    query, alert = listening_objects(outsider.organisation, account_b)
    crisis, held = crisis_objects(outsider, account_b)
    suspension = suspend_member(actor=None, member=other, reason="Uji")
    objects = {
        "member": other, "team": team_b, "account": account_b, "grant": grant, "token": token,
        "query": query, "alert": alert, "suspension": suspension, "item": _advocacy_item(outsider.organisation),
        **_cases(outsider, other),
        "crisis": crisis, "held": held,
    }  # fmt: skip
    return (
        objects
        | _governance(outsider.organisation)
        | inbox_objects(outsider.organisation, account_b)
        | goals_objects(outsider.organisation, team_b)
        | moderation_objects(outsider.organisation, account_b)
        | publishing_objects(other, account_b)
    )


def url_for(name: str, slug: str, objects: dict[str, Any]) -> str:
    needs, _get = ORG_URLS[name]
    return reverse(name, args=[slug, *(objects[n].public_id for n in needs)])


@pytest.mark.parametrize("name", sorted(ORG_URLS))
def test_anonymous_is_sent_to_login(name: str, objects_a: dict[str, Any]) -> None:
    response = Client().get(url_for(name, "kopi", objects_a))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


@pytest.mark.parametrize("name", sorted(ORG_URLS))
def test_owner_of_a_gets_404_for_organisation_b(
    name: str, owner: Member, objects_a: dict[str, Any], objects_b: dict[str, Any], client_for: ClientFor
) -> None:
    client = client_for(owner)
    # B's slug, and B's objects under A's slug: both are "not found", never "forbidden".
    assert client.get(url_for(name, "bank", objects_b)).status_code == 404
    assert client.post(url_for(name, "bank", objects_b)).status_code == 404
    if ORG_URLS[name][0]:
        assert client.get(url_for(name, "kopi", objects_b)).status_code in {404, 405}
        # A read-only page refuses POST for every object alike (405), which tells nothing about B.
        refused = {404, 405} if client.post(url_for(name, "kopi", objects_a)).status_code == 405 else {404}
        assert client.post(url_for(name, "kopi", objects_b)).status_code in refused


@pytest.mark.parametrize("name", sorted(n for n, (_needs, get) in ORG_URLS.items() if get))
def test_owner_can_open_every_page(name: str, owner: Member, objects_a: dict[str, Any], client_for: ClientFor) -> None:
    assert client_for(owner).get(url_for(name, "kopi", objects_a)).status_code == 200


def _state() -> tuple[Any, ...]:
    """What a refused write must leave unchanged."""
    return (
        Member.objects.filter(is_active=True).count(),
        Grant.objects.count(),
        Team.objects.count(),
        ApiToken.objects.filter(revoked_at__isnull=True).count(),
        BrandAccount.objects.filter(is_active=True).count(),
        list(Draft.objects.order_by("pk").values_list("state", "version", "text")),
        list(Post.objects.order_by("pk").values_list("state", "url")),
        Attachment.objects.count(),
        ChainStep.objects.count(),
    )


@pytest.mark.parametrize("name", sorted(n for n in ORG_URLS if n not in {"web:org_home", *SELF_SERVICE_URLS}))
def test_viewer_cannot_write(name: str, viewer: Member, objects_a: dict[str, Any], client_for: ClientFor) -> None:
    client = client_for(viewer)
    before = _state()
    response = client.post(url_for(name, "kopi", objects_a), {"role": "owner", "name": "X", "permission": "publish"})
    # Publishing answers a refused write with the reason on the page; everywhere else it is "not found".
    assert response.status_code in ({200, 302, 404, 405} if name.startswith("publishing:") else {404, 405})
    assert _state() == before
    assert Member.objects.get(pk=objects_a["member"].pk).role == Role.SPOKESPERSON


@pytest.mark.parametrize(("lang", "text"), [("id", "Ringkasan"), ("en", "Overview")], ids=["indonesian", "english"])
@pytest.mark.parametrize(
    "name",
    sorted(
        n
        for n, (_needs, get) in ORG_URLS.items()
        if get
        and n
        not in {"audit:event_export", "governance:policy_version_pdf", "goals:report-pdf", "crisis:report-download"}
    ),
)
def test_every_page_renders_in_both_languages(
    name: str, lang: str, text: str, owner: Member, objects_a: dict[str, Any], client_for: ClientFor
) -> None:
    client = client_for(owner)
    client.cookies["juru_language"] = lang
    response = client.get(url_for(name, "kopi", objects_a))
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert text in html


def test_missing_csrf_token_gets_translated_403(owner: Member) -> None:
    client = sign_in(Client(enforce_csrf_checks=True), owner.user)
    response = client.post(reverse("web:logout"))
    assert response.status_code == 403
    assert "Pemeriksaan keamanan gagal" in response.content.decode()


def test_language_switch_sets_cookie_and_returns(client_for: ClientFor, owner: Member) -> None:
    client = client_for(owner)
    response = client.post(reverse("web:set_language"), {"language": "en", "next": "/o/kopi/members/"})
    assert response["Location"] == "/o/kopi/members/"
    assert "Members" in client.get("/o/kopi/members/").content.decode()


def test_home_redirects_to_the_users_organisation(client_for: ClientFor, owner: Member) -> None:
    assert client_for(owner).get("/")["Location"] == reverse("web:org_home", args=["kopi"])


def test_org_switcher_lists_only_own_organisations(
    client_for: ClientFor, owner: Member, org_b: Organisation, outsider: Member
) -> None:
    third = Organisation.objects.create(name="Toko Buku", slug="buku")
    Member.objects.create(user=owner.user, organisation=third, role=Role.VIEWER)
    html = client_for(owner).get("/o/kopi/").content.decode()
    assert "Toko Buku" in html
    assert "Bank Sejahtera" not in html


# --------------------------------------------------------------------------- members


def test_add_member_creates_user_with_role(client_for: ClientFor, owner: Member) -> None:
    response = client_for(owner).post(
        "/o/kopi/members/add/",
        {"username": "eka", "email": "eka@example.com", "full_name": "Eka Putri", "role": "approver"},
    )
    assert response.status_code == 200
    assert 'data-testid="invitation-link"' in response.content.decode()
    member = Member.objects.get(user__username="eka", organisation=owner.organisation)
    assert member.role == Role.APPROVER
    assert AuditEvent.objects.filter(action="member.add", organisation=owner.organisation).exists()


def test_adding_an_existing_member_shows_the_error(client_for: ClientFor, owner: Member, viewer: Member) -> None:
    response = client_for(owner).post("/o/kopi/members/add/", {"username": "vino", "role": "viewer"})
    assert response.status_code == 200
    assert "sudah menjadi anggota" in response.content.decode()


def test_change_role_returns_updated_row_with_toast(client_for: ClientFor, owner: Member, viewer: Member) -> None:
    response = client_for(owner).post(
        f"/o/kopi/members/{viewer.public_id}/role/", {"role": "approver"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<tr id="member-{viewer.public_id}"')
    assert "<html" not in html
    assert "toast" in response["HX-Trigger"]
    viewer.refresh_from_db()
    assert viewer.role == Role.APPROVER


def test_last_owner_cannot_be_demoted(client_for: ClientFor, owner: Member) -> None:
    admin = make_member(owner.organisation, "adi", Role.ADMIN)
    response = client_for(admin).post(
        f"/o/kopi/members/{owner.public_id}/role/", {"role": "viewer"}, headers={"HX-Request": "true"}
    )
    assert '"level": "error"' in response["HX-Trigger"]
    owner.refresh_from_db()
    assert owner.role == Role.OWNER


def test_remove_member(client_for: ClientFor, owner: Member, viewer: Member) -> None:
    response = client_for(owner).post(f"/o/kopi/members/{viewer.public_id}/remove/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.content == b""
    viewer.refresh_from_db()
    assert not viewer.is_active


def test_member_search_returns_table_fragment(client_for: ClientFor, owner: Member, viewer: Member) -> None:
    response = client_for(owner).get("/o/kopi/members/?q=vin", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.strip().startswith('<div id="member-table"')
    assert "Vino" in html
    assert not re.search(r"\bAni\b", html)  # a word: the random CSRF token may hold the letters "Ani"


# --------------------------------------------------------------------------- teams


def test_create_team_and_add_member(client_for: ClientFor, owner: Member, viewer: Member) -> None:
    client = client_for(owner)
    response = client.post("/o/kopi/teams/new/", {"name": "Krisis", "kind": "crisis"})
    team = Team.objects.get(name="Krisis")
    assert response["Location"] == reverse("accounts:team_detail", args=["kopi", team.public_id])
    response = client.post(
        f"/o/kopi/teams/{team.public_id}/members/",
        {"member": str(viewer.public_id), "is_lead": "on"},
        headers={"HX-Request": "true"},
    )
    assert response.content.decode().strip().startswith('<div id="team-members"')
    assert TeamMembership.objects.get(team=team, member=viewer).is_lead


def test_team_member_from_another_organisation_is_refused(
    client_for: ClientFor, owner: Member, team_a: Team, outsider: Member
) -> None:
    response = client_for(owner).post(
        f"/o/kopi/teams/{team_a.public_id}/members/",
        {"member": str(outsider.public_id)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert not TeamMembership.objects.filter(member=outsider).exists()


def test_duplicate_team_name_shows_error(client_for: ClientFor, owner: Member, team_a: Team) -> None:
    response = client_for(owner).post("/o/kopi/teams/new/", {"name": "Humas", "kind": "pr"})
    assert response.status_code == 200
    assert "sudah ada" in response.content.decode()


# --------------------------------------------------------------------------- brand accounts and grants


def test_credentials_are_write_only(client_for: ClientFor, owner: Member) -> None:
    client = client_for(owner)
    secret = "rahasia-token-xyz-123"
    response = client.post(
        "/o/kopi/accounts/add/",
        {"network": "sandbox", "handle": "@kopi2", "account_type": "brand", "credentials": f'{{"token": "{secret}"}}'},
    )
    assert response.status_code == 302
    account = BrandAccount.objects.get(handle="@kopi2")
    assert account.credentials == {"token": secret}
    for url in ["/o/kopi/accounts/", f"/o/kopi/accounts/{account.public_id}/edit/"]:
        assert secret not in client.get(url).content.decode()
    # Saving the edit form without new credentials keeps the stored ones.
    client.post(f"/o/kopi/accounts/{account.public_id}/edit/", {"display_name": "Kopi Dua", "is_active": "on"})
    account.refresh_from_db()
    assert account.credentials == {"token": secret}
    assert account.display_name == "Kopi Dua"


def test_invalid_credentials_json_is_a_form_error(client_for: ClientFor, owner: Member) -> None:
    response = client_for(owner).post(
        "/o/kopi/accounts/add/", {"network": "sandbox", "handle": "@x", "account_type": "brand", "credentials": "{oops"}
    )
    assert response.status_code == 200
    assert "objek JSON" in response.content.decode()
    assert not BrandAccount.objects.filter(handle="@x").exists()


def test_grant_and_revoke_via_htmx(
    client_for: ClientFor, owner: Member, speaker: Member, account_a: BrandAccount
) -> None:
    client = client_for(owner)
    url = f"/o/kopi/accounts/{account_a.public_id}/grants/"
    response = client.post(
        url, {"permission": "publish", "member": str(speaker.public_id)}, headers={"HX-Request": "true"}
    )
    assert response.content.decode().strip().startswith('<div id="grants"')
    grant = Grant.objects.get(account=account_a, member=speaker, permission=Permission.PUBLISH)
    response = client.post(f"{url}{grant.public_id}/revoke/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert not Grant.objects.filter(pk=grant.pk).exists()


def test_grant_needs_member_or_team(client_for: ClientFor, owner: Member, account_a: BrandAccount) -> None:
    response = client_for(owner).post(f"/o/kopi/accounts/{account_a.public_id}/grants/", {"permission": "publish"})
    assert "Pilih satu anggota atau satu tim." in response.content.decode()
    assert not Grant.objects.exists()


# --------------------------------------------------------------------------- access review and audit


def test_access_review_explains_why_not(
    client_for: ClientFor, owner: Member, speaker: Member, account_a: BrandAccount
) -> None:
    Grant.objects.create(organisation=owner.organisation, account=account_a, permission="publish", member=speaker)
    response = client_for(owner).get("/o/kopi/access/?permission=publish&q=budi", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.strip().startswith('<div id="matrix"')
    assert 'data-reason="policy_not_signed"' in html or 'data-reason="no_policy"' in html
    assert 'data-reason="no_grant"' not in html


def test_audit_log_filters_and_verifies(client_for: ClientFor, owner: Member, org_b: Organisation) -> None:
    record(action="member.add", actor=owner.user, organisation=owner.organisation, summary="tambah")
    record(action="grant.set", actor=owner.user, organisation=owner.organisation, summary="izin")
    record(action="grant.set", actor=None, organisation=org_b, summary="bank-lain")
    client = client_for(owner)
    html = client.get("/o/kopi/audit/?action=grant").content.decode()
    assert "izin" in html
    assert "tambah" not in html
    assert "bank-lain" not in html
    assert "Rantai audit utuh" in html
    export = client.get("/o/kopi/audit/export.jsonl")
    lines = b"".join(export.streaming_content if export.streaming else [export.content]).decode().splitlines()
    assert lines
    assert all('"organisation_slug": "kopi"' in line for line in lines)


def test_audit_bad_date_range_is_a_form_error(client_for: ClientFor, owner: Member) -> None:
    html = client_for(owner).get("/o/kopi/audit/?start=2025-02-01&end=2025-01-01").content.decode()
    assert "Tanggal akhir sebelum tanggal mulai." in html


def test_audit_log_is_hidden_from_viewers(client_for: ClientFor, viewer: Member) -> None:
    assert client_for(viewer).get("/o/kopi/audit/").status_code == 404
