"""Forms of the publishing pages (the services validate again; forms only shape input)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from juru.accounts.forms import MemberMultipleChoiceField
from juru.accounts.models import BrandAccount, Member, Organisation, Role, Team
from juru.accounts.queries import accounts_to_draft_for
from juru.publishing.models import BusinessFunction, StepMode
from juru.scan.limits import MAX_TEXT_CHARS

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class DraftForm(forms.Form):
    """Text, target accounts with optional per-network variants, labels and target time."""

    accounts = forms.ModelMultipleChoiceField(
        queryset=BrandAccount.objects.none(), widget=forms.CheckboxSelectMultiple, label=_("Accounts")
    )
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}), max_length=MAX_TEXT_CHARS)
    campaign = forms.CharField(label=_("Campaign"), required=False, max_length=120)
    business_function = forms.ChoiceField(
        label=_("Business function"), required=False, choices=[("", "—"), *BusinessFunction.choices]
    )
    scheduled_for = forms.DateTimeField(
        label=_("Target time"), required=False, widget=DateTimeLocal(), input_formats=[DATETIME_FORMAT]
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, member: Member, draft_accounts: Sequence[BrandAccount] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the accounts the member may speak for; a draft keeps the ones it targets, and a sent
        # form keeps what was chosen, so the service's refusal can name that account.
        sent = self.data.getlist("accounts") if isinstance(self.data, QueryDict) else []
        chosen = [v for v in sent if str(v).isdigit()]
        kept = BrandAccount.objects.filter(organisation=member.organisation_id, is_active=True, pk__in=chosen)
        accounts = (
            accounts_to_draft_for(member) | kept | BrandAccount.objects.filter(pk__in=[a.pk for a in draft_accounts])
        ).order_by("network", "handle")
        self.fields["accounts"].queryset = accounts  # type: ignore[attr-defined]
        self.account_list = list(accounts)
        for account in self.account_list:
            self.fields[f"variant_{account.pk}"] = forms.CharField(
                label=_("Text for %(handle)s (%(network)s)") % {"handle": account.handle, "network": account.network},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def variants(self) -> dict[int, str]:
        """Per-account texts keyed by account pk (empty entries mean: use the main text)."""
        return {a.pk: self.cleaned_data.get(f"variant_{a.pk}", "") or "" for a in self.account_list}

    def variant_fields(self) -> list[Any]:
        """The variant fields, for the template."""
        return [self[f"variant_{a.pk}"] for a in self.account_list]


class DecisionForm(forms.Form):
    """An approver's decision with a comment, tied to the version and step they saw."""

    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("request_changes", _("Request changes")), ("reject", _("Reject"))]
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)
    step = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ScheduleForm(forms.Form):
    """When to publish, and the explicit confirmation of each target account."""

    confirm = forms.MultipleChoiceField(
        label=_("I confirm the target accounts"), widget=forms.CheckboxSelectMultiple, required=False
    )
    when = forms.DateTimeField(
        label=_("Publish at (empty: the target time, or now)"),
        required=False,
        widget=DateTimeLocal(),
        input_formats=[DATETIME_FORMAT],
    )

    def __init__(self, *args: Any, accounts: list[BrandAccount], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confirm"].choices = [  # type: ignore[attr-defined]
            (str(a.public_id), f"{a.handle} · {a.network} · {a.get_account_type_display()}") for a in accounts
        ]


class ReasonForm(forms.Form):
    """A free-text reason (override, cancel, resolve)."""

    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ChainStepForm(forms.Form):
    """One step of an account's approval chain."""

    name = forms.CharField(label=_("Step name"), max_length=120)
    mode = forms.ChoiceField(label=_("Who must approve"), choices=StepMode.choices)
    members = MemberMultipleChoiceField(queryset=Member.objects.none(), required=False, label=_("Members"))
    teams = forms.ModelMultipleChoiceField(queryset=Team.objects.none(), required=False, label=_("Teams"))
    roles = forms.MultipleChoiceField(choices=Role.choices, required=False, label=_("Roles"))

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = Member.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, is_active=True
        ).select_related("user")
        self.fields["teams"].queryset = Team.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
