"""Governance pages: reading and signing, the editor and publishing, training, in both languages."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from juru.accounts.models import BrandAccount, Member, Organisation
from juru.governance import queries, services
from juru.governance.models import PolicySignoff, TrainingCompletion, TrainingModule
from juru.governance.pdf import print_html
from tests import factories
from tests.web.conftest import sign_in

pytestmark = pytest.mark.django_db


def client_for(member: Member, lang: str = "id") -> Client:
    client = sign_in(Client(), member.user)
    client.cookies["juru_language"] = lang
    return client


def url(name: str, org: Organisation, *args: object) -> str:
    return reverse(f"governance:{name}", args=[org.slug, *args])


def password(member: Member) -> str:
    return f"{member.user.get_username()}-pass-123"


def _sign_data(member: Member, **changes: str) -> dict[str, str]:
    version = queries.current_policy(member.organisation)
    assert version is not None
    data = {"version": str(version.public_id), "full_name": member.display_name, "confirm": "on",
            "password": password(member)}  # fmt: skip
    return data | changes


# --------------------------------------------------------------------------- reading and signing


@pytest.mark.parametrize(("lang", "heading"), [("id", "Kerahasiaan"), ("en", "Confidentiality")])
def test_policy_page_shows_the_text_in_the_chosen_language(owner: Member, lang: str, heading: str) -> None:
    services.publish_policy_version(
        actor=None, organisation=owner.organisation, title="Kebijakan",
        body_id="## Kerahasiaan\nJangan bocorkan.", body_en="## Confidentiality\nDo not leak.",
    )  # fmt: skip
    html = client_for(owner).get(url("policy", owner.organisation), {"lang": lang}).content.decode()
    assert f'<h2 id="section-1">{heading}</h2>' in html
    assert 'data-testid="sign-policy"' in html


@pytest.mark.parametrize(
    ("lang", "text"),
    [("id", "Anda belum menandatangani versi 1"), ("en", "You have not signed version 1")],
)
def test_unsigned_member_is_told_in_their_language(spokesperson: Member, lang: str, text: str) -> None:
    factories.publish_policy(spokesperson.organisation)
    assert text in client_for(spokesperson, lang).get(url("policy", spokesperson.organisation)).content.decode()


def test_signing_stores_name_ip_and_hash(spokesperson: Member) -> None:
    factories.publish_policy(spokesperson.organisation)
    response = client_for(spokesperson).post(
        url("policy_sign", spokesperson.organisation), _sign_data(spokesperson), REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 302
    signoff = PolicySignoff.objects.get(member=spokesperson)
    assert (signoff.full_name, signoff.ip_address) == (spokesperson.display_name, "198.51.100.7")


@pytest.mark.parametrize(
    ("changes", "lang", "error"),
    [
        ({"password": "salah"}, "id", "Itu bukan kata sandi Anda."),
        ({"password": "wrong"}, "en", "That is not your password."),
        ({"full_name": "Orang Lain"}, "id", "Ketik nama lengkap Anda"),
        ({"full_name": "Someone Else"}, "en", "Type your full name exactly"),
        ({"confirm": ""}, "id", "Bidang ini tidak boleh kosong."),
    ],
)
def test_bad_signatures_are_refused_with_a_translated_reason(
    spokesperson: Member, changes: dict[str, str], lang: str, error: str
) -> None:
    factories.publish_policy(spokesperson.organisation)
    response = client_for(spokesperson, lang).post(
        url("policy_sign", spokesperson.organisation), _sign_data(spokesperson, **changes)
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not PolicySignoff.objects.exists()


@pytest.mark.parametrize(
    ("lang", "error"),
    [("id", "Terlalu banyak kata sandi salah. Coba lagi dalam 15 menit."),
     ("en", "Too many wrong passwords. Try again in 15 minutes.")],
)  # fmt: skip
def test_wrong_passwords_when_signing_are_rate_limited(spokesperson: Member, lang: str, error: str) -> None:
    factories.publish_policy(spokesperson.organisation)
    client = client_for(spokesperson, lang)
    for _attempt in range(5):
        client.post(url("policy_sign", spokesperson.organisation), _sign_data(spokesperson, password="tebak"))
    # Even the right password is not checked now: guessing stays as slow as at the sign-in page.
    response = client.post(url("policy_sign", spokesperson.organisation), _sign_data(spokesperson))
    assert response.status_code == 200
    html = response.content.decode()
    assert error in html
    assert spokesperson.display_name in html
    assert not PolicySignoff.objects.exists()


def test_version_published_while_reading_sends_back_to_read_it(spokesperson: Member) -> None:
    factories.publish_policy(spokesperson.organisation)
    data = _sign_data(spokesperson)
    factories.publish_policy(spokesperson.organisation)  # version 2 appears mid-signature
    client = client_for(spokesperson)
    response = client.post(url("policy_sign", spokesperson.organisation), data)
    assert response["Location"] == url("policy_sign", spokesperson.organisation)
    assert not PolicySignoff.objects.exists()
    assert "Versi baru diterbitkan" in client.get(response["Location"]).content.decode()


def test_overview_links_a_member_who_may_not_speak_to_what_fixes_it(
    spokesperson: Member, account: BrandAccount
) -> None:
    factories.make_eligible(spokesperson, account)
    services.install_starter_modules(actor=None, organisation=spokesperson.organisation)
    factories.publish_policy(spokesperson.organisation)
    html = client_for(spokesperson).get(reverse("web:org_home", args=[spokesperson.organisation.slug])).content
    page = html.decode()
    assert "Versi kebijakan yang berlaku belum ditandatangani" in page
    assert f'href="{url("policy_sign", spokesperson.organisation)}" data-fix="policy_not_signed"' in page
    assert f'href="{url("training", spokesperson.organisation)}" data-fix="training_missing"' in page
    assert 'data-todo="sign"' in page
    assert page.count('data-todo="train"') == 3


# --------------------------------------------------------------------------- editing and publishing


def test_members_who_may_not_manage_the_policy_get_404(spokesperson: Member) -> None:
    client = client_for(spokesperson)
    for name in ("policy_edit", "policy_publish", "policy_status"):
        assert client.get(url(name, spokesperson.organisation)).status_code == 404
    assert client.post(url("policy_preview", spokesperson.organisation), {"body_id": "x"}).status_code == 404


def test_editor_opens_on_the_template_without_storing_anything(owner: Member) -> None:
    html = client_for(owner).get(url("policy_edit", owner.organisation)).content.decode()
    assert "Siapa yang boleh berbicara atas nama perusahaan" in html
    assert 'name="competitor_names"' in html
    assert 'value="id-pdp"' in html
    assert queries.policy_draft(owner.organisation) is None


def _draft_post(owner: Member, serial: int, **changes: str) -> dict[str, object]:
    from juru.governance import starter

    data: dict[str, object] = {
        "edit_serial": serial, "title": "Kebijakan Media Sosial",
        "body_id": starter.policy_text(owner.organisation.name, "id"),
        "body_en": starter.policy_text(owner.organisation.name, "en"),
        "enabled_packs": ["core", "id-pdp"], "competitor_names": "Rasa Prima\nDapur Jaya\n",
    }  # fmt: skip
    return data | changes


def test_write_review_and_publish_the_first_version(owner: Member) -> None:
    client = client_for(owner)
    response = client.post(url("policy_edit", owner.organisation), _draft_post(owner, -1) | {"review": "1"})
    assert response["Location"] == url("policy_publish", owner.organisation)
    assert "versi pertama" in client.get(response["Location"]).content.decode()
    draft = queries.policy_draft(owner.organisation)
    assert draft is not None
    response = client.post(url("policy_publish", owner.organisation), {"edit_serial": draft.edit_serial,
                                                                       "material": "on", "grace_days": 0})  # fmt: skip
    version = queries.current_policy(owner.organisation)
    assert version is not None
    assert version.published_by_id == owner.user.pk
    assert response["Location"] == url("policy_version", owner.organisation, version.public_id)
    assert queries.current_org_config(owner.organisation).competitor_names == ("Rasa Prima", "Dapur Jaya")


def test_publishing_shows_the_diff_against_the_current_version(owner: Member) -> None:
    factories.publish_policy(owner.organisation, competitor_names=["Rasa Prima"])
    draft = services.start_policy_draft(actor=None, organisation=owner.organisation)
    services.save_policy_draft(
        actor=None, draft=draft, title=draft.title, body_id="Isi kebijakan yang baru.", body_en=draft.body_en,
        config={"competitor_names": ["Rasa Prima", "Sambal Juara"]}, edit_serial=draft.edit_serial,
    )  # fmt: skip
    for lang, heading in (("id", "Teks dalam bahasa Indonesia"), ("en", "Text in Indonesian")):
        html = client_for(owner, lang).get(url("policy_publish", owner.organisation)).content.decode()
        assert heading in html
        assert '<div class="removed">Isi kebijakan.</div>' in html
        assert '<div class="added">Isi kebijakan yang baru.</div>' in html
        assert '<span class="badge badge-ok">Sambal Juara</span>' in html


def test_second_owner_saving_a_stale_draft_sees_why_and_keeps_their_text(owner: Member) -> None:
    other = factories.make_member(owner.organisation, "otto", "owner")
    draft = services.start_policy_draft(actor=None, organisation=owner.organisation)
    stale = draft.edit_serial
    client_for(owner).post(url("policy_edit", owner.organisation), _draft_post(owner, stale))
    response = client_for(other, "en").post(
        url("policy_edit", owner.organisation), _draft_post(owner, stale, title="Otto's title")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this draft" in html
    assert "Otto&#x27;s title" in html


def test_preview_renders_markdown_and_never_raw_html(owner: Member) -> None:
    response = client_for(owner).post(
        url("policy_preview", owner.organisation),
        {"preview_lang": "en", "body_en": "## Judul\n<script>alert(1)</script>"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert '<h2 id="section-1">Judul</h2>' in html
    assert "<script>" not in html
    assert "<html" not in html


def test_status_page_lists_members_and_what_they_miss(owner: Member, spokesperson: Member) -> None:
    factories.publish_policy(owner.organisation)
    services.install_starter_modules(actor=None, organisation=owner.organisation)
    html = client_for(owner, "en").get(url("policy_status", owner.organisation)).content.decode()
    assert "2 members still have something to do." in html
    assert "Account security" in html


# --------------------------------------------------------------------------- training


def _module(org: Organisation, code: str = "etika-membalas") -> TrainingModule:
    services.install_starter_modules(actor=None, organisation=org)
    return TrainingModule.objects.get(organisation=org, code=code)


def _answers(module: TrainingModule, **wrong: int) -> dict[str, str]:
    data = {f"q{n}": str(q["answer"]) for n, q in enumerate(module.quiz, start=1)}
    return data | {key: str(value) for key, value in wrong.items()} | {"attempt_token": str(uuid.uuid4())}


@pytest.mark.parametrize(("lang", "title"), [("id", "Etika membalas komentar"), ("en", "Replying to comments")])
def test_training_list_in_both_languages(spokesperson: Member, lang: str, title: str) -> None:
    _module(spokesperson.organisation)
    html = client_for(spokesperson, lang).get(url("training", spokesperson.organisation)).content.decode()
    assert title in html


def test_passing_the_quiz_counts_at_once(spokesperson: Member) -> None:
    module = _module(spokesperson.organisation)
    client = client_for(spokesperson)
    response = client.post(url("training_submit", spokesperson.organisation, module.public_id), _answers(module))
    assert response["Location"] == url("training", spokesperson.organisation)
    assert TrainingCompletion.objects.get(member=spokesperson, module=module).passed


def test_wrong_answer_sends_the_reader_back_to_the_section(spokesperson: Member) -> None:
    module = _module(spokesperson.organisation)
    client = client_for(spokesperson, "en")
    page = url("training_module", spokesperson.organisation, module.public_id)
    response = client.post(url("training_submit", spokesperson.organisation, module.public_id),
                           _answers(module, q2=0))  # fmt: skip
    assert response["Location"] == page + "#reread"
    html = client.get(page).content.decode()
    assert re.search(r'<a href="#section-2">Tone and language</a>', html)
    assert "1 attempt so far." in html


def test_unanswered_questions_get_a_clear_error_and_no_attempt(spokesperson: Member) -> None:
    module = _module(spokesperson.organisation)
    answers = _answers(module)
    del answers["q1"]
    response = client_for(spokesperson).post(
        url("training_submit", spokesperson.organisation, module.public_id), answers
    )
    assert response.status_code == 200
    assert "Jawab semua pertanyaan" in response.content.decode()
    assert not TrainingCompletion.objects.exists()


def test_quiz_sent_twice_is_one_attempt(spokesperson: Member) -> None:
    module = _module(spokesperson.organisation)
    answers = _answers(module)
    client = client_for(spokesperson)
    for _ in range(2):
        client.post(url("training_submit", spokesperson.organisation, module.public_id), answers)
    assert TrainingCompletion.objects.filter(member=spokesperson).count() == 1


def test_owner_changes_module_settings(owner: Member) -> None:
    module = _module(owner.organisation)
    response = client_for(owner).post(
        url("training_settings", owner.organisation, module.public_id),
        {"required": "on", "roles": ["responder"], "pass_score": 90, "valid_days": 180},
    )
    assert response.status_code == 302
    module.refresh_from_db()
    assert (module.pass_score, module.valid_days, [r.role for r in module.roles.all()]) == (90, 180, ["responder"])


def test_bad_module_settings_show_a_translated_error(owner: Member) -> None:
    module = _module(owner.organisation)
    response = client_for(owner, "en").post(
        url("training_settings", owner.organisation, module.public_id), {"pass_score": 150, "valid_days": 0}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "less than or equal to 100" in html
    assert "greater than or equal to 1" in html


LONG_WORD = "Penyalahgunaankewenanganyangsangatsangatpanjangsekalitanpaspasisamasekali"


@pytest.mark.parametrize(
    ("lang", "words"), [("id", ["Kerahasiaan", "Versi 1", LONG_WORD]), ("en", ["Confidentiality", "Version 1"])]
)
def test_a_version_downloads_as_pdf_in_either_language(owner: Member, lang: str, words: list[str]) -> None:
    version = services.publish_policy_version(
        actor=None, organisation=owner.organisation, title="Kebijakan",
        body_id=f"## Kerahasiaan\n{LONG_WORD} 😀 pendapat pribadi", body_en="## Confidentiality\nviews are my own 😀",
    )  # fmt: skip
    html = print_html(version, lang)
    assert f'<html lang="{lang}">' in html
    assert all(word in html for word in words)
    response = client_for(owner).get(url("policy_version_pdf", owner.organisation, version.public_id), {"lang": lang})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert f"-v1-{lang}.pdf" in response["Content-Disposition"]


QUIZ_YAML = """
- section: 1
  question: {id: "Boleh membagikan kata sandi?", en: "May you share a password?"}
  choices: {id: ["Boleh", "Tidak"], en: ["Yes", "No"]}
  answer: 1
"""


def _module_post(**changes: str) -> dict[str, str]:
    data = {
        "code": "kata-sandi", "title_id": "Kata sandi", "title_en": "Passwords",
        "body_id": "## Rahasia\nJangan dibagikan.", "body_en": "## Secret\nNever shared.", "quiz": QUIZ_YAML,
    }  # fmt: skip
    return data | changes


def test_owner_writes_a_new_module_with_its_quiz(owner: Member) -> None:
    response = client_for(owner).post(url("training_new", owner.organisation), _module_post())
    assert response.status_code == 302
    module = TrainingModule.objects.get(organisation=owner.organisation, code="kata-sandi")
    assert module.quiz[0]["answer"] == 1
    assert module.title_for("en") == "Passwords"


@pytest.mark.parametrize(
    ("changes", "lang", "error"),
    [
        ({"quiz": "- section: [1"}, "en", "The quiz is not valid YAML (line"),
        ({"quiz": QUIZ_YAML.replace("section: 1", "section: 4")}, "id", "bagian harus antara 1 dan 1"),
        ({"quiz": QUIZ_YAML.replace("answer: 1", "answer: 5")}, "en", "the answer must be the number of a choice"),
        ({"code": "etika-membalas"}, "en", "Another module already uses this code."),
    ],
)
def test_bad_module_content_gets_a_translated_error(
    owner: Member, changes: dict[str, str], lang: str, error: str
) -> None:
    _module(owner.organisation)
    response = client_for(owner, lang).post(url("training_new", owner.organisation), _module_post(**changes))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not TrainingModule.objects.filter(code="kata-sandi").exists()


def test_owner_edits_a_modules_quiz_and_installs_the_standard_modules(owner: Member) -> None:
    client = client_for(owner)
    response = client.post(url("training_install", owner.organisation))
    assert response.status_code == 302
    assert TrainingModule.objects.filter(organisation=owner.organisation).count() == 3
    module = TrainingModule.objects.get(organisation=owner.organisation, code="keamanan-akun")
    form = client.get(url("training_edit", owner.organisation, module.public_id)).content.decode()
    assert "Siapa yang wajib memakai autentikasi dua langkah?" in form  # the quiz as YAML
    client.post(url("training_edit", owner.organisation, module.public_id),
                {k: v for k, v in _module_post().items() if k != "code"})  # fmt: skip
    module.refresh_from_db()
    assert (module.title_id, len(module.quiz)) == ("Kata sandi", 1)
