"""The page where a person settles a post whose outcome is unknown: what, when, where, and the two answers."""

from __future__ import annotations

from typing import Any

import pytest

from juru.audit.models import AuditEvent
from juru.publishing.models import AttemptState, Post, PostState
from tests.publishing.conftest import Cast, build_cast
from tests.publishing.network import Network, run_due, schedule
from tests.publishing.test_views import client_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fake_scanner")]


@pytest.fixture
def waiting(cast: Cast, network: Network) -> Post:
    """A post sent to a network that cannot be asked, which answered 503 (and, as it happens, made nothing)."""
    network.mode, network.refuse_unknown = "", 1
    post = schedule(cast)
    run_due()
    post.refresh_from_db()
    assert post.state == PostState.NEEDS_HUMAN
    return post


def task_url(cast: Cast, post: Post, rest: str = "") -> str:
    return f"/o/{cast.org.slug}/publishing/posts/{post.public_id}/{rest}"


def test_the_page_says_what_was_sent_when_and_where_to_check(cast: Cast, waiting: Post) -> None:
    html = client_for(cast.author).get(task_url(cast, waiting)).content.decode()
    assert "Did this post go out?" in html
    assert "Selamat pagi!" in html
    assert 'href="/sandbox/@acme_id"' in html
    assert "First sent at" in html
    assert 'data-testid="was-published"' in html
    assert 'data-testid="send-again"' in html


def test_the_page_is_linked_from_the_queue_and_the_draft(cast: Cast, waiting: Post) -> None:
    client = client_for(cast.author)
    assert task_url(cast, waiting) in client.get(f"/o/{cast.org.slug}/publishing/queue/").content.decode()
    draft_page = client.get(f"/o/{cast.org.slug}/publishing/drafts/{waiting.draft.public_id}/").content.decode()
    assert task_url(cast, waiting) in draft_page


def test_it_was_published_saves_the_link_and_is_audited(cast: Cast, waiting: Post) -> None:
    response = client_for(cast.author).post(
        task_url(cast, waiting, "resolve/"), {"outcome": "published", "url": "https://n.test/1"}
    )
    assert response.status_code == 302
    assert response["Location"] == task_url(cast, waiting)
    waiting.refresh_from_db()
    assert (waiting.state, waiting.url) == (PostState.PUBLISHED, "https://n.test/1")
    event = AuditEvent.objects.get(action="publishing.post.resolved")
    assert event.after["outcome"] == "published"


def test_it_was_not_published_sends_it_once_more(cast: Cast, waiting: Post, network: Network) -> None:
    client_for(cast.author).post(task_url(cast, waiting, "resolve/"), {"outcome": "retry"})
    waiting.refresh_from_db()
    assert waiting.state == PostState.SCHEDULED
    assert list(waiting.publish_attempts.values_list("state", flat=True)) == [AttemptState.NOT_FOUND]
    run_due()
    assert len(network.posts) == 1
    assert Post.objects.get(pk=waiting.pk).state == PostState.PUBLISHED


def test_a_link_that_is_not_a_web_address_is_refused_with_a_message(cast: Cast, waiting: Post) -> None:
    response = client_for(cast.author).post(
        task_url(cast, waiting, "resolve/"), {"outcome": "published", "url": "javascript:alert(1)"}, follow=True
    )
    assert "starting with https://" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.state == PostState.NEEDS_HUMAN


def test_another_organisation_gets_404(cast: Cast, waiting: Post) -> None:
    other = build_cast("other")
    client = client_for(other.author)
    assert client.get(task_url(cast, waiting)).status_code == 404
    assert client.post(task_url(cast, waiting, "resolve/"), {"outcome": "retry"}).status_code == 404


def test_someone_without_publish_rights_cannot_settle(cast: Cast, waiting: Post, network: Any) -> None:
    client_for(cast.employee).post(task_url(cast, waiting, "resolve/"), {"outcome": "retry"})
    waiting.refresh_from_db()
    assert waiting.state == PostState.NEEDS_HUMAN
