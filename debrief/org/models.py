"""Who uses Debrief: the organisation's settings, users and their roles, teams, API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from decimal import Decimal
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone

CURRENCY_CODE = RegexValidator(
    r"^[A-Z]{3}$", "A currency is a three-letter ISO 4217 code, like USD or EUR."
)


class Role(models.TextChoices):
    REP = "rep", "Rep"
    MANAGER = "manager", "Manager"
    ADMIN = "admin", "Admin"
    ANALYST = "analyst", "Analyst"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields["role"] = Role.ADMIN
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser):
    """A person who logs in with their email. What they may see and do follows from their
    role and their teams; the rules themselves live in `org.access`."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.REP)
    time_zone = models.CharField(max_length=64, default="UTC")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    # The Django admin asks these; an admin of Debrief is an admin of everything.
    @property
    def is_staff(self) -> bool:
        return self.is_active and self.role == Role.ADMIN

    @property
    def is_superuser(self) -> bool:
        return self.is_staff

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return self.is_staff

    def has_perms(self, perm_list: Any, obj: object = None) -> bool:
        return self.is_staff

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_staff

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_rep(self) -> bool:
        return self.role == Role.REP

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_analyst(self) -> bool:
        return self.role == Role.ANALYST


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    managers = models.ManyToManyField(User, related_name="managed_teams", blank=True)
    members = models.ManyToManyField(User, related_name="teams", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """The one organisation of this deployment and its settings. Always read through
    `Organisation.current()`, which creates it with defaults on first use."""

    name = models.CharField(max_length=150, default="Our company")
    currency = models.CharField(max_length=3, default="USD", validators=[CURRENCY_CODE])
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    debrief_cool_off_days = models.PositiveSmallIntegerField(
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Days after a loss before the rep's debrief call with the customer.",
    )
    major_deal_threshold = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        default=Decimal("100000"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Deals at or above this amount get a manager-led post-mortem when lost.",
    )
    post_mortem_contact_days = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text="Business days the manager has to ask the customer for a major post-mortem.",
    )
    full_plan_threshold = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        default=Decimal("50000"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Meetings on deals at or above this amount need the whole one-page plan; "
        "below it, the purpose, the best outcome and the fall-back are enough.",
    )
    marketing_contact_email = models.EmailField(
        blank=True, help_text="Hears weekly of bad meetings caused by sales/marketing misalignment."
    )
    product_contact_email = models.EmailField(
        blank=True, help_text="Hears weekly of bad meetings caused by product or service quality."
    )
    losing_streak_length = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(2), MaxValueValidator(20)],
        help_text="Consecutive losses that flag a rep to their manager for coaching.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> Organisation:
        org = cls.objects.order_by("pk").first()
        return org if org is not None else cls.objects.create()


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A per-user API key. Only its SHA-256 is stored: the key itself is shown once."""

    PREFIX = "dbr_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    key_hint = models.CharField(
        max_length=12, help_text="The first characters, to tell keys apart."
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_hint}…)"

    @staticmethod
    def new_key() -> str:
        return ApiToken.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def hash_key(raw: str) -> str:
        return _hash_token(raw)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


SIGN_IN_ATTEMPTS = 10
SIGN_IN_LOCKOUT = dt.timedelta(minutes=15)


class SignInFailure(models.Model):
    """A failed sign-in, kept a day: ten for one account, or from one address, within fifteen
    minutes lock that account or address for fifteen minutes."""

    email = models.CharField(max_length=254, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["email", "at"], name="signin_failure_email"),
            models.Index(fields=["address", "at"], name="signin_failure_address"),
        ]

    def __str__(self) -> str:
        return f"{self.email or '?'} from {self.address or '?'} at {self.at:%Y-%m-%d %H:%M}"

    @classmethod
    def locked_until(cls, email: str, address: str | None) -> dt.datetime | None:
        """When the lock on this account or address ends, or None if neither is locked. The
        tenth failure within fifteen minutes locks for fifteen minutes from then; attempts
        while locked are not counted, so they don't prolong it."""
        now = timezone.now()
        ends: list[dt.datetime] = []
        for key, value in (("email", email.strip().lower()), ("address", address)):
            if not value:
                continue
            recent = list(
                cls.objects.filter(**{key: value}, at__gte=now - 2 * SIGN_IN_LOCKOUT)
                .order_by("-at")
                .values_list("at", flat=True)[:SIGN_IN_ATTEMPTS]
            )
            if (
                len(recent) == SIGN_IN_ATTEMPTS
                and recent[0] - recent[-1] <= SIGN_IN_LOCKOUT
                and recent[0] + SIGN_IN_LOCKOUT > now
            ):
                ends.append(recent[0] + SIGN_IN_LOCKOUT)
        return max(ends) if ends else None
