"""The monthly report e-mailed to each organisation's owners, once per organisation and month.

Claiming and sending happen in one transaction: the unique (organisation, month) row is the claim,
so a second run (or a second worker) sends nothing; if sending fails the claim rolls back with it
and the next run tries again.
"""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from juru.accounts.models import Member, Organisation, Role
from juru.accounts.queries import chosen_language
from juru.audit.services import record
from juru.goals import queries
from juru.goals.models import ReportDelivery
from juru.goals.pdf import report_html, report_pdf

log = logging.getLogger(__name__)


def _owners(organisation: Organisation) -> list[Member]:
    owners = Member.objects.filter(organisation=organisation, role=Role.OWNER, is_active=True)
    return list(owners.exclude(user__email="").select_related("user"))


def _message(organisation: Organisation, month: date, owner: Member, cache: dict[str, bytes]) -> EmailMultiAlternatives:
    lang = chosen_language(owner.user) or organisation.language
    if lang not in cache:
        cache[lang] = report_pdf(organisation, month, lang)
    link = settings.JURU_BASE_URL.rstrip("/") + reverse("goals:report", args=[organisation.slug])
    link += f"?month={month:%Y-%m}"
    with translation.override(lang):
        label = f"{month:%Y-%m}"
        subject = _("Monthly report %(month)s: %(organisation)s") % {"month": label, "organisation": organisation.name}
        body = _("The monthly report of %(organisation)s for %(month)s is attached as PDF. Online: %(link)s") % {
            "organisation": organisation.name,
            "month": label,
            "link": link,
        }
    message = EmailMultiAlternatives(subject, body, None, [owner.user.email])
    message.attach_alternative(report_html(organisation, month, lang), "text/html")
    message.attach(f"juru-{organisation.slug}-{label}-{lang}.pdf", cache[lang], "application/pdf")
    return message


def send_month(organisation: Organisation, month: date) -> bool:
    """E-mail ``month``'s report to the owners unless it was sent already; True if it went out now."""
    owners = _owners(organisation)
    try:
        with transaction.atomic():
            delivery = ReportDelivery.objects.create(organisation=organisation, month=month, recipients=len(owners))
            cache: dict[str, bytes] = {}
            for owner in owners:
                _message(organisation, month, owner, cache).send()
            record(
                action="goals.report_sent",
                actor=None,
                organisation=organisation,
                obj=delivery,
                after={"month": f"{month:%Y-%m}", "recipients": len(owners)},
            )
    except IntegrityError:
        return False  # sent already (or being sent by another worker right now)
    return True


def send_monthly_reports(today: date | None = None) -> int:
    """Send last month's report of every organisation that has not had it yet; returns how many went out."""
    month = queries.previous_month((today or queries.this_month()).replace(day=1))
    sent = 0
    for organisation in Organisation.objects.all():
        if ReportDelivery.objects.filter(organisation=organisation, month=month).exists():
            continue
        sent += send_month(organisation, month)
    log.info("monthly reports for %s: %d sent", month, sent)
    return sent
