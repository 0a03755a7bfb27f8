"""Texts in Kazakh, Russian and English: read in the reader's language, or in a fallback that says so."""

# ruff: noqa: RUF001 - Kazakh and Russian texts: Cyrillic letters are meant.

import pytest
from django.utils import translation

from advisories import services
from advisories.models import AdvisoryEdition, RegionalAdvisory
from advisories.multilingual import fallback_order, localised, missing_any, missing_in, missing_languages
from advisories.tests.factories import make_published_advisory
from advisories.translation import EDITION_TEXTS

pytestmark = pytest.mark.django_db


def test_a_reader_gets_their_language_else_the_fallbacks_in_order(settings):
    settings.CONTENT_LANGUAGE_FALLBACK = ["ru", "kk", "en"]
    edition = make_published_advisory("IR", level=4, summary="Do not travel to Iran.").current_edition
    edition.summary_ru = "Не совершайте поездок в Иран."
    edition.save()

    kazakh = localised(edition, "summary", "kk")
    russian = localised(edition, "summary", "ru")

    assert (kazakh.text, kazakh.language, kazakh.is_fallback) == ("Не совершайте поездок в Иран.", "ru", True)
    assert kazakh.coming_note  # "Translation coming…", said in the page's language
    assert (russian.language, russian.is_fallback) == ("ru", False)
    assert localised(edition, "summary", "en").text == "Do not travel to Iran."
    assert fallback_order("en") == ["en", "ru", "kk"]
    assert not localised(edition, "health", "kk")  # no text in any language: nothing to show


def test_the_active_language_is_the_default_and_the_descriptor_agrees():
    edition = make_published_advisory("IR", level=4, summary="Do not travel.").current_edition
    edition.summary_kk = "Бармаңыз."
    edition.save()

    with translation.override("kk"):
        assert localised(edition, "summary").text == "Бармаңыз."
        assert edition.summary == "Бармаңыз."  # modeltranslation's own reading
    with translation.override("ru"):
        assert localised(edition, "summary").language == "kk"


def test_missing_languages_are_named_and_found_by_a_query():
    complete = make_published_advisory("IR", level=4, summary="Do not travel.", change_note="Raised.").current_edition
    AdvisoryEdition.objects.filter(pk=complete.pk).update(
        summary_kk="Бармаңыз.", summary_ru="Не ездите.", change_note_kk="Көтерілді.", change_note_ru="Повышен."
    )
    missing_kazakh = make_published_advisory("TR", level=2, summary="Caution.", change_note="New.").current_edition
    AdvisoryEdition.objects.filter(pk=missing_kazakh.pk).update(summary_ru="Осторожно.", change_note_ru="Новое.")
    complete.refresh_from_db()
    missing_kazakh.refresh_from_db()

    assert missing_languages(complete, EDITION_TEXTS) == []
    assert missing_languages(missing_kazakh, EDITION_TEXTS) == ["kk"]
    assert list(AdvisoryEdition.objects.filter(missing_in("kk", EDITION_TEXTS))) == [missing_kazakh]
    assert list(AdvisoryEdition.objects.filter(missing_in("ru", EDITION_TEXTS))) == []
    assert list(AdvisoryEdition.objects.filter(missing_any(EDITION_TEXTS))) == [missing_kazakh]


def test_a_new_draft_copies_every_language_of_the_published_edition(author):
    advisory = make_published_advisory(
        "IR", level=3, summary="Reconsider travel.", regions=[("IR-11", 4, "Kidnappings.")]
    )
    AdvisoryEdition.objects.filter(pk=advisory.current_edition_id).update(
        summary_kk="Сапарды қайта қарастырыңыз.", summary_ru="Воздержитесь от поездок."
    )
    RegionalAdvisory.objects.filter(edition=advisory.current_edition_id).update(reason_ru="Похищения.")
    advisory.refresh_from_db()

    with translation.override("kk"):  # whoever drafts, in whatever language
        draft = services.create_draft(advisory=advisory, author=author)

    assert (draft.summary_kk, draft.summary_ru, draft.summary_en) == (
        "Сапарды қайта қарастырыңыз.",
        "Воздержитесь от поездок.",
        "Reconsider travel.",
    )
    region = draft.regions.get()
    assert (region.reason_ru, region.reason_en) == ("Похищения.", "Kidnappings.")
