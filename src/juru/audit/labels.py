"""Readable, translated phrases for the audit log's action codes and actors.

The codes stay in the log (they are hashed and filtered on); these phrases are only what a person reads.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from juru.audit.models import AuditEvent
from juru.audit.services import SYSTEM_ACTOR

# Each phrase completes a sentence whose subject is the actor ("Ani Wijaya approved the draft").
ACTION_PHRASES: dict[str, Promise] = {
    # Sign-in and second factor
    "auth.login": _("signed in"),
    "auth.login_failed": _("entered a wrong password"),
    "auth.logout": _("signed out"),
    "auth.second_factor_failed": _("entered a wrong authentication code"),
    "auth.second_factor_throttled": _("was refused a second factor after too many attempts"),
    "2fa.enrol_start": _("started setting up an authenticator app"),
    "2fa.enrol_confirm": _("confirmed an authenticator app"),
    "2fa.recovery_codes": _("generated new recovery codes"),
    "2fa.recovery_code_used": _("signed in with a recovery code"),
    "2fa.disable": _("removed two-factor authentication"),
    # Organisation, members, teams
    "organisation.create": _("created the organisation"),
    "organisation.update": _("changed the organisation's settings"),
    "member.add": _("added a member"),
    "member.remove": _("removed a member"),
    "member.change_role": _("changed a member's role"),
    "member.suspend": _("suspended a member's posting rights"),
    "member.lift_suspension": _("lifted a member's suspension"),
    "member.invite": _("invited a person to join"),
    "member.invitation_accepted": _("accepted the invitation and set a password"),
    "team.create": _("created a team"),
    "team.update": _("changed a team"),
    "team.delete": _("deleted a team"),
    "team.add_member": _("added a person to a team"),
    "team.remove_member": _("removed a person from a team"),
    # Brand accounts, grants, API tokens
    "account.create": _("added a brand account"),
    "account.update": _("changed a brand account"),
    "account.delete": _("deleted a brand account"),
    "accounts.brand_account.connected": _("connected a brand account"),
    "accounts.brand_account.needs_reconnect": _("marked a brand account as needing reconnection"),
    "accounts.brand_account.disconnected": _("disconnected a brand account"),
    "accounts.brand_account.token_refreshed": _("refreshed a brand account's access"),
    "grant.set": _("granted access to a brand account"),
    "grant.revoke": _("revoked access to a brand account"),
    "token.create": _("created an API token"),
    "token.revoke": _("revoked an API token"),
    # Publishing
    "publishing.draft.created": _("created a draft"),
    "publishing.draft.updated": _("edited a draft"),
    "publishing.draft.submitted": _("submitted a draft for approval"),
    "publishing.draft.chain_reset": _("restarted a draft's approvals"),
    "publishing.draft.approve": _("approved the draft"),
    "publishing.draft.reject": _("rejected the draft"),
    "publishing.draft.request_changes": _("asked for changes to the draft"),
    "publishing.draft.override": _("overrode a scanner block on the draft"),
    "publishing.draft.scheduled": _("scheduled the draft"),
    "publishing.draft.expired": _("let the draft expire"),
    "publishing.draft.cancelled": _("cancelled the draft"),
    "publishing.chain.updated": _("changed an approval chain"),
    "publishing.attachment.added": _("attached a file to a draft"),
    "publishing.attachment.removed": _("removed a file from a draft"),
    "publishing.post.waiting": _("put a post back to wait for approval"),
    "publishing.post.scheduled": _("scheduled a post"),
    "publishing.post.publishing": _("started publishing a post"),
    "publishing.post.published": _("published a post"),
    "publishing.post.failed": _("recorded a failed post"),
    "publishing.post.needs_human": _("handed a post to a person to check"),
    "publishing.post.cancelled": _("cancelled a post"),
    "publishing.post.claimed": _("picked up a post to publish"),
    "publishing.post.retry": _("will retry a post later"),
    "publishing.post.reconciled": _("checked whether a post went out"),
    "publishing.post.requeued": _("put a stalled post back in the queue"),
    "publishing.post.resolved": _("resolved a post by hand"),
    "publishing.attempt.started": _("started a publishing attempt"),
    "publishing.attempt.finished": _("finished a publishing attempt"),
    "publishing.attempt.abandoned": _("abandoned a stalled publishing attempt"),
    # Policy and training
    "policy.draft": _("started a new policy version"),
    "policy.save_draft": _("saved the policy draft"),
    "policy.publish": _("published a policy version"),
    "policy.sign": _("signed the policy"),
    "training.create_module": _("created a training module"),
    "training.update_module": _("changed a training module"),
    "training.update_content": _("changed a training module's content"),
    "training.complete": _("completed a training module"),
    # Listening
    "listening.query_created": _("created a listening query"),
    "listening.query_changed": _("changed a listening query"),
    "listening.query_deleted": _("deleted a listening query"),
    "listening.alert_settings_changed": _("changed the alert settings"),
    "listening.alert_opened": _("opened an alert"),
    "listening.alert_acknowledged": _("acknowledged an alert"),
    "replies.saved_reply.created": _("wrote a saved reply"),
    "replies.saved_reply.changed": _("changed a saved reply (it needs approval again)"),
    "replies.saved_reply.small_edit": _("made a small edit to a saved reply"),
    "replies.saved_reply.approved": _("approved a saved reply"),
    "replies.reply.sent": _("replied to a mention"),
}

ANONYMOUS_PREFIX = "anonymous"


def action_phrase(code: str) -> str:
    """The action in the reader's language; an unknown code reads as its words."""
    phrase = ACTION_PHRASES.get(code)
    if phrase is not None:
        return str(phrase)
    words = " ".join(code.replace("_", " ").replace(".", " ").split())
    return gettext("did “%(words)s”") % {"words": words}


def actor_name(event: AuditEvent) -> tuple[str, str]:
    """The actor as (name to show, username to show small); the username is blank where it adds nothing."""
    label = event.actor_label
    if event.actor is not None:
        full = event.actor.get_full_name().strip()
        return (full, label) if full else (label, "")
    if label == SYSTEM_ACTOR or label == "juru":
        return gettext("Juru (automatic)"), ""
    if label.startswith(ANONYMOUS_PREFIX):
        tried = label.partition(":")[2]
        return gettext("Someone"), (gettext("as “%(username)s”") % {"username": tried}) if tried else ""
    return label, ""


def object_kind(object_type: str) -> str:
    """The kind of object in the reader's language (a model's name), or the stored label if unknown."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return str(model._meta.verbose_name)
