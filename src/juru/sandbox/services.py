"""What a visitor writes on the sandbox's public pages: a comment under a post, or a mention of an account.

Both land on the network exactly as the traffic generator's do, so the sandbox connector's
``fetch_mentions`` hands them to listening like any other network's comments and mentions.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from juru.connectors.sandbox import CAPABILITIES, SandboxError, SandboxPost
from juru.connectors.sandbox.store import MENTION
from juru.sandbox import queries


class VisitorError(Exception):
    """What the sandbox refused, in words for the visitor (translated)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _check_visitor(handle: str, account: str) -> None:
    store = queries.store()
    if queries.is_registered(handle):
        raise VisitorError(
            _("@%(handle)s is a registered account on the sandbox; choose a handle of your own.") % {"handle": handle}
        )
    if store.is_blocked(account, handle):
        raise VisitorError(_("@%(account)s has blocked @%(handle)s.") % {"account": account, "handle": handle})


def comment(post_id: str, handle: str, text: str) -> SandboxPost:
    """Answer a post (or a comment) as ``handle`` (already checked by the form)."""
    store = queries.store()
    target = store.get(post_id)
    if target is None or target.deleted or target.hidden:
        raise VisitorError(_("This post does not exist or was removed."))
    owner = store.get(target.root) if target.root else target
    _check_visitor(handle, owner.author if owner else target.author)
    try:
        return store.comment(handle, post_id, text)
    except SandboxError as exc:
        if exc.status == 403:
            raise VisitorError(_("This account does not accept your comments.")) from None
        raise VisitorError(_("This post does not exist or was removed.")) from None


def mention(account: str, handle: str, text: str) -> SandboxPost:
    """Post a message that mentions ``account`` (prefixed with @account unless the text names it)."""
    _check_visitor(handle, account)
    named = {found.lower() for found in MENTION.findall(text)}
    body = text if account in named else f"@{account} {text}"
    if not CAPABILITIES.fits(body):
        raise VisitorError(
            _("With @%(account)s in front, the message is too long; shorten it a little.") % {"account": account}
        )
    post, _fault = queries.store().publish(handle, body)
    assert post is not None  # no operation named: no planned fault applies
    return post
