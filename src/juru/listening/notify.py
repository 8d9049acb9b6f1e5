"""Alerts leave the app: an e-mail to the people who must act, and a signed webhook.

Who gets the e-mail: the organisation's owners and the members of its crisis teams (the people
who declare and run a crisis), when they have an address, each one message in their own language
(the one they chose in Juru, else the organisation's). The webhook follows the Standard
Webhooks scheme (``webhook-id``, ``webhook-timestamp``, ``webhook-signature`` headers, signed with
the organisation's ``whsec_`` secret); the id stays the same on retries so receivers can drop
duplicates. Its address is checked again when it is sent (``juru.listening.addresses``).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import httpx
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from standardwebhooks.webhooks import Webhook

from juru.accounts.models import Member, Organisation, Role, TeamKind, UserPreference
from juru.listening import addresses
from juru.listening.models import Alert, AlertSettings

WEBHOOK_TIMEOUT = 10.0


def recipients(alert: Alert) -> dict[str, str]:
    """E-mail address -> language of the owners and crisis-team members of the alert's organisation."""
    return crisis_team_recipients(alert.organisation)


def crisis_team_recipients(organisation: Organisation) -> dict[str, str]:
    """E-mail address -> language of the people who run a crisis (their own choice, else the organisation's)."""
    members = (
        Member.objects.filter(organisation=organisation, is_active=True)
        .filter(Q(role=Role.OWNER) | Q(team_memberships__team__kind=TeamKind.CRISIS))
        .exclude(user__email="")
        .select_related("user")
        .distinct()
    )
    chosen = dict(
        UserPreference.objects.filter(user__in=[m.user_id for m in members]).values_list("user_id", "language")
    )
    known = {code for code, _name in settings.LANGUAGES}
    fallback = organisation.language if organisation.language in known else settings.LANGUAGE_CODE
    found: dict[str, str] = {}
    for member in sorted(members, key=lambda m: m.user.email):
        language = chosen.get(member.user_id) or ""
        found.setdefault(member.user.email, language if language in known else fallback)
    return found


def alert_path(alert: Alert) -> str:
    """The alert's page in the app."""
    return reverse("listening:alert-detail", kwargs={"org_slug": alert.organisation.slug, "alert_id": alert.public_id})


def alert_message(alert: Alert, language: str) -> tuple[str, str]:
    """The alert e-mail's subject and body in ``language``."""
    with translation.override(language):
        subject = _("[Juru] Spike in %(sentiment)s mentions: %(subject)s (severity %(severity)d)") % {
            "sentiment": alert.get_sentiment_display().lower(),
            "subject": alert.subject,
            "severity": alert.severity,
        }
        lines = [
            _("%(observed)d mentions in %(minutes)d minutes where about %(expected).1f were expected.")
            % {"observed": alert.observed, "minutes": alert.window_minutes, "expected": alert.expected},
            _("Opened at %(time)s.") % {"time": timezone.localtime(alert.opened_at).strftime("%Y-%m-%d %H:%M %Z")},
        ]
        if alert.top_terms:
            lines.append(_("Most used words: %(terms)s") % {"terms": ", ".join(alert.top_terms)})
        lines += [f"- {example['text']}" for example in alert.examples]
        link = settings.JURU_BASE_URL.rstrip("/") + alert_path(alert)
        lines.append(_("Open the alert: %(path)s") % {"path": link})
    return subject, "\n".join(lines)


def email_alert(alert: Alert) -> int:
    """E-mail the alert to each recipient in their own language; returns how many messages were sent."""
    to = recipients(alert)
    if not to:
        return 0
    texts = {language: alert_message(alert, language) for language in set(to.values())}
    messages = [EmailMessage(*texts[language], to=[address]) for address, language in to.items()]
    return get_connection().send_messages(messages) or 0


def payload(alert: Alert, *, opened: bool) -> dict[str, Any]:
    """The webhook body: an event type, when it was sent, and the alert."""
    return {
        "type": "alert.opened" if opened else "alert.updated",
        "timestamp": timezone.now().isoformat(),
        "data": {
            "id": str(alert.public_id),
            "organisation": alert.organisation.slug,
            "subject": alert.subject,
            "query": str(alert.query.public_id) if alert.query else None,
            "sentiment": alert.sentiment,
            "severity": alert.severity,
            "observed": alert.observed,
            "expected": round(alert.expected, 1),
            "window_minutes": alert.window_minutes,
            "opened_at": alert.opened_at.isoformat(),
            "updated_at": alert.updated_at.isoformat(),
            "top_terms": alert.top_terms,
            "examples": alert.examples,
            "path": alert_path(alert),
        },
    }


def signed_request(secret: str, message_id: str, body: str, sent_at: datetime) -> dict[str, str]:
    """The Standard Webhooks headers for ``body``."""
    signature = Webhook(secret).sign(message_id, sent_at, body)
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signature,
    }


def post_webhook(alert: Alert, *, opened: bool, client: httpx.Client | None = None) -> int | None:
    """POST the signed alert to the organisation's webhook; the HTTP status, or None when none is set.

    Raises ``httpx.HTTPError`` on a network failure or a non-2xx answer (the task retries), and
    ``ListeningError`` when the address now leads somewhere alerts may not go (no retry).
    """
    config = AlertSettings.objects.filter(organisation=alert.organisation).first()
    if config is None or not config.webhook_url or not config.webhook_secret:
        return None
    target = addresses.check(config.webhook_url)
    body = json.dumps(payload(alert, opened=opened), ensure_ascii=False)
    message_id = f"alert_{alert.public_id.hex}_{alert.updates}"
    headers = signed_request(config.webhook_secret, message_id, body, timezone.now())
    headers["host"] = target.host_header
    own = client is None
    http = client or httpx.Client(timeout=WEBHOOK_TIMEOUT, follow_redirects=False)
    try:
        # Connect to the address that was checked; the name still goes to the server (Host, TLS SNI).
        response = http.post(
            target.url, content=body.encode(), headers=headers, extensions={"sni_hostname": target.server_name}
        )
        response.raise_for_status()
        return response.status_code
    finally:
        if own:
            http.close()
