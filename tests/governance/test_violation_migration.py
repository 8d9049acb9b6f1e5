"""The move of violation cases from publishing to governance keeps every row (and can be undone)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("governance", "0003_reminders"), ("publishing", "0003_draft_channel")]
AFTER = [("governance", "0004_violations"), ("publishing", "0004_move_violation_cases")]


def migrate(targets: list[tuple[str, str]]) -> Any:
    """Migrate governance and publishing to ``targets`` (every other app at its latest) and return the
    app registry as it is there."""
    executor = MigrationExecutor(connection)
    wanted = dict(executor.loader.graph.leaf_nodes()) | dict(targets)
    plan = list(wanted.items())
    executor.migrate(plan)
    executor.loader.build_graph()
    return executor.loader.project_state(plan).apps


def test_cases_move_to_governance_with_their_ids_and_back() -> None:
    old_apps = migrate(BEFORE)
    organisation = old_apps.get_model("accounts", "Organisation").objects.create(name="Nusantara Rasa", slug="nr")
    user = old_apps.get_model("auth", "User").objects.create(username="budi")
    member = old_apps.get_model("accounts", "Member").objects.create(organisation=organisation, user=user, role="owner")
    draft = old_apps.get_model("publishing", "Draft").objects.create(
        organisation=organisation, author=member, text="Kode PROYEK-MERAH rilis besok"
    )
    public_id = uuid.uuid4()
    old_apps.get_model("publishing", "ViolationCase").objects.create(
        public_id=public_id, organisation=organisation, member=member, draft=draft, rules=["core.confidential"],
        severity="critical", reason="Sudah dikonfirmasi legal", opened_by=member, state="open",
    )  # fmt: skip

    new_apps = migrate(AFTER)
    case = new_apps.get_model("governance", "ViolationCase").objects.get(public_id=public_id)
    assert (case.member_id, case.opened_by_id, case.draft_id) == (member.pk, member.pk, draft.pk)
    assert (case.rules, case.severity, case.reason) == (["core.confidential"], "critical", "Sudah dikonfirmasi legal")
    assert (case.source, case.state, case.content) == ("override", "open", "Kode PROYEK-MERAH rilis besok")

    back_apps = migrate(BEFORE)
    old = back_apps.get_model("publishing", "ViolationCase").objects.get(public_id=public_id)
    assert (old.member_id, old.rules, old.state) == (member.pk, ["core.confidential"], "open")
    migrate([])  # every app at its latest again, as the other tests expect


def test_published_versions_get_the_revision_that_covers_their_text() -> None:
    from django.utils import timezone

    from juru.accounts.models import Organisation
    from juru.governance import queries, services
    from juru.governance.models import PolicyVersion

    old_apps = migrate([("governance", "0004_violations")])
    organisation = old_apps.get_model("accounts", "Organisation").objects.create(name="Nusantara Rasa", slug="nr")
    old_apps.get_model("governance", "PolicyVersion").objects.create(
        organisation=organisation, number=1, title="Kebijakan", body_id="## Isi", body_en="## Body",
        config={"competitor_names": ["Rasa Prima"]}, revision="sha256:lama", published_at=timezone.now(),
    )  # fmt: skip
    migrate([])
    version = PolicyVersion.objects.get(organisation_id=organisation.pk)
    expected = services.policy_revision(queries.current_org_config(Organisation.objects.get(pk=organisation.pk)))
    assert version.revision == expected
