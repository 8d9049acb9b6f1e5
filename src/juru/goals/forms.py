"""Forms of the goals pages; they only parse input, the services check and save it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from juru.accounts.models import Organisation, Team
from juru.goals.kpis import choices as kpi_choices
from juru.publishing.models import BusinessFunction

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FunctionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ObjectiveForm(forms.Form):
    function = forms.ChoiceField(label=_("Business function"), choices=BusinessFunction.choices)
    title = forms.CharField(label=_("Objective"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    period_start = forms.DateField(label=_("From"), widget=DATE)
    period_end = forms.DateField(label=_("Until"), widget=DATE)

    def __init__(self, *args: Any, function_names: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if function_names:
            self.fields["function"].choices = list(function_names.items())  # type: ignore[attr-defined]


class TargetForm(forms.Form):
    kpi = forms.ChoiceField(label=_("KPI"), choices=kpi_choices)
    value = forms.DecimalField(label=_("Target"), min_value=0, max_digits=12, decimal_places=2)


class PilotForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("Until"), widget=DATE)
    lessons = forms.CharField(
        label=_("What worked"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown in the monthly report beside the pilot's figures."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
