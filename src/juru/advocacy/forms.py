"""Forms of the advocacy pages (the services check every value again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from juru.accounts.forms import NETWORK_CHOICES
from juru.advocacy.models import MAX_ITEM_CHARS


class PersonalAccountForm(forms.Form):
    network = forms.ChoiceField(label=_("network"), choices=NETWORK_CHOICES)
    handle = forms.CharField(label=_("handle"), max_length=200, help_text=_("Your own account, e.g. @nama_anda"))


class ItemForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=120)
    text = forms.CharField(label=_("text"), max_length=MAX_ITEM_CHARS, widget=forms.Textarea(attrs={"rows": 5}))
    link = forms.URLField(label=_("link"), required=False, max_length=500, assume_scheme="https")
    source_post = forms.UUIDField(required=False, widget=forms.HiddenInput)


class ShareForm(forms.Form):
    account = forms.UUIDField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("text"), max_length=MAX_ITEM_CHARS + 500, widget=forms.Textarea(attrs={"rows": 6}))
