import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.country_field import CountryField
from portal.geography import is_region_of, region_name, sorted_names

from .multilingual import columns

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
        """(title, field name) of the sections that have text in some language, in the published order."""
        return [
            (self._meta.get_field(name).verbose_name, name)
            for name in self.SECTION_FIELDS
            if any(getattr(self, column) for column in columns(name))
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


def _closeness(region, *, region_field="region"):
    """0 for the jurisdiction rows closest to a place, 1 for the others.

    For a place with a region, a row naming that region is closer than one
    for the whole country; for a whole country (the country page), a row for
    the whole country is closer than one for some of its regions.
    """
    if region:
        return models.Case(models.When(**{region_field: region}, then=0), default=1)
    return models.Case(models.When(**{region_field: ""}, then=0), default=1)


def covers(country, region="", *, prefix=""):
    """Q on MissionJurisdiction (through `prefix`) for the rows that cover the place.

    A place with a region is covered by a row for that region or for its whole
    country; a place without one (the country page, a stop whose region was not
    given) by any row of its country.
    """
    condition = Q(**{f"{prefix}country": country})
    if region:
        condition &= Q(**{f"{prefix}region": ""}) | Q(**{f"{prefix}region": region})
    return condition


class MissionQuerySet(models.QuerySet):
    def with_kind_rank(self):
        """Annotated with kind_rank: embassies first, then consulates general, and so on."""
        return self.annotate(kind_rank=_kind_rank("kind"))

    def serving(self, country_code, region=""):
        """Missions whose consular jurisdiction covers the country (or its region), the closest first.

        "Who helps me at this stop?": with a region, the missions whose
        jurisdiction names the region come before those that cover the whole
        country (the consulate general in Istanbul before the embassy in Ankara
        for an İstanbul stop); then local ones (in the country) before those
        abroad, embassies before consulates.
        """
        code = str(country_code).upper()
        region = (region or "").upper()
        rows = MissionJurisdiction.objects.filter(covers(code, region), mission=models.OuterRef("pk"))
        closest = rows.annotate(closeness=_closeness(region)).order_by("closeness").values("closeness")[:1]
        return (
            self.with_kind_rank()
            .filter(models.Exists(rows))
            .annotate(
                closeness=models.Subquery(closest, output_field=models.IntegerField()),
                is_local=models.Case(models.When(country=code, then=0), default=1),
            )
            .order_by("closeness", "is_local", "kind_rank", "city", "pk")
            .prefetch_related("phones")
        )

    def first_serving_each(self, places):
        """{(country, region): the mission serving(country, region) lists first}, one query for all places.

        `places` are (country code, region code or "") pairs: stops' countries
        and regions; a bare country code is the whole country, (code, ""). A
        place no mission covers is left out.
        """
        places = {(place, "") if isinstance(place, str) else place for place in places}
        places = {(str(country).upper(), (region or "").upper()) for country, region in places}
        if not places:
            return {}
        rows = list(
            MissionJurisdiction.objects.filter(
                country__in=sorted({country for country, _region in places}), mission__in=self
            )
            .annotate(
                is_local=models.Case(models.When(mission__country=models.F("country"), then=0), default=1),
                kind_rank=_kind_rank("mission__kind"),
            )
            .order_by("is_local", "kind_rank", "mission__city", "mission_id")
            .select_related("mission")
        )
        first = {}
        for country, region in places:
            candidates = [
                row for row in rows if row.country.code == country and (not region or row.region in {"", region})
            ]
            if candidates:
                # Stable: within the same closeness, local missions and embassies stay first.
                candidates.sort(key=lambda row: row.region != region)
                first[(country, region)] = candidates[0].mission
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

    def places(self):
        """The jurisdiction by country: [(country, [region names], whole country?)], from prefetched rows.

        A country appears once: "Türkiye: İstanbul, Bursa…" for a consulate
        general, "Türkiye" for an embassy that covers all of it.
        """
        by_country = {}
        for row in self.jurisdictions.all():
            entry = by_country.setdefault(row.country.code, {"country": row.country, "regions": [], "whole": False})
            if row.region:
                entry["regions"].append(row.region_name)
            else:
                entry["whole"] = True
        return [
            {**entry, "regions": [] if entry["whole"] else sorted_names(entry["regions"])}
            for entry in by_country.values()
        ]


class MissionJurisdiction(models.Model):
    """A place a mission serves, "who helps me in country X (region Y)?": a whole country, or one of its regions.

    A consulate general in Istanbul covers some provinces of Türkiye (one row
    per ISO 3166-2 region), the embassy in Ankara the rest. Mission officers
    see the citizens present in the same places (registrations.models.scoping).
    """

    mission = models.ForeignKey(
        Mission, verbose_name=_("mission"), on_delete=models.CASCADE, related_name="jurisdictions"
    )
    country = CountryField(_("country"))
    region = models.CharField(
        _("region"),
        max_length=10,
        blank=True,
        help_text=_("ISO 3166-2 code, e.g. TR-34, for one region only; empty for the whole country."),
    )

    class Meta:
        verbose_name = _("place of jurisdiction")
        verbose_name_plural = _("consular jurisdiction")
        # Read per mission (mission.jurisdictions).
        ordering = ["country", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "country", "region"], name="advisories_jurisdiction_place_unique"
            ),
        ]
        indexes = [
            # Mission.objects.serving(country, region) and first_serving_each().
            models.Index(fields=["country", "region"], name="advisories_jurisdiction_idx"),
        ]

    def __str__(self):
        if self.region:
            return f"{self.region_name}, {self.country.name}"
        return str(self.country.name)

    @property
    def region_name(self):
        return region_name(self.region) if self.region else ""

    def clean(self):
        super().clean()
        if self.region and self.country and not is_region_of(self.region, self.country.code):
            raise ValidationError({"region": _("This is not a region of the country.")})


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
