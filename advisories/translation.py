"""Which texts staff write in each of the portal's languages (django-modeltranslation).

Each field listed gets one column per language (summary_kk, summary_ru,
summary_en); reading `edition.summary` gives the active language's value, or
the first of CONTENT_LANGUAGE_FALLBACK that has one. Pages that must say which
language a text is in read it through advisories.multilingual.localised().
"""

from modeltranslation.translator import TranslationOptions, register

from .models import AdvisoryEdition, Mission, RegionalAdvisory

EDITION_TEXTS = ("summary", *AdvisoryEdition.SECTION_FIELDS, "change_note")
REGIONAL_TEXTS = ("reason",)
MISSION_TEXTS = ("name", "city", "address", "opening_hours", "services", "status_note")


@register(AdvisoryEdition)
class AdvisoryEditionTranslation(TranslationOptions):
    fields = EDITION_TEXTS
    # No language is required: in a crisis an edition may go out in one language first.
    required_languages = ()


@register(RegionalAdvisory)
class RegionalAdvisoryTranslation(TranslationOptions):
    fields = REGIONAL_TEXTS
    required_languages = ()


@register(Mission)
class MissionTranslation(TranslationOptions):
    fields = MISSION_TEXTS
    required_languages = ()
