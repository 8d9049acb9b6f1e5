"""Forms of the governance pages: the policy draft and its rule side, publishing, signing, quizzes, modules."""

from __future__ import annotations

import math
import uuid
from dataclasses import fields
from typing import Any

import yaml
from django import forms
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from juru.accounts import api_limits
from juru.accounts.forms import MemberChoiceField
from juru.accounts.models import Member, Role
from juru.governance import quiz
from juru.governance.models import Consequence, ConsequenceStep, PolicyVersion, Severity, TrainingModule
from juru.governance.services.policy import MAX_GRACE_DAYS
from juru.rules.config import SCALAR_KEYS, OrgConfig
from juru.rules.loader import available_packs

# Labels and help for the rule side; the fields themselves come from ``OrgConfig``.
CONFIG_LABELS: dict[str, tuple[Any, Any]] = {
    "brand_names": (_("Brand names"), _("Names the brand account may use; one per line.")),
    "competitor_names": (_("Competitor names"), _("Posts that disparage them are flagged; one per line.")),
    "confidential_terms": (_("Confidential terms"), _("Codenames and internal terms that must never be published.")),
    "allowed_phones": (_("Allowed phone numbers"), _("Public numbers of the company, not flagged as personal data.")),
    "allowed_emails": (_("Allowed e-mail addresses"), _("Public addresses of the company.")),
    "allowed_terms": (_("Allowed terms"), _("Words never flagged, e.g. product names that look like slang.")),
    "personal_disclaimers": (_("Required disclaimers"), _("One of these must appear on personal accounts.")),
    "disclosure_tags": (_("Advertising disclosure tags"), _("Tags that mark paid or promotional content.")),
    "brand_voice_samples": (_("Brand voice samples"), _("Typical brand posts, one per line.")),
    "disabled_rules": (_("Switched-off rules"), _("Rule ids to skip, e.g. core.profanity-brand.")),
}
LIST_FIELDS = [f.name for f in fields(OrgConfig) if f.name not in SCALAR_KEYS | {"enabled_packs"}]


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class PolicyDraftForm(forms.Form):
    """The policy text in both languages beside its rule configuration."""

    edit_serial = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=200)
    body_id = forms.CharField(
        label=_("Text in Indonesian (Markdown)"), widget=forms.Textarea(attrs={"rows": 24, "class": "mono"})
    )
    body_en = forms.CharField(
        label=_("Text in English (Markdown)"), widget=forms.Textarea(attrs={"rows": 24, "class": "mono"})
    )
    enabled_packs = forms.MultipleChoiceField(
        label=_("Rule packs"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lang = (get_language() or "id")[:2]
        packs = self.fields["enabled_packs"]
        assert isinstance(packs, forms.MultipleChoiceField)
        packs.choices = [
            (pack_id, f"{pack_id}: {getattr(pack.title, 'en' if lang == 'en' else 'id')}")
            for pack_id, pack in sorted(available_packs().items())
        ]
        for name in LIST_FIELDS:
            label, help_text = CONFIG_LABELS.get(name, (name, ""))
            self.fields[name] = forms.CharField(
                label=label, help_text=help_text, required=False, widget=forms.Textarea(attrs={"rows": 3})
            )

    @classmethod
    def for_draft(cls, draft: PolicyVersion, config: dict[str, list[str]]) -> PolicyDraftForm:
        """The form filled from a draft and its effective configuration."""
        initial: dict[str, Any] = {
            "edit_serial": draft.edit_serial, "title": draft.title, "body_id": draft.body_id,
            "body_en": draft.body_en, "enabled_packs": config["enabled_packs"],
        }  # fmt: skip
        initial |= {name: "\n".join(config.get(name, [])) for name in LIST_FIELDS}
        return cls(initial=initial)

    def config(self) -> dict[str, list[str]]:
        """The rule configuration from the cleaned fields."""
        data = self.cleaned_data
        return {"enabled_packs": list(data["enabled_packs"])} | {name: _lines(data[name]) for name in LIST_FIELDS}

    def list_fields(self) -> list[forms.BoundField]:
        """The one-per-line fields of the rule side, in order."""
        return [self[name] for name in LIST_FIELDS]


class PublishForm(forms.Form):
    """Publish the reviewed draft: is it material, and how long members have to sign it again."""

    edit_serial = forms.IntegerField(widget=forms.HiddenInput)
    material = forms.BooleanField(
        label=_("Material change: everyone must sign this version again"), required=False, initial=True
    )
    grace_days = forms.IntegerField(
        label=_("Days to sign again"), min_value=0, max_value=MAX_GRACE_DAYS, initial=14,
        help_text=_("After this, members who have not signed may not speak until they do."),
    )  # fmt: skip
    change_note = forms.CharField(label=_("What changed (for members)"), required=False, widget=forms.Textarea(
        attrs={"rows": 3}))  # fmt: skip


def _normalised(name: str) -> str:
    return " ".join(name.split()).casefold()


# Wrong passwords a member may type when signing before the form refuses to check more for a while
# (the sign-in page allows five too: ``AXES_FAILURE_LIMIT``).
SIGN_PASSWORD_RATE = "5/15 minutes"


class SignForm(forms.Form):
    """Signing the current version: the signer's full name, a confirmation and their password."""

    version = forms.UUIDField(widget=forms.HiddenInput)
    full_name = forms.CharField(label=_("Your full name"), max_length=200)
    confirm = forms.BooleanField(label=_("I have read this policy and will follow it."))
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_full_name(self) -> str:
        typed = str(self.cleaned_data["full_name"])
        if _normalised(typed) != _normalised(self.member.display_name):
            raise forms.ValidationError(_("Type your full name exactly as it appears in Juru: %(name)s.")
                                        % {"name": self.member.display_name})  # fmt: skip
        return typed

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        key = str(self.member.public_id)
        wait = api_limits.retry_after(SIGN_PASSWORD_RATE, "policy-sign", key)
        if wait:
            minutes = max(1, math.ceil(wait / 60))
            raise forms.ValidationError(
                ngettext(
                    "Too many wrong passwords. Try again in %(count)s minute.",
                    "Too many wrong passwords. Try again in %(count)s minutes.",
                    minutes,
                )
                % {"count": minutes}
            )
        if not self.member.user.check_password(password):
            api_limits.count_failure(SIGN_PASSWORD_RATE, "policy-sign", key)
            raise forms.ValidationError(_("That is not your password."))
        return password


class QuizForm(forms.Form):
    """The module's questions, one radio group each, and the form's one-time token."""

    attempt_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, module: TrainingModule, lang: str, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"attempt_token": uuid.uuid4()})
        super().__init__(*args, **kwargs)
        self.questions = quiz.questions(module.quiz, lang)
        for question in self.questions:
            self.fields[f"q{question.number}"] = forms.TypedChoiceField(
                label=question.text,
                choices=list(enumerate(question.choices)),
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer.")},
            )

    def answers(self) -> dict[int, int | None]:
        """Question number to the chosen choice index."""
        return {q.number: self.cleaned_data.get(f"q{q.number}") for q in self.questions}


class ModuleSettingsForm(forms.Form):
    """Who needs a module, its pass mark and how long a pass stays valid."""

    required = forms.BooleanField(label=_("Required to speak for the organisation"), required=False)
    roles = forms.MultipleChoiceField(
        label=_("Required of these roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple,
        required=False, help_text=_("None chosen: required of every role."),
    )  # fmt: skip
    pass_score = forms.IntegerField(label=_("Pass mark (%)"), min_value=0, max_value=100)
    valid_days = forms.IntegerField(
        label=_("A pass stays valid for (days)"), min_value=1, max_value=3650, required=False,
        help_text=_("Empty: a pass never expires. Applies to passes from now on."),
    )  # fmt: skip


QUIZ_HELP = _(
    "YAML, one item per question: section (the number of the ## section it tests), question and "
    "choices in id and en, answer (the number of the right choice, from 0)."
)


class ModuleContentForm(forms.Form):
    """A module's titles, texts and quiz; the code only when the module is new."""

    code = forms.SlugField(label=_("Code"), max_length=60, help_text=_("Short name in the address, e.g. etika-balas."))
    title_id = forms.CharField(label=_("Title in Indonesian"), max_length=200)
    title_en = forms.CharField(label=_("Title in English"), max_length=200)
    body_id = forms.CharField(label=_("Text in Indonesian (Markdown)"), widget=forms.Textarea(
        attrs={"rows": 14, "class": "mono"}))  # fmt: skip
    body_en = forms.CharField(label=_("Text in English (Markdown)"), widget=forms.Textarea(
        attrs={"rows": 14, "class": "mono"}))  # fmt: skip
    quiz = forms.CharField(label=_("Quiz"), help_text=QUIZ_HELP, widget=forms.Textarea(
        attrs={"rows": 16, "class": "mono"}))  # fmt: skip

    def __init__(self, *args: Any, new: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not new:
            del self.fields["code"]

    @staticmethod
    def initial_for(module: TrainingModule) -> dict[str, Any]:
        """The form's values for an existing module (its quiz as YAML)."""
        return {
            "title_id": module.title_id, "title_en": module.title_en, "body_id": module.body_id,
            "body_en": module.body_en,
            "quiz": yaml.safe_dump(module.quiz, allow_unicode=True, sort_keys=False, width=100),
        }  # fmt: skip

    def clean_quiz(self) -> Any:
        try:
            return yaml.safe_load(self.cleaned_data["quiz"])
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else "?"
            raise forms.ValidationError(_("The quiz is not valid YAML (line %(line)s).") % {"line": line}) from None


class SuspendForm(forms.Form):
    """Suspend a member's right to speak for a number of days, or until lifted."""

    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.none(), to_field_name="public_id")
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    days = forms.IntegerField(
        label=_("For how many days"), min_value=1, max_value=365, required=False,
        help_text=_("Empty: until lifted."),
    )  # fmt: skip

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = Member.objects.filter(organisation=organisation, is_active=True).select_related("user")
        member_field = self.fields["member"]
        assert isinstance(member_field, forms.ModelChoiceField)
        member_field.queryset = members.order_by("user__first_name", "user__username")


class CaseForm(forms.Form):
    """Open a violation case: who, which rules, how serious, what was said and why."""

    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.none(), to_field_name="public_id")
    rules = forms.CharField(label=_("Rules"), required=False, max_length=500,
                            help_text=_("Rule ids, separated by commas, e.g. core.confidential."))  # fmt: skip
    severity = forms.ChoiceField(label=_("Severity"), choices=[("", "—"), *Severity.choices], required=False)
    content = forms.CharField(label=_("Content"), required=False, max_length=10_000,
                              widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    reason = forms.CharField(label=_("Why the case is opened"), max_length=10_000,
                             widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = Member.objects.filter(organisation=organisation, is_active=True).select_related("user")
        member_field = self.fields["member"]
        assert isinstance(member_field, forms.ModelChoiceField)
        member_field.queryset = members.order_by("user__first_name", "user__username")

    def rule_list(self) -> list[str]:
        """The rule ids typed, without blanks."""
        return [rule.strip() for rule in self.cleaned_data["rules"].split(",") if rule.strip()]


class DecisionForm(forms.Form):
    """Decide a case: a rung of the organisation's ladder (or no action) and the reasons the member reads."""

    step = forms.ChoiceField(label=_("Consequence"), widget=forms.RadioSelect)
    note = forms.CharField(label=_("Decision (the member reads it)"), max_length=10_000,
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args: Any, steps: list[ConsequenceStep], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.steps = {str(step.public_id): step for step in steps}
        step_field = self.fields["step"]
        assert isinstance(step_field, forms.ChoiceField)
        step_field.choices = [(NO_ACTION, Consequence.NONE.label)] + [
            (key, step_label(step)) for key, step in self.steps.items()
        ]

    def chosen_step(self) -> ConsequenceStep | None:
        """The rung chosen (None: no action)."""
        return self.steps.get(self.cleaned_data["step"])


NO_ACTION = "none"


def step_label(step: ConsequenceStep) -> str:
    """A rung as people read it: "Suspension of speaking rights: 7 days", "Retraining: <module>"."""
    label = str(step.get_consequence_display())
    if step.consequence == Consequence.SUSPENSION and step.days:
        return _("%(label)s: %(days)s days") % {"label": label, "days": step.days}
    if step.consequence == Consequence.RETRAINING and step.module is not None:
        return f"{label}: {step.module.title}"
    return label


class LadderStepForm(forms.Form):
    """Add a rung to the ladder."""

    consequence = forms.ChoiceField(label=_("Consequence"), choices=Consequence.choices)
    days = forms.IntegerField(label=_("Days (suspension)"), min_value=1, max_value=365, required=False)
    module = forms.ModelChoiceField(label=_("Module (retraining)"), queryset=TrainingModule.objects.none(),
                                    required=False, to_field_name="public_id")  # fmt: skip

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        module_field = self.fields["module"]
        assert isinstance(module_field, forms.ModelChoiceField)
        module_field.queryset = TrainingModule.objects.filter(organisation=organisation).order_by("code")
