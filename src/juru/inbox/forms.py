"""Forms of the inbox pages (services check every value again)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from juru.accounts.models import BrandAccount, Member, Organisation, Team
from juru.inbox.models import Priority, RoutingRule
from juru.listening.models import Sentiment

EMOTION_CHOICES = [
    ("", _("Any")), ("anger", _("Anger")), ("fear", _("Fear")), ("happy", _("Happy")), ("love", _("Love")),
    ("sadness", _("Sadness")),
]  # fmt: skip
LANGUAGE_CHOICES = [("", _("Any")), ("id", _("Indonesian")), ("en", _("English")), ("mixed", _("Mixed"))]
WEEKDAYS = [
    (0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
    (5, _("Saturday")), (6, _("Sunday")),
]  # fmt: skip


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class RuleForm(forms.ModelForm):
    sentiment = forms.ChoiceField(label=_("sentiment"), choices=[("", _("Any")), *Sentiment.choices], required=False)
    emotion = forms.ChoiceField(label=_("emotion"), choices=EMOTION_CHOICES, required=False)
    language = forms.ChoiceField(label=_("language"), choices=LANGUAGE_CHOICES, required=False)
    priority = forms.ChoiceField(label=_("set priority"), choices=[("", _("Keep normal")), *Priority.choices],
                                 required=False)  # fmt: skip
    assignee = MemberChoice(label=_("assign to"), queryset=Member.objects.none(), required=False)

    class Meta:
        model = RoutingRule
        fields = [
            "name", "is_active", "words", "sentiment", "emotion", "abusive", "hate", "language", "network",
            "account", "authors", "team", "priority", "tags", "assignee",
        ]  # fmt: skip
        widgets = {
            "words": forms.Textarea(attrs={"rows": 4, "placeholder": "keracunan\nsakit perut\nbasi\nfood poisoning"}),
            "authors": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = BrandAccount.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        self.fields["team"].queryset = Team.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        self.fields["assignee"].queryset = Member.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, is_active=True
        ).select_related("user")


class SettingsForm(forms.Form):
    time_zone = forms.CharField(label=_("time zone"), max_length=60)
    day_start = forms.TimeField(label=_("business day starts"))
    day_end = forms.TimeField(label=_("business day ends"), help_text=_("00:00 means midnight (the end of the day)."))
    workdays = forms.TypedMultipleChoiceField(
        label=_("working days"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    public_holidays = forms.BooleanField(label=_("skip Indonesian public holidays and cuti bersama"), required=False)
    warning_minutes = forms.IntegerField(label=_("warn this many minutes before a target is missed"), min_value=0,
                                         max_value=1440)  # fmt: skip
    offline_after_minutes = forms.IntegerField(label=_("offline after minutes without activity"), min_value=1,
                                               max_value=1440)  # fmt: skip
    default_team = forms.ModelChoiceField(
        label=_("team for conversations no rule routes"), queryset=Team.objects.none(), required=False
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["default_team"].queryset = Team.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        for priority, label in Priority.choices:
            self.fields[f"first_{priority}"] = forms.IntegerField(label=label, min_value=1)
            self.fields[f"resolution_{priority}"] = forms.IntegerField(label=label, min_value=1)

    def targets(self) -> dict[str, tuple[int, int]]:
        data = self.cleaned_data
        return {p: (data[f"first_{p}"], data[f"resolution_{p}"]) for p in Priority.values}


class DayOverrideForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    is_working_day = forms.BooleanField(label=_("working day (instead of a day off)"), required=False)
    note = forms.CharField(label=_("note"), max_length=200, required=False)
