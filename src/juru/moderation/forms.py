"""Forms of the moderation pages (the services check every value again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from juru.moderation.exceptions import ModerationError
from juru.moderation.models import ModerationPolicy
from juru.moderation.public_appeals import clean_statement
from juru.moderation.services.appeals import MAX_STATEMENT
from juru.moderation.services.policy import FIELDS, MAX_THRESHOLD, MAX_WEIGHT, MAX_WINDOW_DAYS


class PolicyForm(forms.ModelForm):
    threshold = forms.IntegerField(label=_("strike points for a ban"), min_value=1, max_value=MAX_THRESHOLD)
    window_days = forms.IntegerField(label=_("counted over (days)"), min_value=1, max_value=MAX_WINDOW_DAYS)
    spam_weight = forms.IntegerField(label=_("points per spam comment"), min_value=0, max_value=MAX_WEIGHT)
    abuse_weight = forms.IntegerField(label=_("points per abusive comment"), min_value=0, max_value=MAX_WEIGHT)
    hate_weight = forms.IntegerField(label=_("points per hateful comment"), min_value=0, max_value=MAX_WEIGHT)

    class Meta:
        model = ModerationPolicy
        fields = list(FIELDS)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class AppealForm(forms.Form):
    statement = forms.CharField(
        label=_("What the author says"), max_length=MAX_STATEMENT, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept: lift the ban")), ("reject", _("Reject"))]
    )
    note = forms.CharField(label=_("Reason for the decision"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PublicAppealForm(forms.Form):
    """What an author writes on their public appeal page (checked again by ``public_appeals.submit``)."""

    statement = forms.CharField(
        label=_("Why should the decision be changed?"), strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_STATEMENT}),
        error_messages={"required": _("Write why the decision should be changed.")},
    )  # fmt: skip

    def clean_statement(self) -> str:
        try:
            return clean_statement(self.cleaned_data["statement"])
        except ModerationError as exc:
            raise forms.ValidationError(exc.message) from None
