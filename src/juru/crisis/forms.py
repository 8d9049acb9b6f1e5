"""Forms of the crisis pages (the services check every value again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from juru.crisis.services import MAX_DESCRIPTION
from juru.publishing.forms import DATETIME_FORMAT, DateTimeLocal


class DeclareForm(forms.Form):
    severity = forms.IntegerField(
        label=_("Severity"),
        min_value=1,
        max_value=10,
        help_text=_("1 is minor, 10 the most serious."),
        error_messages={"required": _("Severity is a whole number from 1 (minor) to 10 (most serious).")},
    )
    description = forms.CharField(
        label=_("What is happening"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Describe the crisis in a sentence or two: what happened and what is at stake.")},
    )


class EndForm(forms.Form):
    summary = forms.CharField(
        label=_("Closing note"), required=False, max_length=MAX_DESCRIPTION, widget=forms.Textarea(attrs={"rows": 3})
    )


class RescheduleForm(forms.Form):
    when = forms.DateTimeField(
        label=_("New time"),
        widget=DateTimeLocal(),
        input_formats=[DATETIME_FORMAT],
        error_messages={"required": _("Choose the new publish time."), "invalid": _("Enter a valid date and time.")},
    )
