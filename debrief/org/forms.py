"""The forms of the sign-in, profile and settings pages. They check the shape of the input;
the rules live in the actions, whose errors `add_action_errors` puts beside the fields."""

from __future__ import annotations

import calendar
import zoneinfo
from decimal import Decimal
from functools import cache
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, UsernameField
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from debrief.org import actions
from debrief.org.models import Role, Team, User


def add_action_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show an action's ValidationError on the form: each message beside the field it names,
    anything else (or a field the form does not have) above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


MONTH_CHOICES = [(n, calendar.month_name[n]) for n in range(1, 13)]


# --- signing in and the user's own page --------------------------------------------------------


class EmailAuthenticationForm(AuthenticationForm):
    username = UsernameField(
        label="Email",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email and password don't match an account. "
        "Check both and try again.",
        "inactive": "This account has been closed. Ask your admin to reopen it.",
    }

    def clean_username(self) -> str:
        # Emails are stored lower-case; people type them however they like.
        return str(self.cleaned_data["username"]).strip().lower()

    def clean(self) -> dict[str, Any]:
        # A locked account or address is refused before its password is even checked, so
        # guessing on stays useless and costs no hashing.
        until = actions.sign_in_locked_until(self.cleaned_data.get("username", ""), self.request)
        if until is not None:
            minutes = max(1, -(-int((until - timezone.now()).total_seconds()) // 60))
            raise ValidationError(
                "Too many failed sign-ins for this account or from this address. "
                f"Try again in {minutes} minute{'s' if minutes != 1 else ''}, "
                "or ask your admin to reset your password.",
                code="locked",
            )
        return super().clean()


class ActionPasswordChangeForm(PasswordChangeForm):
    """Django's form and its checks, but the new password is written by the action."""

    def save(self, commit: bool = True) -> Any:
        if commit:
            return actions.set_password(self.user, self.user, self.cleaned_data["new_password1"])
        return self.user


class ProfileForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=150)
    time_zone = forms.ChoiceField(
        label="Time zone", help_text="Dates and times are shown in this zone."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()  # type: ignore[attr-defined]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="What will use it, e.g. “Reporting script”.",
    )


# --- settings: the organisation ----------------------------------------------------------------


class OrganisationForm(forms.Form):
    name = forms.CharField(label="Organisation name", max_length=150)
    currency = forms.CharField(
        label="Currency",
        min_length=3,
        max_length=3,
        help_text="Three-letter ISO code for new deals and totals, e.g. USD, EUR, GBP.",
    )
    fiscal_year_start_month = forms.TypedChoiceField(
        label="Fiscal year starts in", choices=MONTH_CHOICES, coerce=int
    )
    debrief_cool_off_days = forms.IntegerField(
        label="Debrief cool-off (days)",
        min_value=1,
        max_value=60,
        help_text="Days after a loss before the rep's debrief call with the customer (1–60).",
    )
    major_deal_threshold = forms.DecimalField(
        label="Major-deal threshold",
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        help_text="Deals at or above this amount get a manager-led post-mortem when lost.",
    )
    post_mortem_contact_days = forms.IntegerField(
        label="Post-mortem contact (business days)",
        min_value=0,
        max_value=10,
        help_text="Business days the manager has to ask the customer for a major post-mortem.",
    )
    losing_streak_length = forms.IntegerField(
        label="Losing streak alert",
        min_value=2,
        max_value=20,
        help_text="Consecutive losses that flag a rep to their manager for coaching.",
    )
    full_plan_threshold = forms.DecimalField(
        label="Full meeting plan from",
        required=False,  # left out (older scripts), the current amount stays
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        help_text="Meetings on deals at or above this amount need the whole one-page plan; "
        "below it, the purpose, the best outcome and the fall-back are enough.",
    )
    marketing_contact_email = forms.EmailField(
        label="Marketing contact",
        required=False,
        help_text="Hears weekly of bad meetings caused by sales/marketing misalignment.",
    )
    product_contact_email = forms.EmailField(
        label="Product contact",
        required=False,
        help_text="Hears weekly of bad meetings caused by product or service quality.",
    )

    def clean_currency(self) -> str:
        currency = str(self.cleaned_data["currency"]).strip().upper()
        if not currency.isalpha():
            raise ValidationError("Use a three-letter code such as USD.")
        return currency

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("full_plan_threshold") is None:
            data.pop("full_plan_threshold", None)
        return data


# --- settings: users and teams -----------------------------------------------------------------


def _people(roles: list[str], keep: QuerySet[User] | None = None) -> QuerySet[User]:
    """Active users of these roles, plus anyone already chosen so that saving keeps them."""
    current = Q(pk__in=keep.values("pk")) if keep is not None else Q()
    return User.objects.filter(Q(role__in=roles, is_active=True) | current).distinct()


def team_checkboxes(label: str, help_text: str = "") -> forms.ModelMultipleChoiceField[Team]:
    return forms.ModelMultipleChoiceField(
        queryset=Team.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=label,
        help_text=help_text,
    )


class UserCreateForm(forms.Form):
    email = forms.EmailField(label="Email")
    full_name = forms.CharField(label="Full name", max_length=150)
    role = forms.ChoiceField(label="Role", choices=Role.choices, initial=Role.REP)
    teams = team_checkboxes("Teams", "A manager manages these teams; anyone else is a member.")
    password = forms.CharField(
        label="Initial password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Give it to them in person; they can change it on their profile.",
    )


class UserEditForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=150)
    role = forms.ChoiceField(label="Role", choices=Role.choices)
    time_zone = forms.ChoiceField(label="Time zone")
    is_active = forms.BooleanField(
        label="Active", required=False, help_text="Inactive users cannot sign in or use the API."
    )
    member_of = team_checkboxes("Member of")
    manages = team_checkboxes("Manages", "Only managers and admins manage teams.")
    password = forms.CharField(
        label="New password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Leave empty to keep the current password.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()  # type: ignore[attr-defined]


class TeamForm(forms.Form):
    name = forms.CharField(label="Name", max_length=100)
    managers = forms.ModelMultipleChoiceField(
        label="Managers",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    members = forms.ModelMultipleChoiceField(
        label="Members",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Reps (and managers who also sell). Analysts read across teams.",
    )

    def __init__(self, *args: Any, team: Team | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        managers = self.fields["managers"]
        members = self.fields["members"]
        managers.queryset = _people(  # type: ignore[attr-defined]
            [Role.MANAGER, Role.ADMIN], team.managers.all() if team else None
        )
        members.queryset = _people(  # type: ignore[attr-defined]
            [Role.REP, Role.MANAGER, Role.ADMIN], team.members.all() if team else None
        )
