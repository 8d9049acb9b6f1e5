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
    "publishing.post.paused": _("held a post back because of a crisis"),
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
    "violation.open": _("opened a violation case"),
    "violation.investigating": _("started investigating a violation case"),
    "violation.note": _("added a note to a violation case"),
    "violation.decided": _("decided a violation case"),
    "violation.closed": _("closed a violation case"),
    "violation.reopened": _("reopened a violation case"),
    "violation.seen": _("read the decision on their violation case"),
    "violation.ladder_add": _("added a step to the consequence ladder"),
    "violation.ladder_remove": _("removed a step from the consequence ladder"),
    "training.complete": _("completed a training module"),
    # Listening
    "advocacy.item_added": _("added a post to the advocacy library"),
    "advocacy.item_withdrawn": _("withdrew a post from the advocacy library"),
    "advocacy.item_restored": _("offered a post in the advocacy library again"),
    "advocacy.shared": _("shared an advocacy post from a personal account"),
    "listening.query_created": _("created a listening query"),
    "listening.query_changed": _("changed a listening query"),
    "listening.query_deleted": _("deleted a listening query"),
    "listening.alert_settings_changed": _("changed the alert settings"),
    "listening.alert_opened": _("opened an alert"),
    "listening.alert_acknowledged": _("acknowledged an alert"),
    # Goals and reports
    "goals.function_updated": _("renamed or described a business function"),
    "goals.objective_created": _("set an objective"),
    "goals.objective_updated": _("changed an objective"),
    "goals.objective_deleted": _("removed an objective"),
    "goals.target_set": _("set a KPI target"),
    "goals.target_deleted": _("removed a KPI target"),
    "goals.pilot_saved": _("saved a pilot programme"),
    "goals.report_sent": _("e-mailed the monthly report to the owners"),
    # Crisis mode
    "crisis.declared": _("declared a crisis"),
    "crisis.ended": _("ended a crisis"),
    "crisis.post_released": _("released a post held by a crisis"),
    "crisis.post_rescheduled": _("rescheduled a post held by a crisis"),
    "crisis.post_cancelled": _("cancelled a post held by a crisis"),
    # Moderation
    "moderation.strike": _("counted a strike against an author"),
    "moderation.ban_suggested": _("suggested banning an author"),
    "moderation.ban_dismissed": _("dismissed a suggested ban"),
    "moderation.author_banned": _("banned an author"),
    "moderation.author_unbanned": _("lifted an author's ban"),
    "moderation.author_whitelisted": _("whitelisted an author"),
    "moderation.author_unwhitelisted": _("removed an author from the whitelist"),
    "moderation.hide_requested": _("asked the network to hide a comment"),
    "moderation.unhide_requested": _("asked the network to show a comment again"),
    "moderation.block_requested": _("asked the network to block an author"),
    "moderation.unblock_requested": _("asked the network to unblock an author"),
    "moderation.action_done": _("carried out a moderation action on the network"),
    "moderation.action_failed": _("recorded a moderation action the network refused"),
    "moderation.action_retried": _("retried a moderation action"),
    "moderation.appeal_recorded": _("recorded an appeal"),
    "moderation.appeal_accepted": _("accepted an appeal"),
    "moderation.appeal_rejected": _("rejected an appeal"),
    "moderation.policy_changed": _("changed the moderation policy"),
    # Inbox
    "inbox.assigned": _("assigned a conversation"),
    "inbox.status_changed": _("changed a conversation's status"),
    "inbox.priority_changed": _("changed a conversation's priority"),
    "inbox.tags_changed": _("changed a conversation's tags"),
    "inbox.note_added": _("added an internal note to a conversation"),
    "inbox.escalated": _("escalated a conversation"),
    "inbox.rule_created": _("created a routing rule"),
    "inbox.rule_changed": _("changed a routing rule"),
    "inbox.rule_deleted": _("deleted a routing rule"),
    "inbox.rule_moved": _("reordered the routing rules"),
    "inbox.settings_changed": _("changed the business hours and response-time targets"),
    "inbox.day_override_added": _("added an extra day off or working day"),
    "inbox.day_override_removed": _("removed an extra day off or working day"),
    "inbox.team_assignment_changed": _("changed how a team's conversations are assigned"),
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
