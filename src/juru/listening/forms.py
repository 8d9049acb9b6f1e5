"""Forms of the listening pages (validation of values that services check again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from juru.listening import addresses
from juru.listening.exceptions import ListeningError
from juru.listening.models import AlertSettings, ListeningQuery


class QueryForm(forms.ModelForm):
    class Meta:
        model = ListeningQuery
        fields = ["name", "kind", "language", "terms", "exclusions", "is_active"]
        widgets = {
            "terms": forms.Textarea(attrs={"rows": 5, "placeholder": 'Nusantara Rasa\n@nusantararasa\n"nasi kotak"'}),
            "exclusions": forms.Textarea(attrs={"rows": 3}),
        }


class AlertSettingsForm(forms.ModelForm):
    webhook_url = forms.URLField(label=_("webhook address"), required=False, assume_scheme="https")
    rotate_secret = forms.BooleanField(label=_("Create a new signing secret"), required=False)

    class Meta:
        model = AlertSettings
        fields = ["email_enabled", "webhook_url"]

    def clean_webhook_url(self) -> str:
        """Only public internet addresses (the service checks again, and so does each send)."""
        url: str = self.cleaned_data["webhook_url"]
        if url:
            try:
                addresses.check(url)
            except ListeningError as exc:
                raise forms.ValidationError(exc.message) from None
        return url
