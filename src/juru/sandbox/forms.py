"""The visitor's form on the sandbox's public pages: a handle and what they want to say."""

from __future__ import annotations

import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from juru.connectors.sandbox import CAPABILITIES, SandboxError, check_handle

HANDLE_MAX = 64


class VisitorForm(forms.Form):
    """A comment under a post, or a message that mentions an account; the visitor picks any free handle."""

    handle = forms.CharField(
        label=_("Your handle"), max_length=HANDLE_MAX + 1, widget=forms.TextInput(attrs={"placeholder": "budi_santoso"})
    )
    text = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 3, "maxlength": CAPABILITIES.max_length * 4})
    )

    def clean_handle(self) -> str:
        """Lowercase letters, digits, '.', '_' or '-', as on the network."""
        try:
            return check_handle(self.cleaned_data["handle"])
        except SandboxError:
            raise forms.ValidationError(
                _("Use up to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.")
            ) from None

    def clean_text(self) -> str:
        """Any language and any emoji, within the network's length (counted as people see characters)."""
        text = unicodedata.normalize("NFC", self.cleaned_data["text"]).strip()
        if not any(not unicodedata.category(ch).startswith(("Z", "C")) for ch in text):
            raise forms.ValidationError(_("Write something to post."))
        over = -CAPABILITIES.remaining(text)
        if over > 0:
            raise forms.ValidationError(
                ngettext(
                    "The message is %(over)d character too long (at most %(limit)d).",
                    "The message is %(over)d characters too long (at most %(limit)d).",
                    over,
                )
                % {"over": over, "limit": CAPABILITIES.max_length}
            )
        return text
