"""The ingestion's inserts: every value stored as the ORM would, keys handed back, conflicts skipped or raised."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, transaction

from juru.accounts.services import organisations
from juru.listening.models import SpikeState
from juru.moderation.models import Author, AuthorState
from juru.project.bulk import insert_objects, insert_rows, save_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return organisations.create_organisation(actor=None, name="Acme", slug="acme")


def test_inserted_objects_get_their_keys_and_read_back_as_written(org):
    seen = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    made = [
        Author(organisation=org, network="sandbox", handle="sari", name="Sari", counted_from=seen),
        Author(organisation=org, network="sandbox", handle="budi", state=AuthorState.BANNED, whitelisted=True),
    ]
    insert_objects(made)
    assert all(author.pk and not author._state.adding for author in made)
    sari, budi = (Author.objects.get(pk=author.pk) for author in made)
    assert (sari.handle, sari.name, sari.counted_from, sari.public_id) == ("sari", "Sari", seen, made[0].public_id)
    assert sari.first_seen_at is not None  # the automatic time is set as the ORM sets it
    assert (budi.state, budi.whitelisted, budi.counted_from) == (AuthorState.BANNED, True, None)


def test_conflicts_are_skipped_when_asked_and_raised_as_django_errors_otherwise(org):
    insert_objects([Author(organisation=org, network="sandbox", handle="sari")])
    again = [Author(organisation=org, network="sandbox", handle=handle) for handle in ("sari", "budi", "budi")]
    returned = insert_objects(again, ignore_conflicts=True, returning=("handle",))
    assert returned == [("budi",)]  # the known one and the repeat inside the batch are skipped
    assert sorted(Author.objects.values_list("handle", flat=True)) == ["budi", "sari"]
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_objects([Author(organisation=org, network="sandbox", handle="sari")])


def test_nothing_to_insert_runs_no_statement(org, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert insert_objects([]) == []
        assert insert_rows(Author, ("handle",), []) == []


def test_a_large_document_is_saved_and_read_back_whole(org):
    state = SpikeState.objects.create(organisation=org, state={})
    document = {"times": [1765152000.5 + i for i in range(20_000)], "text": "keracunan 'basi' \\ \"asam\" 😡"}
    state.state = document
    save_fields(state, ["state", "updated_at"])
    assert SpikeState.objects.get(pk=state.pk).state == document
