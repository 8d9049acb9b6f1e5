"""One language rule: the member's choice, else the organisation's default, else Indonesian; never the browser's."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from juru.accounts.models import Member, Organisation, UserPreference
from juru.audit.models import AuditEvent
from tests.web.conftest import PASSWORD, english_client, sign_in

ENGLISH_BROWSER = {"headers": {"accept-language": "en-US,en;q=0.9"}}


def lang_of(response: object) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_an_english_browser_gets_indonesian_before_and_after_sign_in(owner: Member) -> None:
    client = Client(**ENGLISH_BROWSER)
    assert lang_of(client.get(reverse("web:login"))) == "id"
    sign_in(client, owner.user)
    assert lang_of(client.get("/o/kopi/")) == "id"


def test_the_language_cookie_decides_before_sign_in() -> None:
    assert lang_of(english_client().get(reverse("web:login"))) == "en"


def test_a_member_who_chose_english_gets_english_after_a_new_sign_in(owner: Member) -> None:
    first = sign_in(Client(), owner.user)
    response = first.post(reverse("web:set_language"), {"language": "en", "next": "/o/kopi/"})
    assert response["Location"] == "/o/kopi/"
    assert UserPreference.objects.get(user=owner.user).language == "en"

    other_device = Client()
    other_device.post(reverse("web:login"), {"username": "ani", "password": PASSWORD})
    sign_in(other_device, owner.user)
    assert lang_of(other_device.get("/o/kopi/")) == "en"


def test_an_organisation_set_to_english_shows_english_to_members_without_a_choice(
    owner: Member, viewer: Member
) -> None:
    Organisation.objects.filter(pk=owner.organisation_id).update(language="en")
    assert lang_of(sign_in(Client(), viewer.user).get("/o/kopi/")) == "en"
    UserPreference.objects.create(user=owner.user, language="id")
    assert lang_of(sign_in(Client(), owner.user).get("/o/kopi/")) == "id"


def test_an_organisation_page_follows_that_organisation(owner: Member, org_b: Organisation) -> None:
    Organisation.objects.filter(pk=org_b.pk).update(language="en")
    Member.objects.create(user=owner.user, organisation=org_b, role="viewer")
    client = sign_in(Client(), owner.user)
    assert lang_of(client.get("/o/bank/")) == "en"
    assert lang_of(client.get("/o/kopi/")) == "id"


def test_the_switcher_refuses_an_unknown_language_and_foreign_redirects(owner: Member) -> None:
    client = sign_in(Client(), owner.user)
    refused = client.post(reverse("web:set_language"), {"language": "fr"})
    assert refused.status_code == 400
    assert "Pilih salah satu bahasa yang tersedia." in refused.content.decode()
    response = client.post(reverse("web:set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_owner_sets_the_default_language_and_it_is_audited(owner: Member, viewer: Member) -> None:
    url = reverse("accounts:organisation_settings", args=["kopi"])
    client = sign_in(Client(), owner.user)
    assert 'data-testid="nav-settings"' in client.get("/o/kopi/").content.decode()
    response = client.post(url, {"language": "en"}, follow=True)
    assert "The organisation&#x27;s settings are saved." in response.content.decode()
    owner.organisation.refresh_from_db()
    assert owner.organisation.language == "en"
    event = AuditEvent.objects.get(action="organisation.update")
    assert event.after == {"language": "en"}


def test_settings_refuse_an_unknown_language_and_non_administrators(owner: Member, viewer: Member) -> None:
    url = reverse("accounts:organisation_settings", args=["kopi"])
    html = sign_in(Client(), owner.user).post(url, {"language": "fr"}).content.decode()
    assert "fr bukan salah satu dari pilihan yang tersedia." in html
    assert sign_in(Client(), viewer.user).get(url).status_code == 404
