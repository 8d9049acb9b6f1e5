"""Business functions, objectives with KPI targets, pilot programmes and sent monthly reports.

The five business functions themselves are one list, ``publishing.BusinessFunction`` (drafts are
tagged with it); an organisation gives each its own name and description here (``FunctionProfile``)
and sets objectives for it. Writes go through ``juru.goals.services``.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from juru.publishing.models import BusinessFunction


class FunctionProfile(models.Model):
    """An organisation's own name and description for one business function."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    function = models.CharField(_("business function"), max_length=32, choices=BusinessFunction.choices)
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "function"], name="goals_one_profile_per_function"),
        ]

    def __str__(self) -> str:
        return self.name


class Objective(models.Model):
    """What a business function wants to achieve over a period, measured by its targets."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    function = models.CharField(_("business function"), max_length=32, choices=BusinessFunction.choices)
    title = models.CharField(_("objective"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    created_by = models.ForeignKey("accounts.Member", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["function", "-period_start", "pk"]

    def __str__(self) -> str:
        return self.title


class Target(models.Model):
    """One KPI of an objective and the value it should reach (or stay under) by the period's end."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="targets")
    kpi = models.CharField(_("KPI"), max_length=48)  # a name in juru.goals.kpis.REGISTRY
    value = models.DecimalField(_("target"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["objective", "kpi"], name="goals_one_target_per_kpi")]

    def __str__(self) -> str:
        return f"{self.kpi}: {self.value}"


class Pilot(models.Model):
    """A pilot programme: a small team of spokespeople trying the policy over a few weeks."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    lessons = models.TextField(_("what worked"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start", "pk"]

    def __str__(self) -> str:
        return self.name


class ReportDelivery(models.Model):
    """The monthly report of one organisation was e-mailed: claimed once per month, never sent twice."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the reported month
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "month"], name="goals_one_delivery_per_month")]

    def __str__(self) -> str:
        return f"{self.organisation_id}:{self.month:%Y-%m}"
