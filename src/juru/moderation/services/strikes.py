"""Counting strikes as mentions are stored, and what the policy does when an author reaches the threshold.

Runs inside the ingesting transaction (a receiver of ``mentions_stored``), in bulk: the authors of
the new mentions are read (and created where new) in one go, each mention is judged once
(``detection``), and only the authors the policy acts on (a strike, or a banned author's comment)
are locked, in one statement, and read again under the lock; the strikes are inserted with one
statement (a mention has at most one strike, so a duplicate delivery can never count twice), then
each author who gained points is checked against the policy. It calls no network: hides and blocks
are queued for after the commit. Its audit events are appended once, as its last step
(``mentions_stored`` has no event list to add them to).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from juru.accounts.models import Organisation
from juru.audit.services import PendingEvent, append
from juru.listening.classification import MAX_CLASSIFIED_CHARS
from juru.listening.models import Mention
from juru.moderation import detection
from juru.moderation.models import Author, AuthorState, BanMode, ModerationAction, ModerationPolicy, Strike
from juru.moderation.services import authors as author_services
from juru.moderation.services.common import event, policy_for, queue
from juru.project.bulk import insert_objects

Key = tuple[str, str]  # (network, handle)


def _authors(organisation: Organisation, mentions: Sequence[Mention]) -> dict[Key, Author]:
    """The mentions' authors as they are now (not locked), created where new."""
    names = {(m.network, m.author_handle): m.author_name for m in mentions if m.author_handle}
    found = _read_authors(organisation, names)
    missing = [
        Author(organisation=organisation, network=n, handle=h, name=name[:200])
        for (n, h), name in names.items()
        if (n, h) not in found
    ]
    if missing:
        insert_objects(missing, ignore_conflicts=True, returning=())  # another worker may add the same one
        found.update(_read_authors(organisation, {(a.network, a.handle): a.name for a in missing}))
    return found


def _read_authors(organisation: Organisation, keys: Iterable[Key], *, lock: bool = False) -> dict[Key, Author]:
    wanted = set(keys)
    rows = Author.objects.filter(organisation=organisation, handle__in={h for _n, h in wanted})
    if lock:
        rows = rows.select_for_update().order_by("pk")  # in id order, so workers never deadlock
    found = {}
    for author in rows:
        if (author.network, author.handle) in wanted:
            author.organisation = organisation  # the events read it: no join for a row we hold already
            found[(author.network, author.handle)] = author
    return found


def _lock(organisation: Organisation, authors: dict[Key, Author], keys: set[Key]) -> None:
    """Lock and read again the authors this batch strikes or acts on (the others are only read)."""
    if keys:
        authors.update(_read_authors(organisation, keys, lock=True))


@dataclass(frozen=True, slots=True)
class _Past:
    """What repetition is counted on in one of the author's mentions: its text's fingerprint and its sites."""

    pk: int
    fingerprint: str
    sites: tuple[str, ...]


def _history(organisation: Organisation, authors: dict[Key, Author], since: datetime) -> dict[Key, list[_Past]]:
    """Each author's mentions within the window (the new ones included), oldest first."""
    found: dict[Key, list[_Past]] = defaultdict(list)
    rows = (
        Mention.objects.filter(
            organisation=organisation, author_handle__in={h for _n, h in authors}, created_at__gte=since
        )
        .order_by("created_at", "pk")
        .values_list("pk", "network", "author_handle", "text")
    )
    # Plain tuples, one pass: an author's window can hold thousands of mentions, model rows cost more.
    for pk, network, handle, text in rows.iterator(chunk_size=2000):
        key = (network, handle)
        if key in authors:
            found[key].append(_Past(pk, detection.fingerprint(text), detection.sites_in(text)))
    return found


def _judge_all(mentions: Sequence[Mention], history: dict[Key, list[_Past]]) -> dict[int, detection.Verdict]:
    """The verdict for each new mention, with repetition counted over the author's earlier mentions."""
    new = {m.pk: m for m in mentions}
    verdicts: dict[int, detection.Verdict] = {}
    for past in history.values():
        texts: Counter[str] = Counter()
        site_counts: Counter[str] = Counter()
        for mention in past:
            if mention.pk in new:
                # Only new mentions go through the scanner; earlier ones count by their text and links.
                full = new[mention.pk]
                signals = detection.text_signals(full.text, _known_language(full))
                verdicts[mention.pk] = detection.judge(
                    signals,
                    abusive=detection.confident(full.abusive, full.abusive_score, full.text),
                    hate=detection.confident(full.hate, full.hate_score, full.text),
                    earlier_texts=texts[mention.fingerprint],
                    earlier_sites=[site_counts[site] for site in mention.sites],
                )  # fmt: skip
            texts[mention.fingerprint] += 1
            site_counts.update(mention.sites)
    return verdicts


def _known_language(mention: Mention) -> str | None:
    """The language found when the mention was labelled, when it was found on the whole text."""
    return mention.lang if mention.lang and len(mention.text) <= MAX_CLASSIFIED_CHARS else None


def _strongest(policy: ModerationPolicy, kinds: Sequence[str]) -> tuple[str, int]:
    kind = max(kinds, key=policy.weight)
    return kind, policy.weight(kind)


def _points(authors: list[Author], since: datetime) -> dict[int, int]:
    """Strike points per author within the window, after each one's ``counted_from`` (one query for all)."""
    points = {author.pk: 0 for author in authors}
    starts = {author.pk: max(since, author.counted_from) if author.counted_from else since for author in authors}
    rows = Strike.objects.filter(author_id__in=list(starts), created_at__gte=since).values_list(
        "author_id", "created_at", "weight"
    )
    for author_id, created_at, weight in rows:
        if created_at >= starts[author_id]:
            points[author_id] += weight
    return points


def _at_threshold(policy: ModerationPolicy, author: Author, points: int) -> author_services.Steps:
    """What the policy does for an author whose points reached the threshold."""
    if author.state != AuthorState.ACTIVE or author.whitelisted or points < policy.threshold:
        return [], []
    reason = f"{points} / {policy.threshold} ({policy.window_days} d)"
    if policy.ban_mode == BanMode.AUTOMATIC:
        return author_services.ban_steps(author, actor=None, reason=reason)
    if policy.ban_mode == BanMode.SUGGEST:
        before = author.state
        author.state, author.state_changed_at = AuthorState.BAN_SUGGESTED, timezone.now()
        author.save(update_fields=["state", "state_changed_at"])
        suggested = event(
            "moderation.ban_suggested", actor=None, organisation=author.organisation, obj=author,
            summary=f"@{author.handle}: {reason}", before={"state": before}, after={"state": author.state},
        )  # fmt: skip
        return [], [suggested]
    return [], []


def _may_act(mention: Mention, author: Author, verdicts: dict[int, detection.Verdict]) -> bool:
    """Whether the policy may do anything about this mention: it earned a strike, or its author is banned."""
    return bool(verdicts.get(mention.pk)) or author.state == AuthorState.BANNED


def moderate_new_mentions(organisation: Organisation, mentions: Sequence[Mention]) -> list[Strike]:
    """Strike, hide and ban as the policy says for mentions just stored (see the module docstring)."""
    mentions = [m for m in mentions if m.author_handle]
    if not mentions:
        return []
    policy = policy_for(organisation)
    since = timezone.now() - timedelta(days=policy.window_days)
    authors = _authors(organisation, mentions)
    judged = [m for m in mentions if not authors[(m.network, m.author_handle)].whitelisted]
    # A late delivery (an old comment read now) is judged too; it simply falls outside the count.
    oldest = min([since, *(m.created_at for m in judged)])
    verdicts = _judge_all(judged, _history(organisation, authors, oldest)) if judged else {}
    # Most comments earn nothing: only the authors of the rest are locked (and read again under the lock).
    acting = [m for m in judged if _may_act(m, authors[(m.network, m.author_handle)], verdicts)]
    _lock(organisation, authors, {(m.network, m.author_handle) for m in acting})
    acting = [m for m in acting if not authors[(m.network, m.author_handle)].whitelisted]
    strikes = []
    for mention in acting:
        verdict = verdicts.get(mention.pk)
        if verdict:
            kind, weight = _strongest(policy, verdict.kinds)
            strikes.append(
                Strike(
                    organisation=organisation, author=authors[(mention.network, mention.author_handle)],
                    mention=mention, kind=kind, weight=weight, evidence=list(verdict.evidence),
                    created_at=mention.created_at,
                )
            )  # fmt: skip
    Strike.objects.bulk_create(strikes, ignore_conflicts=True)
    requested: list[ModerationAction] = []
    events: list[PendingEvent] = [
        event(
            "moderation.strike", actor=None, organisation=organisation, obj=strike.author,
            summary=f"@{strike.author.handle}: {strike.kind} +{strike.weight}",
            after={"mention": str(strike.mention.public_id), "kind": strike.kind, "weight": strike.weight},
        )
        for strike in strikes
    ]  # fmt: skip
    struck = {strike.author_id: strike.author for strike in strikes}
    points = _points(list(struck.values()), since)
    for author in struck.values():
        more, pending = _at_threshold(policy, author, points[author.pk])
        requested += more
        events += pending
    for mention in acting:
        steps = _automatic_hide(policy, authors[(mention.network, mention.author_handle)], mention, verdicts)
        requested += steps[0]
        events += steps[1]
    append(events)
    queue(requested)
    return strikes


def _automatic_hide(
    policy: ModerationPolicy, author: Author, mention: Mention, verdicts: dict[int, detection.Verdict]
) -> author_services.Steps:
    """Hide a comment the policy hides at once: spam (or abuse), or anything from a banned author."""
    kinds = verdicts[mention.pk].kinds if mention.pk in verdicts else ()
    if author.state == AuthorState.BANNED:
        return author_services.hide_steps(author, mention, actor=None, reason="banned author")
    if policy.hide_spam and "spam" in kinds:
        return author_services.hide_steps(author, mention, actor=None, reason="spam")
    if policy.hide_abuse and ("abuse" in kinds or "hate" in kinds):
        return author_services.hide_steps(author, mention, actor=None, reason=kinds[-1])
    return [], []
