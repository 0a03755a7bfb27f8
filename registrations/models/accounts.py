from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .scoping import PersonalDataQuerySet


class UserQuerySet(PersonalDataQuerySet):
    def in_jurisdiction(self, jurisdiction):
        from .trips import Trip

        return self.filter(pk__in=Trip.objects.in_jurisdiction(jurisdiction).values("owner_id"))

    def never_confirmed(self, *, link_sent_before):
        """Citizens' sign-ups never confirmed nor used, whose newest link was sent before the given time.

        date_joined moves to each new link (registrations.services.accounts). Staff, accounts once
        confirmed (closed ones included) and any account that ever signed in are never among them.
        """
        return self.filter(
            email_confirmed_at__isnull=True,
            last_login__isnull=True,
            is_active=False,
            is_staff=False,
            is_superuser=False,
            date_joined__lt=link_sent_before,
        )


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email):
        # Citizens type their address in whatever case their phone chooses;
        # storing it lowercased keeps sign-in exact and served by the unique index.
        return (email or "").strip().lower()

    def get_by_natural_key(self, username):
        return self.get(email=self.normalize_email(username))

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if extra_fields.get("is_staff") is not True or extra_fields.get("is_superuser") is not True:
            raise ValueError("A superuser must have is_staff=True and is_superuser=True.")
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: citizens, and staff (is_staff) in the admin.

    A new account is inactive until its email address is confirmed.
    """

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Designates whether the user can sign in to the staff workplace."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Unticked until the email address is confirmed, or when the account is closed."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    email_confirmed_at = models.DateTimeField(_("email confirmed at"), null=True, blank=True)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            # Sign-in is case-insensitive; lowercase storage makes the unique
            # index on email refuse two accounts that differ by case alone.
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")),
                name="registrations_user_email_lowercase",
                violation_error_message=_("The email address must be stored in lowercase."),
            ),
        ]

    def __str__(self):
        return self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email)
