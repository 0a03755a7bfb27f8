"""Staff's texts in the reader's language; a text shown in another language is marked with its lang.

{% load multilingual %}
{% translated_block edition "summary" %}     paragraphs, then "Translation coming…" if it fell back
{% translated_inline mission "name" %}       a text in a line, in <span lang> if it fell back
{% fallback_notes mission "name city address" %}  one "Translation coming…" line per language fallen back to
"""

from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import format_html, format_html_join

from ..multilingual import TRANSLATION_COMING, fallback_languages, localised

register = template.Library()


@register.simple_tag
def localised_text(obj, field):
    """The Text (text, language) of the field, for templates that lay it out themselves."""
    return localised(obj, field)


@register.simple_tag
def translated_block(obj, field, css_class=""):
    """The field's paragraphs; in a fallback language, inside an element with its lang and followed by the note."""
    text = localised(obj, field)
    if not text:
        return ""
    paragraphs = linebreaks_filter(text.text, autoescape=True)
    if not text.is_fallback:
        return format_html('<div class="{}">{}</div>', css_class, paragraphs) if css_class else paragraphs
    return format_html(
        '<div lang="{}" class="translated-fallback {}">{}</div><p class="translation-coming">{}</p>',
        text.language,
        css_class,
        paragraphs,
        text.coming_note,
    )


@register.simple_tag
def translated_inline(obj, field):
    """The field as a phrase; in a fallback language, in a <span lang>."""
    text = localised(obj, field)
    if text.is_fallback:
        return format_html('<span lang="{}">{}</span>', text.language, text.text)
    return text.text


@register.simple_tag
def fallback_notes(obj, fields):
    """One "Translation coming" line per language some of the fields (space-separated names) fell back to."""
    languages = fallback_languages(obj, fields.split())
    return format_html_join(
        "", '<p class="translation-coming">{}</p>', ((TRANSLATION_COMING[code],) for code in languages)
    )
