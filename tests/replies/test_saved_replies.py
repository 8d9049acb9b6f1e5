"""Saved replies: versions, their own approval, small edits that keep it and material ones that don't."""

from __future__ import annotations

import pytest
from django.utils import translation

from juru.accounts.models import Member
from juru.audit.models import AuditEvent
from juru.replies import editing, queries, services
from juru.replies.exceptions import NotAllowedError, RepliesError
from juru.replies.models import SavedReplyState
from tests.publishing.conftest import Cast

APOLOGY = "Mohon maaf atas ketidaknyamanannya, Kak {nama}. Kami akan mengganti pesanan dalam 3 hari."


@pytest.mark.parametrize(
    ("after", "small"),
    [
        ("mohon maaf atas ketidaknyamanannya,  Kak {nama}! Kami akan mengganti pesanan dalam 3 hari", True),
        ("Mohon maaf atas ketidaknyamananya, Kak {nama}. Kami akan mengganti pesanan dalam 3 hari.", True),
        ("Mohon maaf atas ketidaknyamanannya, Kak {nama}. Kami tidak akan mengganti pesanan dalam 3 hari.", False),
        ("Mohon maaf atas ketidaknyamanannya, Kak {nama}. Kami akan mengganti pesanan dalam 7 hari.", False),
        ("Mohon maaf atas ketidaknyamanannya, Kak {nomor}. Kami akan mengganti pesanan dalam 3 hari.", False),
        ("Mohon maaf atas ketidaknyamanannya, Kak {nama}. Kami bisa mengganti pesanan dalam 3 hari.", False),
    ],
)
def test_what_counts_as_a_small_edit(after: str, small: bool) -> None:
    assert editing.is_small_edit(APOLOGY, after) is small


def test_variables_are_found_in_order_and_filled() -> None:
    text = "Halo {nama}, pesanan {nomor_pesanan} untuk {nama} sudah dikirim."
    assert editing.variables(text) == ["nama", "nomor_pesanan"]
    assert editing.fill(text, {"nama": "Rina", "nomor_pesanan": " "}) == (
        "Halo Rina, pesanan {nomor_pesanan} untuk Rina sudah dikirim."
    )


def test_a_new_saved_reply_waits_for_approval_by_someone_else(cast: Cast) -> None:
    saved = services.create_saved_reply(actor=cast.pr1, title="Permintaan maaf", text_id=APOLOGY, tags=["Maaf "])
    assert saved.state == SavedReplyState.PENDING
    assert saved.tags == ["maaf"]
    assert queries.picker(cast.org) == []
    with pytest.raises(NotAllowedError):
        services.approve_saved_reply(saved, actor=cast.pr1)  # the author
    with pytest.raises(NotAllowedError):
        services.approve_saved_reply(saved, actor=cast.employee)  # not PR, compliance or an owner
    services.approve_saved_reply(saved, actor=cast.compliance)
    saved.refresh_from_db()
    assert saved.is_usable
    assert queries.picker(cast.org) == [saved]
    assert saved.current.approved_by == cast.compliance
    actions = list(
        AuditEvent.objects.filter(action__startswith="replies.").order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["replies.saved_reply.created", "replies.saved_reply.approved"]


def test_a_small_edit_keeps_the_approval_and_a_material_one_needs_a_new_one(cast: Cast) -> None:
    saved = services.create_saved_reply(actor=cast.pr1, title="Maaf", text_id=APOLOGY)
    services.approve_saved_reply(saved, actor=cast.pr2)
    typo = APOLOGY.replace("ketidaknyamanannya", "ketidaknyamananya")
    saved = services.edit_saved_reply(saved, actor=cast.pr1, title="Maaf", text_id=typo)
    assert saved.version == 2
    assert saved.is_usable
    assert saved.current.material is False
    assert saved.current.approved_by == cast.pr2
    negated = typo.replace("Kami akan", "Kami tidak akan")
    saved = services.edit_saved_reply(saved, actor=cast.pr1, title="Maaf", text_id=negated, expected_version=2)
    assert saved.version == 3
    assert saved.state == SavedReplyState.PENDING
    assert queries.picker(cast.org) == []
    assert [v.number for v in saved.versions.all()] == [3, 2, 1]  # history kept, newest first


def test_flagging_a_holding_statement_needs_approval_and_it_comes_first_in_a_crisis(cast: Cast) -> None:
    plain = services.create_saved_reply(actor=cast.pr1, title="A terima kasih", text_id="Terima kasih, Kak.")
    holding = services.create_saved_reply(actor=cast.pr1, title="Z pernyataan", text_id="Kami sedang menyelidiki.")
    for saved in (plain, holding):
        services.approve_saved_reply(saved, actor=cast.owner)
    holding = services.edit_saved_reply(
        holding, actor=cast.pr1, title="Z pernyataan", text_id="Kami sedang menyelidiki.", is_holding=True
    )
    assert holding.state == SavedReplyState.PENDING
    services.approve_saved_reply(holding, actor=cast.owner)
    assert [s.title for s in queries.picker(cast.org)] == ["A terima kasih", "Z pernyataan"]
    cast.org.crisis_active = True
    cast.org.save(update_fields=["crisis_active"])
    assert [s.title for s in queries.picker(cast.org)] == ["Z pernyataan", "A terima kasih"]


@pytest.mark.parametrize(("lang", "word"), [("id", "judul"), ("en", "title")])
def test_bad_input_is_refused_in_the_active_language(cast: Cast, lang: str, word: str) -> None:
    with translation.override(lang), pytest.raises(RepliesError) as refused:
        services.create_saved_reply(actor=cast.pr1, title=" ", text_id=APOLOGY)
    assert word in refused.value.message.lower()


def test_an_edit_on_a_stale_version_is_refused(cast: Cast) -> None:
    saved = services.create_saved_reply(actor=cast.pr1, title="Maaf", text_id=APOLOGY)
    services.edit_saved_reply(saved, actor=cast.pr1, title="Maaf", text_id=APOLOGY + " Terima kasih.")
    with pytest.raises(RepliesError):
        services.edit_saved_reply(saved, actor=cast.pr2, title="Maaf", text_id=APOLOGY, expected_version=1)


def test_responders_with_the_reply_grant_may_write_but_not_approve(cast: Cast, responder: Member) -> None:
    saved = services.create_saved_reply(
        actor=responder, title="Cek DM", text_id="Kami sudah menghubungi Anda lewat DM."
    )
    with pytest.raises(NotAllowedError):
        services.approve_saved_reply(saved, actor=responder)
    with pytest.raises(NotAllowedError):
        services.create_saved_reply(actor=cast.employee, title="x", text_id="y")
