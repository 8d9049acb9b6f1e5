"""Approval chains: editing an account's chain, routing a draft, resolving who approves each step."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from juru.accounts import access
from juru.accounts.models import (
    AccountType,
    BrandAccount,
    Member,
    OrgAction,
    Organisation,
    Role,
    Team,
    TeamKind,
    TeamMembership,
)
from juru.publishing import routing
from juru.publishing.exceptions import InvalidInputError, NotAnApproverError, NotSubmittableError
from juru.publishing.models import ApprovalChain, ChainStep, Draft, Post, ReviewStep, ScanDecision, StepMode
from juru.publishing.services.common import audit

KIND_TEAMS = {"pr": TeamKind.PR, "compliance": TeamKind.COMPLIANCE, "legal": TeamKind.LEGAL, "crisis": TeamKind.CRISIS}
STEP_NAMES = {
    "pr": lambda: _("PR"),
    "compliance": lambda: _("Compliance"),
    "legal": lambda: _("Legal"),
    "crisis": lambda: _("Crisis lead"),
}


def chain_plans(account: BrandAccount) -> list[routing.StepPlan]:
    """The account's configured chain as plans (empty: the default single PR step applies)."""
    chain = ApprovalChain.objects.filter(account=account).first()
    if chain is None:
        return []
    plans = []
    for step in chain.steps.prefetch_related("members", "teams"):
        plans.append(
            routing.StepPlan(
                kind="account",
                name=step.name,
                mode=step.mode,
                member_ids=tuple(sorted(m.pk for m in step.members.all())),
                team_ids=tuple(sorted(t.pk for t in step.teams.all())),
                roles=tuple(sorted(step.roles)),
            )
        )
    return plans


def route_post(post: Post, decision: ScanDecision, *, overridden: bool = False) -> routing.Route:
    """Route one post by its latest decision (DESIGN §3 table)."""
    account = post.account
    return routing.route(
        verdict=decision.verdict,
        account_type=account.account_type,
        hits=decision.hits,
        crisis=bool(decision.context.get("crisis")),
        account_steps=chain_plans(account) if account.account_type == AccountType.BRAND else [],
        overridden=overridden,
        reply=bool(post.reply_to),
    )


def resolve(plan: routing.StepPlan, organisation: Organisation) -> list[int]:
    """Member ids who may decide a step (for ``all`` steps: who must)."""
    members = Member.objects.filter(organisation=organisation, is_active=True)
    if plan.kind == "account":
        ids = set(members.filter(pk__in=plan.member_ids).values_list("pk", flat=True))
        ids |= set(
            TeamMembership.objects.filter(team_id__in=plan.team_ids, member__in=members).values_list(
                "member_id", flat=True
            )
        )
        ids |= set(members.filter(role__in=plan.roles).values_list("pk", flat=True))
        return sorted(ids)
    memberships = TeamMembership.objects.filter(
        team__organisation=organisation, team__kind=KIND_TEAMS[plan.kind], member__in=members
    )
    if plan.kind == "crisis" and memberships.filter(is_lead=True).exists():
        memberships = memberships.filter(is_lead=True)
    ids = set(memberships.values_list("member_id", flat=True))
    if not ids:
        # No team of that kind yet: the owners decide rather than nobody.
        ids = set(members.filter(role=Role.OWNER).values_list("pk", flat=True))
    return sorted(ids)


def create_steps(draft: Draft, plans: Sequence[routing.StepPlan]) -> list[ReviewStep]:
    """Materialise the chain for the draft's current round, freezing each step's approvers."""
    steps = []
    for position, plan in enumerate(plans):
        approvers = [pk for pk in resolve(plan, draft.organisation) if pk != draft.author_id]
        name = plan.name if plan.kind == "account" else str(STEP_NAMES[plan.kind]())
        if not approvers:
            raise NotSubmittableError(
                _("No one other than the author can approve the step “%(step)s”; ask an owner to set up the chain.")
                % {"step": name}
            )
        steps.append(
            ReviewStep.objects.create(
                draft=draft,
                round=draft.review_round,
                position=position,
                kind=plan.kind,
                name=name,
                mode=plan.mode,
                approver_ids=approvers,
            )
        )
    return steps


def _validate_step(step: dict[str, object], organisation: Organisation) -> None:
    if not str(step.get("name") or "").strip():
        raise InvalidInputError(_("Every step needs a name."))
    if step.get("mode", StepMode.ANY) not in StepMode.values:
        raise InvalidInputError(_("A step is either “any of” or “all of”."))
    roles = list(step.get("roles") or [])  # type: ignore[call-overload]
    if any(r not in Role.values for r in roles):
        raise InvalidInputError(_("Unknown role in a step."))
    members = list(step.get("members") or [])  # type: ignore[call-overload]
    teams = list(step.get("teams") or [])  # type: ignore[call-overload]
    if not (roles or members or teams):
        raise InvalidInputError(_("Every step needs at least one approver (member, team or role)."))
    if any(m.organisation_id != organisation.pk for m in members) or any(
        t.organisation_id != organisation.pk for t in teams
    ):
        raise InvalidInputError(_("Approvers must belong to this organisation."))


@transaction.atomic
def set_chain(account: BrandAccount, *, actor: Member | None, steps: Sequence[dict[str, object]]) -> ApprovalChain:
    """Replace the account's chain: each step is ``{name, mode, members, teams, roles}``."""
    if actor is not None and not access.role_can(actor, OrgAction.MANAGE_ACCOUNTS):
        raise NotAnApproverError(_("Only owners and administrators can change approval chains."))
    if account.account_type != AccountType.BRAND:
        raise InvalidInputError(_("Only brand accounts have approval chains."))
    for step in steps:
        _validate_step(step, account.organisation)
    chain, _created = ApprovalChain.objects.get_or_create(account=account, organisation=account.organisation)
    before = [s.name for s in chain.steps.all()]
    chain.steps.all().delete()
    for position, step in enumerate(steps):
        created = ChainStep.objects.create(
            chain=chain,
            position=position,
            name=str(step["name"]).strip(),
            mode=str(step.get("mode") or StepMode.ANY),
            roles=list(step.get("roles") or []),  # type: ignore[call-overload]
        )
        created.members.set(list(step.get("members") or []))  # type: ignore[call-overload]
        created.teams.set(list(step.get("teams") or []))  # type: ignore[call-overload]
    chain.save()
    audit(
        "publishing.chain.updated",
        actor=actor,
        organisation=account.organisation,
        obj=account,
        before={"steps": before},
        after={"steps": [str(s["name"]) for s in steps]},
    )
    return chain


def _team(organisation: Organisation, kind: str) -> Team | None:
    return Team.objects.filter(organisation=organisation, kind=kind).order_by("pk").first()


def configure_default_chains(
    organisation: Organisation, actor: Member | None, *, accounts: Sequence[BrandAccount] | None = None
) -> list[ApprovalChain]:
    """Give brand accounts without a chain two steps: PR, then compliance.

    By default only the organisation's main brand account (the first one registered) is set up,
    which is what the demo uses; pass ``accounts`` to set up others.
    """
    pr = _team(organisation, TeamKind.PR)
    compliance = _team(organisation, TeamKind.COMPLIANCE)
    if accounts is None:
        main = (
            BrandAccount.objects.filter(organisation=organisation, account_type=AccountType.BRAND, is_active=True)
            .order_by("pk")
            .first()
        )
        accounts = [main] if main else []
    made = []
    for account in accounts:
        if ApprovalChain.objects.filter(account=account, steps__isnull=False).exists():
            continue
        steps: list[dict[str, object]] = [
            {
                "name": _("PR"),
                "mode": StepMode.ANY,
                "teams": [pr] if pr else [],
                "roles": [] if pr else [Role.APPROVER],
            },
            {
                "name": _("Compliance"),
                "mode": StepMode.ANY,
                "teams": [compliance] if compliance else [],
                "roles": [] if compliance else [Role.OWNER],
            },
        ]
        made.append(set_chain(account, actor=actor, steps=steps))
    return made
