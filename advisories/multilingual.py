"""Texts staff write in kk, ru and en, read in the reader's language, saying which language each really is.

django-modeltranslation (advisories/translation.py) stores one column per
language. A missing language is allowed (in a crisis the first language out
is the one that matters), so a reader may get the text of a fallback
language: `localised()` says which, so that pages mark it with its `lang`
and a line saying the translation is coming, feeds and CAP say it in their
language element, and the API in its `fallbacks`.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

LANGUAGES = tuple(settings.MODELTRANSLATION_LANGUAGES)

# Said in the page's language, naming the language the text is shown in.
TRANSLATION_COMING = {
    "kk": _("Translation coming. Until then, this text is in Kazakh."),
    "ru": _("Translation coming. Until then, this text is in Russian."),
    "en": _("Translation coming. Until then, this text is in English."),
}


def fallback_order(language):
    """The language asked for, then CONTENT_LANGUAGE_FALLBACK, then any other: where a text is looked for."""
    order = [language, *settings.CONTENT_LANGUAGE_FALLBACK, *LANGUAGES]
    return list(dict.fromkeys(code for code in order if code in LANGUAGES))


def current_language():
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in LANGUAGES else settings.LANGUAGE_CODE


@dataclass(frozen=True)
class Text:
    """A text and the language it is written in ("" when no language has it)."""

    text: str
    language: str
    wanted: str

    @property
    def is_fallback(self):
        return bool(self.text) and self.language != self.wanted

    @property
    def coming_note(self):
        return TRANSLATION_COMING[self.language] if self.is_fallback else ""

    def __str__(self):
        return self.text

    def __bool__(self):
        return bool(self.text)


def column(field, language):
    """The column holding `field` in `language`: summary_kk."""
    return f"{field}_{language}"


def columns(field):
    return [column(field, language) for language in LANGUAGES]


def localised(obj, field, language=None):
    """The object's `field` in `language` (the active one by default), or in the first fallback that has it."""
    wanted = language or current_language()
    for candidate in fallback_order(wanted):
        value = getattr(obj, column(field, candidate), None)
        if value:
            return Text(value, candidate, wanted)
    return Text("", "", wanted)


def fallback_languages(obj, fields, language=None):
    """The languages, other than the reader's, that some of the fields are shown in."""
    used = [localised(obj, field, language) for field in fields]
    return list(dict.fromkeys(text.language for text in used if text.is_fallback))


def missing_languages(obj, fields):
    """Languages in which some field that has a text in another language has none."""
    missing = []
    for language in LANGUAGES:
        for field in fields:
            values = {code: getattr(obj, column(field, code), None) for code in LANGUAGES}
            if any(values.values()) and not values[language]:
                missing.append(language)
                break
    return missing


def _empty(name):
    return Q(**{name: ""}) | Q(**{f"{name}__isnull": True})


def missing_in(language, fields):
    """Q for rows with some field written in another language but not in `language`."""
    condition = Q(pk__in=[])
    for field in fields:
        written_elsewhere = Q(pk__in=[])
        for other in LANGUAGES:
            if other != language:
                written_elsewhere |= ~_empty(column(field, other))
        condition |= _empty(column(field, language)) & written_elsewhere
    return condition


def missing_any(fields):
    """Q for rows missing some field in some language."""
    condition = Q(pk__in=[])
    for language in LANGUAGES:
        condition |= missing_in(language, fields)
    return condition
