"""The crisis team hears of a declaration: by e-mail here, in the app by the banner on every page.

The recipients are the ones listening's alerts go to (owners and crisis-team members), each in
their own language, from ``juru.listening.notify.crisis_team_recipients``: one list of who runs a
crisis and which language each of them reads.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from juru.crisis.models import Crisis
from juru.listening.notify import crisis_team_recipients


def crisis_path(crisis: Crisis) -> str:
    """The crisis page in the app."""
    return reverse("crisis:detail", kwargs={"org_slug": crisis.organisation.slug, "crisis_id": crisis.public_id})


def declared_message(crisis: Crisis, language: str) -> tuple[str, str]:
    """The declaration e-mail's subject and body in ``language``."""
    with translation.override(language):
        subject = _("[Juru] Crisis declared at %(organisation)s (severity %(severity)d)") % {
            "organisation": crisis.organisation.name,
            "severity": crisis.severity,
        }
        lines = [
            _("%(name)s declared a crisis at %(time)s.")
            % {
                "name": crisis.declared_by.display_name,
                "time": timezone.localtime(crisis.declared_at).strftime("%Y-%m-%d %H:%M %Z"),
            },
            crisis.description,
            _("The scheduled queue is paused and every new post or reply needs a crisis lead's approval."),
            _("Open the crisis: %(path)s") % {"path": settings.JURU_BASE_URL.rstrip("/") + crisis_path(crisis)},
        ]
    return subject, "\n\n".join(lines)


def email_declared(crisis: Crisis) -> int:
    """E-mail the declaration to each recipient in their own language; returns how many messages were sent."""
    to = crisis_team_recipients(crisis.organisation)
    if not to:
        return 0
    texts = {language: declared_message(crisis, language) for language in set(to.values())}
    messages = [EmailMessage(*texts[language], to=[address]) for address, language in to.items()]
    return get_connection().send_messages(messages) or 0
