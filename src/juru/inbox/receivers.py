"""The inbox listens to listening (new mentions) and publishing (replies that went out)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from juru.inbox.services import threads
from juru.listening.signals import mentions_stored
from juru.publishing.signals import post_published


@receiver(mentions_stored, dispatch_uid="inbox.mentions_stored")
def mentions_became_conversations(sender: Any, organisation: Any, mentions: Any, **kwargs: Any) -> None:
    """New mentions on owned accounts join or open conversations (in the ingesting transaction)."""
    threads.build_conversations(organisation, mentions)


@receiver(post_published, dispatch_uid="inbox.post_published")
def reply_went_out(sender: Any, post: Any, events: list[Any], **kwargs: Any) -> None:
    """A reply to a conversation's message was published: record it in the thread."""
    threads.record_reply(post, events)
