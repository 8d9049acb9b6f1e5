"""Forms of the organisation pages: members, teams, brand accounts, grants."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from juru.accounts.models import AccountType, Member, Organisation, Permission, Role, Team, TeamKind

NETWORK_CHOICES = [
    ("sandbox", _("Sandbox (built in)")),
    ("bluesky", "Bluesky"),
    ("mastodon", "Mastodon"),
    ("telegram", "Telegram"),
    ("x", "X"),
    ("facebook", "Facebook"),
    ("instagram", "Instagram"),
    ("youtube", "YouTube"),
]


def member_label(member: Member) -> str:
    """A member as a person reads them in a list: full name and username."""
    name, username = member.display_name, member.user.get_username()
    return name if name == username else f"{name} ({username})"


class MemberChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # django-stubs generic varies
    """Members by name and username, chosen by public id; the empty choice says what to do."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", _("Choose a member"))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return member_label(obj)


class MemberMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Several members by name and username."""

    def label_from_instance(self, obj: Any) -> str:
        return member_label(obj)


class MemberAddForm(forms.Form):
    """Add a person to the organisation: an existing user by username, or a new one."""

    username = forms.SlugField(label=_("Username"), max_length=150)
    email = forms.EmailField(
        label=_("Email"), required=False, help_text=_("Needed only when the person has no Juru user yet.")
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.CONTRIBUTOR)


class OrganisationSettingsForm(forms.Form):
    """What the owner or an administrator sets for the whole organisation."""

    language = forms.ChoiceField(
        label=_("Default language"),
        choices=settings.LANGUAGES,
        help_text=_("What members see until they pick a language themselves in the page header."),
    )


class RoleForm(forms.Form):
    """Change a member's role."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class TeamForm(forms.Form):
    """Create or rename a team."""

    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=TeamKind.choices, initial=TeamKind.OTHER)


class TeamMemberForm(forms.Form):
    """Add a member of the organisation to a team."""

    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.none(), to_field_name="public_id")
    is_lead = forms.BooleanField(label=_("Team lead"), required=False)

    def __init__(self, *args: Any, organisation: Organisation, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        taken = team.memberships.values("member_id")
        field = self.fields["member"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Member.objects.filter(organisation=organisation, is_active=True)
            .exclude(pk__in=taken)
            .select_related("user")
        )


class BrandAccountForm(forms.Form):
    """Add or edit a brand account; credentials are write-only (never shown back)."""

    network = forms.ChoiceField(label=_("Network"), choices=NETWORK_CHOICES)
    handle = forms.CharField(label=_("Handle"), max_length=200)
    display_name = forms.CharField(label=_("Display name"), max_length=200, required=False)
    account_type = forms.ChoiceField(label=_("Account type"), choices=AccountType.choices, initial=AccountType.BRAND)
    owner_member = MemberChoiceField(
        label=_("Owner (personal accounts)"),
        empty_label=_("None (a brand account)"),
        queryset=Member.objects.none(),
        to_field_name="public_id",
        required=False,
    )
    credentials = forms.CharField(
        label=_("Credentials (JSON)"),
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Stored encrypted and never shown again. Leave empty to keep the stored credentials."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner_member"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Member.objects.filter(organisation=organisation, is_active=True).select_related("user")

    def clean_credentials(self) -> dict[str, Any] | None:
        raw = self.cleaned_data.get("credentials") or ""
        if not raw:
            return None
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            raise forms.ValidationError(_("Enter the credentials as a JSON object.")) from None
        if not isinstance(value, dict) or not value:
            raise forms.ValidationError(_("Enter the credentials as a JSON object."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("account_type") == AccountType.PERSONAL and not data.get("owner_member"):
            self.add_error("owner_member", _("A personal account needs an owner."))
        return data


class BrandAccountEditForm(forms.Form):
    """Edit an account: name, on/off, and new credentials (the stored ones are never shown)."""

    display_name = forms.CharField(label=_("Display name"), max_length=200, required=False)
    credentials = forms.CharField(
        label=_("New credentials (JSON)"),
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Stored encrypted and never shown again. Leave empty to keep the stored credentials."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False)

    clean_credentials = BrandAccountForm.clean_credentials


class GrantForm(forms.Form):
    """Give a permission on one brand account to a member or to a team."""

    permission = forms.ChoiceField(label=_("Permission"), choices=Permission.choices)
    member = MemberChoiceField(
        label=_("Member"), queryset=Member.objects.none(), to_field_name="public_id", required=False
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("Choose a team"),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        member_field = self.fields["member"]
        team_field = self.fields["team"]
        assert isinstance(member_field, forms.ModelChoiceField)
        assert isinstance(team_field, forms.ModelChoiceField)
        member_field.queryset = Member.objects.filter(organisation=organisation, is_active=True).select_related("user")
        team_field.queryset = Team.objects.filter(organisation=organisation)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("member")) == bool(data.get("team")):
            raise forms.ValidationError(_("Choose either a member or a team."))
        return data
