import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from portal.geography import is_region_of, region_name

# Subscriptions keep their models in their own package; Django finds an app's
# models in its models module, so they are imported here.
from .subscriptions.models import DeliveryStatus, Subscription, SubscriptionDelivery  # noqa: F401


class Level(models.IntegerChoices):
    NORMAL = 1, _("Exercise normal precautions")
    CAUTION = 2, _("Exercise increased caution")
    RECONSIDER = 3, _("Reconsider travel")
    DO_NOT_TRAVEL = 4, _("Do not travel")


class RiskIndicator(models.TextChoices):
    CRIME = "crime", _("Crime")
    TERRORISM = "terrorism", _("Terrorism")
    CIVIL_UNREST = "civil_unrest", _("Civil unrest")
    HEALTH = "health", _("Health")
    NATURAL_DISASTER = "natural_disaster", _("Natural disaster")
    KIDNAPPING = "kidnapping", _("Kidnapping")
    WRONGFUL_DETENTION = "wrongful_detention", _("Wrongful detention")
    TIME_LIMITED_EVENT = "time_limited_event", _("Time-limited event")
    OTHER = "other", _("Other")


class AdvisoryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(current_edition__isnull=False).select_related("current_edition")

    def levels_for(self, country_codes):
        """{country code: published level} for the given ISO alpha-2 codes."""
        return dict(
            self.published()
            .filter(country__in=[str(code) for code in country_codes])
            .values_list("country", "current_edition__level")
        )


class Advisory(models.Model):
    """The travel advice for one country; its public state is current_edition."""

    country = CountryField(_("country"), unique=True)
    current_edition = models.OneToOneField(
        "AdvisoryEdition",
        verbose_name=_("current published edition"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = AdvisoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("travel advisory")
        verbose_name_plural = _("travel advisories")
        ordering = ["country"]

    def __str__(self):
        return str(self.country.name)

    def get_absolute_url(self):
        return reverse("advisories:country", kwargs={"country": self.country.code.lower()})


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


# Editions staff still work on: at most one per country, and the only ones that may change.
IN_PREPARATION = [EditionStatus.DRAFT, EditionStatus.SCHEDULED]


class EditionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=EditionStatus.PUBLISHED)

    def due_to_publish(self, now):
        return self.filter(status=EditionStatus.SCHEDULED, publish_at__lte=now)

    def review_overdue(self, today):
        return self.filter(status=EditionStatus.PUBLISHED, next_review_due__lt=today)

    def public_history(self):
        """Published and archived major editions, newest first: what the public sees changed."""
        return self.filter(status__in=[EditionStatus.PUBLISHED, EditionStatus.ARCHIVED], is_major=True).order_by(
            "-version"
        )

    def in_preparation(self):
        return self.filter(status__in=IN_PREPARATION)


class AdvisoryEdition(models.Model):
    """One version of a country's advice. Published editions are never edited."""

    advisory = models.ForeignKey(
        Advisory, verbose_name=_("advisory"), on_delete=models.CASCADE, related_name="editions"
    )
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=16, choices=EditionStatus, default=EditionStatus.DRAFT)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level)
    risk_indicators = models.JSONField(
        _("risk indicators"), default=list, blank=True, help_text=_("Which risks drive this advice.")
    )
    summary = models.TextField(_("summary"))
    safety_and_security = models.TextField(_("safety and security"), blank=True)
    entry_and_exit = models.TextField(_("entry and exit"), blank=True)
    health = models.TextField(_("health"), blank=True)
    local_laws = models.TextField(_("local laws and customs"), blank=True)
    natural_disasters = models.TextField(_("natural disasters"), blank=True)
    getting_help = models.TextField(_("getting help"), blank=True)
    change_note = models.TextField(
        _("change note"),
        blank=True,
        help_text=_("What changed and why; shown to the public. Required for a major update."),
    )
    is_major = models.BooleanField(
        _("major update"), default=True, help_text=_("Major updates are emailed to subscribers.")
    )
    reviewed_at = models.DateField(_("reviewed on"), null=True, blank=True)
    next_review_due = models.DateField(_("next review due"), null=True, blank=True)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="authored_editions",
    )
    publisher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publisher"),
        on_delete=models.PROTECT,
        related_name="published_editions",
        null=True,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EditionQuerySet.as_manager()

    SECTION_FIELDS = [
        "safety_and_security",
        "entry_and_exit",
        "health",
        "local_laws",
        "natural_disasters",
        "getting_help",
    ]

    class Meta:
        verbose_name = _("advisory edition")
        verbose_name_plural = _("advisory editions")
        # Newest first; the admin and the pages order by country where they list several.
        ordering = ["-version", "id"]
        # Who may publish is decided in one place: services.publish_refusal().
        permissions = [("publish_edition", _("Can publish and schedule advisory editions"))]
        constraints = [
            models.UniqueConstraint(fields=["advisory", "version"], name="advisories_edition_version_unique"),
            # At most one edition in preparation (draft or scheduled) per country.
            models.UniqueConstraint(
                fields=["advisory"],
                condition=Q(status__in=IN_PREPARATION),
                name="advisories_edition_one_draft",
                violation_error_message=_("This country already has a draft or scheduled edition."),
            ),
            models.UniqueConstraint(
                fields=["advisory"],
                condition=Q(status=EditionStatus.PUBLISHED),
                name="advisories_edition_one_published",
                violation_error_message=_("This country already has a published edition."),
            ),
            models.CheckConstraint(condition=Q(level__in=Level.values), name="advisories_edition_level_valid"),
            models.CheckConstraint(
                condition=Q(status__in=EditionStatus.values), name="advisories_edition_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=EditionStatus.SCHEDULED) | Q(publish_at__isnull=False),
                name="advisories_edition_scheduled_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status__in=IN_PREPARATION) | Q(published_at__isnull=False, publisher__isnull=False),
                name="advisories_edition_published_has_publisher",
            ),
            # Anything that reached the public carries a change note, unless minor.
            models.CheckConstraint(
                condition=Q(status__in=IN_PREPARATION) | Q(is_major=False) | ~Q(change_note=""),
                name="advisories_edition_major_has_change_note",
            ),
        ]
        indexes = [
            # The scheduler: scheduled editions whose publish_at has passed.
            models.Index(fields=["status", "publish_at"], name="advisories_edition_due_idx"),
            # Staff's "review overdue" list.
            models.Index(fields=["status", "next_review_due"], name="advisories_edition_review_idx"),
        ]

    def __str__(self):
        return _("%(country)s, version %(version)s") % {"country": self.advisory, "version": self.version}

    @property
    def is_editable(self):
        return self.status in IN_PREPARATION

    def clean(self):
        super().clean()
        unknown = set(self.risk_indicators or []) - set(RiskIndicator.values)
        if unknown:
            raise ValidationError({"risk_indicators": _("Unknown risk indicator.")})

    def sections(self):
        """(title, text) of the sections that have text, in the published order."""
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in self.SECTION_FIELDS
            if getattr(self, name)
        ]


class RegionalAdvisory(models.Model):
    """A level for one ISO 3166-2 region that differs from the country's."""

    edition = models.ForeignKey(
        AdvisoryEdition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="regions"
    )
    region = models.CharField(_("region"), max_length=6, help_text=_("ISO 3166-2 code, e.g. IR-23."))
    level = models.PositiveSmallIntegerField(_("level"), choices=Level)
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("regional advisory")
        verbose_name_plural = _("regional advisories")
        # Read per edition (edition.regions): the most severe first.
        ordering = ["-level", "region"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "region"], name="advisories_regional_unique"),
            models.CheckConstraint(condition=Q(level__in=Level.values), name="advisories_regional_level_valid"),
        ]

    def __str__(self):
        return f"{self.region_name} ({self.get_level_display()})"

    @property
    def region_name(self):
        return region_name(self.region)

    def clean(self):
        super().clean()
        if self.edition_id and not is_region_of(self.region, self.edition.advisory.country.code):
            raise ValidationError({"region": _("This is not a region of the advisory's country.")})


class MissionKind(models.TextChoices):
    EMBASSY = "embassy", _("Embassy")
    CONSULATE_GENERAL = "consulate_general", _("Consulate general")
    CONSULATE = "consulate", _("Consulate")
    HONORARY_CONSUL = "honorary_consul", _("Honorary consul")
    REPRESENTATIVE_OFFICE = "representative_office", _("Representative office")


class OperatingStatus(models.TextChoices):
    OPERATIONAL = "operational", _("Operational")
    LIMITED = "limited", _("Limited services")
    REMOTE = "remote", _("Working remotely")
    SUSPENDED = "suspended", _("Suspended")


def _kind_rank(kind_field):
    """0 for an embassy, 1 for a consulate general…: the order of MissionKind."""
    return models.Case(
        *(models.When(**{kind_field: kind}, then=rank) for rank, kind in enumerate(MissionKind.values)),
        output_field=models.IntegerField(),
    )


class MissionQuerySet(models.QuerySet):
    def with_kind_rank(self):
        """Annotated with kind_rank: embassies first, then consulates general, and so on."""
        return self.annotate(kind_rank=_kind_rank("kind"))

    def serving(self, country_code):
        """Missions whose consular jurisdiction includes the country, local ones first."""
        code = str(country_code).upper()
        return (
            self.with_kind_rank()
            .filter(jurisdictions__country=code)
            .annotate(is_local=models.Case(models.When(country=code, then=0), default=1))
            .order_by("is_local", "kind_rank", "city")
            .prefetch_related("phones")
            .distinct()
        )

    def first_serving_each(self, country_codes):
        """{country code: the mission listed first by serving(code)}, in one query for all countries."""
        jurisdictions = (
            MissionJurisdiction.objects.filter(country__in=[str(code).upper() for code in country_codes])
            .filter(mission__in=self)
            .annotate(
                is_local=models.Case(models.When(mission__country=models.F("country"), then=0), default=1),
                kind_rank=_kind_rank("mission__kind"),
            )
            .order_by("country", "is_local", "kind_rank", "mission__city")
            .select_related("mission")
        )
        first = {}
        for jurisdiction in jurisdictions:
            first.setdefault(jurisdiction.country.code, jurisdiction.mission)
        return first

    def last_changed(self):
        """(latest change, number of missions): changes whenever the directory does, deletions included."""
        state = self.aggregate(last=models.Max("updated_at"), count=models.Count("pk"))
        return state["last"], state["count"]


class Mission(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=MissionKind)
    country = CountryField(_("host country"))
    city = models.CharField(_("city"), max_length=100)
    address = models.TextField(_("address"))
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    opening_hours = models.TextField(_("opening hours"), blank=True)
    services = models.TextField(_("consular services"), blank=True)
    operating_status = models.CharField(
        _("operating status"), max_length=16, choices=OperatingStatus, default=OperatingStatus.OPERATIONAL
    )
    status_note = models.TextField(_("public note on the status"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    # Saving a mission in the admin (its phones and jurisdiction included) bumps
    # this, which invalidates the cached public pages in every process.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["country", "kind", "city"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=MissionKind.values), name="advisories_mission_kind_valid"),
            models.CheckConstraint(
                condition=Q(operating_status__in=OperatingStatus.values),
                name="advisories_mission_status_valid",
            ),
        ]

    def __str__(self):
        return self.name


class MissionJurisdiction(models.Model):
    """A country a mission serves: "who helps me in country X?"."""

    mission = models.ForeignKey(
        Mission, verbose_name=_("mission"), on_delete=models.CASCADE, related_name="jurisdictions"
    )
    country = CountryField(_("country"))

    class Meta:
        verbose_name = _("country of jurisdiction")
        verbose_name_plural = _("consular jurisdiction")
        # Read per mission (mission.jurisdictions).
        ordering = ["country"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "country"], name="advisories_jurisdiction_unique"),
        ]
        indexes = [
            # Mission.objects.serving(country).
            models.Index(fields=["country"], name="advisories_jurisdiction_idx"),
        ]

    def __str__(self):
        return str(self.country.name)


class PhoneKind(models.TextChoices):
    MAIN = "main", _("Main line")
    EMERGENCY = "emergency", _("24/7 emergency line")
    CONSULAR = "consular", _("Consular section")
    FAX = "fax", _("Fax")


class MissionPhone(models.Model):
    mission = models.ForeignKey(Mission, verbose_name=_("mission"), on_delete=models.CASCADE, related_name="phones")
    kind = models.CharField(_("kind"), max_length=16, choices=PhoneKind, default=PhoneKind.MAIN)
    number = models.CharField(_("number"), max_length=32, help_text=_("International format, e.g. +98 21 2256 5933."))

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")
        # Read per mission (mission.phones).
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=PhoneKind.values), name="advisories_phone_kind_valid"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.number}"

    @property
    def tel_uri(self):
        """A tel: link a phone can dial: the number without its spaces and punctuation."""
        return "tel:" + re.sub(r"[^\d+]", "", self.number)
