"""Reads of replies: the library with its filters, the composer's picker, a mention's thread."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import QuerySet

from juru.accounts.models import Organisation
from juru.listening.models import Mention
from juru.replies.models import Reply, SavedReply, SavedReplyState, SavedReplyVersion

LANGUAGES = ("id", "en")


@dataclass(frozen=True)
class LibraryFilters:
    """What the library shows: a topic, a language the text exists in, a state, holding statements only."""

    tag: str = ""
    lang: str = ""
    state: str = ""
    holding: bool = False


def parse_filters(params: Mapping[str, str]) -> LibraryFilters:
    """Filters from a query string; unknown values are ignored rather than refused."""
    lang = params.get("lang", "")
    state = params.get("state", "")
    return LibraryFilters(
        tag=params.get("tag", "").strip().lower()[:40],
        lang=lang if lang in LANGUAGES else "",
        state=state if state in SavedReplyState.values else "",
        holding=params.get("holding") == "1",
    )


def library(organisation: Organisation, filters: LibraryFilters) -> list[SavedReply]:
    """Saved replies of the organisation matching ``filters``, holding statements first."""
    found: QuerySet[SavedReply] = SavedReply.objects.filter(organisation=organisation)
    if filters.state:
        found = found.filter(state=filters.state)
    if filters.holding:
        found = found.filter(is_holding=True)
    rows = list(found.prefetch_related("versions").order_by("-is_holding", "title"))
    if filters.tag:  # tags are a short JSON list: filtered here, the same on SQLite and PostgreSQL
        rows = [r for r in rows if filters.tag in r.tags]
    if filters.lang == "en":
        rows = [r for r in rows if _current(r).text_en]
    return rows


def _current(saved: SavedReply) -> SavedReplyVersion:
    return next(v for v in saved.versions.all() if v.number == saved.version)


def all_tags(organisation: Organisation) -> list[str]:
    """Every topic in use, for the filter."""
    tags: set[str] = set()
    for row in SavedReply.objects.filter(organisation=organisation).values_list("tags", flat=True):
        tags.update(row)
    return sorted(tags)


def picker(organisation: Organisation) -> list[SavedReply]:
    """Saved replies a responder may use now; during a crisis holding statements come first."""
    usable = SavedReply.objects.filter(organisation=organisation, state=SavedReplyState.APPROVED)
    order = ("-is_holding", "title") if organisation.crisis_active else ("is_holding", "title")
    return list(usable.prefetch_related("versions").order_by(*order))


def thread(mention: Mention) -> list[Mention]:
    """The mention with what it answers and what answers it (one level each way), oldest first."""
    related = Mention.objects.filter(organisation_id=mention.organisation_id, network=mention.network)
    ids = [mention.remote_id] + ([mention.in_reply_to] if mention.in_reply_to else [])
    parents = related.filter(remote_id__in=ids)
    children = related.filter(in_reply_to=mention.remote_id)
    return sorted({*parents, *children, mention}, key=lambda m: (m.created_at, m.pk))


def replies_on(organisation: Organisation, thread_key: str) -> list[Reply]:
    """Replies already written on the conversation, newest first."""
    found = Reply.objects.filter(organisation=organisation, thread_key=thread_key)
    return list(found.select_related("draft", "author__user", "saved_version__saved_reply")[:20])
