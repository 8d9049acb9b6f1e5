"""Celery tasks of the publishing workflow: thin wrappers that call one service each."""

from __future__ import annotations

from celery import shared_task

from juru.publishing.services import publish, scheduling


@shared_task(name="publishing.sweep_due_posts", ignore_result=True)
def sweep_due_posts() -> int:
    """Reconcile crashed attempts, expire stale drafts, claim due posts and hand each to a publish task."""
    publish.reconcile_stale_attempts()
    scheduling.expire_stale_drafts()
    claimed = scheduling.claim_due_posts()
    for post_id in claimed:
        publish_post.delay(post_id)
    return len(claimed)


@shared_task(name="publishing.publish_post", acks_late=True, ignore_result=True)
def publish_post(post_id: int) -> str:
    """Publish one claimed post (retries are rescheduled in the database, not by the broker)."""
    post = publish.publish_post(post_id)
    return post.state if post is not None else "skipped"
