"""Organisations, members and teams: every write records an audit event in its transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AbstractUser
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from juru.accounts.exceptions import DuplicateNameError, InvalidInputError, LastOwnerError, RoleChangeNotAllowedError
from juru.accounts.models import ApiToken, Grant, Member, Organisation, Role, Team, TeamKind, TeamMembership
from juru.audit.services import record

Actor = AbstractBaseUser | None


def member_summary(member: Member) -> dict[str, Any]:
    """What the audit log keeps about a member."""
    return {"user": member.user.get_username(), "role": member.role, "is_active": member.is_active}


def team_summary(team: Team) -> dict[str, Any]:
    """What the audit log keeps about a team."""
    return {"name": team.name, "kind": team.kind}


@transaction.atomic
def create_organisation(
    *, actor: Actor, name: str, slug: str = "", owner: AbstractBaseUser | None = None
) -> Organisation:
    """A new organisation; ``owner`` (if given) becomes its first member with the owner role."""
    name = name.strip()
    slug = slugify(slug or name)
    if not name or not slug:
        raise InvalidInputError(_("An organisation needs a name."))
    if Organisation.objects.filter(slug=slug).exists():
        raise DuplicateNameError(_("The address %(slug)s is already taken.") % {"slug": slug})
    organisation = Organisation.objects.create(name=name, slug=slug)
    record(
        action="organisation.create",
        actor=actor,
        organisation=organisation,
        obj=organisation,
        after={"name": name, "slug": slug},
    )
    if owner is not None:
        _add_member(actor=actor, organisation=organisation, user=owner, role=Role.OWNER)
    return organisation


def _check_role(role: str) -> str:
    if role not in Role.values:
        raise InvalidInputError(_("Unknown role: %(role)s") % {"role": role})
    return role


def _rank(role: str) -> int:
    """Higher for roles that may do more (Role lists them from owner down to viewer)."""
    return len(Role.values) - Role.values.index(role)


def _check_role_change(actor: Actor, organisation: Organisation, *, current: str | None, new: str, own: bool) -> None:
    """No one raises their own role; only an owner grants owner or changes an owner's role."""
    if actor is None:
        return  # the operator's command line and the demo set up organisations
    actor_role = (
        Member.objects.filter(user_id=actor.pk, organisation=organisation, is_active=True)
        .values_list("role", flat=True)
        .first()
    )
    if own and current is not None and _rank(new) > _rank(current):
        raise RoleChangeNotAllowedError(_("You cannot raise your own role; ask an owner."))
    owner_involved = new == Role.OWNER or current == Role.OWNER
    if owner_involved and actor_role != Role.OWNER:
        raise RoleChangeNotAllowedError(_("Only an owner can make someone an owner or change an owner's role."))


@transaction.atomic
def add_member(*, actor: Actor, organisation: Organisation, user: AbstractBaseUser, role: str) -> Member:
    """Make the user a member with this role (reactivating a former membership)."""
    _check_role(role)
    _check_role_change(actor, organisation, current=None, new=role, own=actor is not None and actor.pk == user.pk)
    return _add_member(actor=actor, organisation=organisation, user=user, role=role)


def _add_member(*, actor: Actor, organisation: Organisation, user: AbstractBaseUser, role: str) -> Member:
    """``add_member`` without the role-change rule (the creator of a new organisation becomes its owner)."""
    member, created = Member.objects.get_or_create(user=user, organisation=organisation, defaults={"role": role})
    before = None if created else member_summary(member)
    if not created:
        if member.is_active:
            raise DuplicateNameError(_("%(user)s is already a member.") % {"user": user.get_username()})
        member.is_active = True
        member.role = role
        member.save(update_fields=["is_active", "role"])
    record(
        action="member.add",
        actor=actor,
        organisation=organisation,
        obj=member,
        before=before,
        after=member_summary(member),
    )
    return member


@transaction.atomic
def create_member(
    *,
    actor: Actor,
    organisation: Organisation,
    username: str,
    role: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
) -> Member:
    """Add a member by username, creating the user account if it does not exist yet."""
    username = username.strip()
    if not username:
        raise InvalidInputError(_("A username is required."))
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model.objects.create_user(  # type: ignore[attr-defined]  # the default manager has it
            username=username, email=email, first_name=first_name, last_name=last_name, password=password
        )
        if password is None:
            user.set_unusable_password()
            user.save(update_fields=["password"])
    return add_member(actor=actor, organisation=organisation, user=user, role=role)


def _other_active_owners(member: Member) -> bool:
    others = Member.objects.filter(organisation_id=member.organisation_id, role=Role.OWNER, is_active=True)
    return others.exclude(pk=member.pk).exists()


@transaction.atomic
def remove_member(*, actor: Actor, member: Member) -> Member:
    """Deactivate a membership: its grants, team places and API tokens go with it."""
    if member.role == Role.OWNER and member.is_active and not _other_active_owners(member):
        raise LastOwnerError(_("The organisation needs at least one owner."))
    before = member_summary(member)
    member.is_active = False
    member.save(update_fields=["is_active"])
    grants = Grant.objects.filter(member=member).delete()[0]
    teams = TeamMembership.objects.filter(member=member).delete()[0]
    from django.utils import timezone

    tokens = ApiToken.objects.filter(member=member, revoked_at__isnull=True).update(revoked_at=timezone.now())
    record(
        action="member.remove",
        actor=actor,
        organisation=member.organisation,
        obj=member,
        before=before,
        after=member_summary(member) | {"grants_removed": grants, "teams_left": teams, "tokens_revoked": tokens},
    )
    return member


@transaction.atomic
def change_role(*, actor: Actor, member: Member, role: str) -> Member:
    """Give the member another organisation-wide role."""
    _check_role(role)
    own = actor is not None and actor.pk == member.user_id
    _check_role_change(actor, member.organisation, current=member.role, new=role, own=own)
    if member.role == Role.OWNER and role != Role.OWNER and not _other_active_owners(member):
        raise LastOwnerError(_("The organisation needs at least one owner."))
    before = member_summary(member)
    member.role = role
    member.save(update_fields=["role"])
    record(
        action="member.change_role",
        actor=actor,
        organisation=member.organisation,
        obj=member,
        before=before,
        after=member_summary(member),
    )
    return member


def _team_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise InvalidInputError(_("A team needs a name."))
    return name


def _check_kind(kind: str) -> str:
    if kind not in TeamKind.values:
        raise InvalidInputError(_("Unknown team kind: %(kind)s") % {"kind": kind})
    return kind


@transaction.atomic
def create_team(*, actor: Actor, organisation: Organisation, name: str, kind: str = TeamKind.OTHER) -> Team:
    """A new team in the organisation."""
    name, kind = _team_name(name), _check_kind(kind)
    if Team.objects.filter(organisation=organisation, name=name).exists():
        raise DuplicateNameError(_("A team called %(name)s already exists.") % {"name": name})
    team = Team.objects.create(organisation=organisation, name=name, kind=kind)
    record(action="team.create", actor=actor, organisation=organisation, obj=team, after=team_summary(team))
    return team


@transaction.atomic
def update_team(*, actor: Actor, team: Team, name: str | None = None, kind: str | None = None) -> Team:
    """Rename a team or change its kind."""
    before = team_summary(team)
    if name is not None:
        team.name = _team_name(name)
    if kind is not None:
        team.kind = _check_kind(kind)
    try:
        with transaction.atomic():
            team.save(update_fields=["name", "kind"])
    except IntegrityError:
        raise DuplicateNameError(_("A team called %(name)s already exists.") % {"name": team.name}) from None
    record(
        action="team.update",
        actor=actor,
        organisation=team.organisation,
        obj=team,
        before=before,
        after=team_summary(team),
    )
    return team


@transaction.atomic
def delete_team(*, actor: Actor, team: Team) -> None:
    """Delete a team with its memberships and the grants given to it."""
    before = team_summary(team) | {
        "members": list(team.memberships.values_list("member__user__username", flat=True)),
        # Listed, not counted: the grants vanish with the team, so this event is their only trace.
        "grants": [
            {"account": handle, "permission": permission}
            for handle, permission in team.grants.values_list("account__handle", "permission").order_by("pk")
        ],
    }
    record(action="team.delete", actor=actor, organisation=team.organisation, obj=team, before=before)
    try:
        with transaction.atomic():
            team.delete()
    except ProtectedError as exc:
        # Another part of Juru still counts on this team (a pilot programme, say): say so, change nothing.
        used_by = ", ".join(sorted({str(obj) for obj in exc.protected_objects}))
        raise InvalidInputError(
            _("The team is still used by %(objects)s; change that first.") % {"objects": used_by}
        ) from None


@transaction.atomic
def add_team_member(*, actor: Actor, team: Team, member: Member, is_lead: bool = False) -> TeamMembership:
    """Put a member in a team (or change whether they lead it)."""
    if member.organisation_id != team.organisation_id or not member.is_active:
        raise InvalidInputError(_("Only active members of the organisation can join its teams."))
    membership, created = TeamMembership.objects.get_or_create(
        team=team, member=member, defaults={"is_lead": is_lead, "organisation": team.organisation}
    )
    if not created and membership.is_lead != is_lead:
        membership.is_lead = is_lead
        membership.save(update_fields=["is_lead"])
    record(
        action="team.add_member",
        actor=actor,
        organisation=team.organisation,
        obj=team,
        after={"member": member.user.get_username(), "is_lead": is_lead},
    )
    return membership


@transaction.atomic
def remove_team_member(*, actor: Actor, team: Team, member: Member) -> None:
    """Take a member out of a team (nothing happens if they were not in it)."""
    removed = TeamMembership.objects.filter(team=team, member=member).delete()[0]
    if removed:
        record(
            action="team.remove_member",
            actor=actor,
            organisation=team.organisation,
            obj=team,
            before={"member": member.user.get_username()},
        )


def is_superuser(user: AbstractBaseUser) -> bool:
    """True for Django superusers (used by the demo and admin glue)."""
    return isinstance(user, AbstractUser) and user.is_superuser
