"""Language: an organisation's default and each person's own choice."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from juru.accounts.exceptions import InvalidInputError
from juru.accounts.models import Organisation, UserPreference
from juru.audit.services import record

Actor = AbstractBaseUser | None


def _checked(language: str) -> str:
    if language not in dict(settings.LANGUAGES):
        raise InvalidInputError(_("Choose one of the offered languages."))
    return language


def set_user_language(*, user: AbstractBaseUser, language: str) -> UserPreference:
    """Keep the person's language choice with their user (a personal setting, not audited)."""
    preference, _created = UserPreference.objects.update_or_create(
        user_id=user.pk, defaults={"language": _checked(language)}
    )
    return preference


@transaction.atomic
def update_organisation_settings(*, actor: Actor, organisation: Organisation, language: str) -> Organisation:
    """Change the organisation's default language."""
    before = {"language": organisation.language}
    organisation.language = _checked(language)
    organisation.save(update_fields=["language"])
    record(
        action="organisation.update",
        actor=actor,
        organisation=organisation,
        obj=organisation,
        before=before,
        after={"language": organisation.language},
    )
    return organisation
