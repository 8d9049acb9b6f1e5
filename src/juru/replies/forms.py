"""The saved-reply form (the composer posts plain fields, read in the view)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from juru.replies.models import SavedReply


class SavedReplyForm(forms.Form):
    """Title, both texts, topics (comma-separated) and the holding-statement flag."""

    title = forms.CharField(label=_("Title"), max_length=120)
    text_id = forms.CharField(
        label=_("Indonesian text"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Variables such as {nama} or {nomor_pesanan} are asked of the responder when the reply is used."),
    )
    text_en = forms.CharField(label=_("English text"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    tags = forms.CharField(label=_("Topics"), required=False, help_text=_("Comma-separated, e.g. delivery, refund."))
    is_holding = forms.BooleanField(
        label=_("Holding statement"), required=False, help_text=_("Offered first while a crisis is declared.")
    )

    @classmethod
    def for_saved(cls, saved: SavedReply, data: Any = None) -> SavedReplyForm:
        """The form filled with the current version."""
        current = saved.current
        initial = {
            "title": saved.title,
            "text_id": current.text_id,
            "text_en": current.text_en,
            "tags": ", ".join(saved.tags),
            "is_holding": saved.is_holding,
        }
        return cls(data, initial=initial)

    def tag_list(self) -> list[str]:
        """The topics as a list."""
        return [t for t in self.cleaned_data.get("tags", "").split(",") if t.strip()]
