"""bin/check-translations refuses what gives a translated product away (issue 17)."""

import importlib.machinery
import importlib.util
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def checks():
    path = ROOT / "bin" / "check-translations"
    loader = importlib.machinery.SourceFileLoader("check_translations", str(path))
    spec = importlib.util.spec_from_loader("check_translations", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def catalogue(text: str):
    return polib.pofile(text)


HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'


def test_a_template_with_a_literal_date_format_fails(checks, tmp_path, monkeypatch):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text(
        '{{ day|date:"l j F Y" }} {{ day|date:"SHORT_DATE_FORMAT" }} {{ day|date:\'c\' }}'
    )
    monkeypatch.setattr(checks, "ROOT", tmp_path)
    [problem] = checks.literal_date_formats()
    assert "page.html:1" in problem and "'l j F Y'" in problem


def test_a_date_in_words_outside_the_projects_date_format_fails(checks, tmp_path, monkeypatch):
    """French writes "1er janvier": a day of the month in words goes through the project's
    ``local_date`` filter and ``events.formats.date_format``, not Django's."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text(
        '{{ day|date:"DATETIME_FORMAT" }} {{ day|local_date:"DATE_FORMAT" }}'
    )
    (tmp_path / "views.py").write_text(
        "from django.utils.formats import date_format, time_format\n"
        "from events.formats import date_format as ours\n"
    )
    monkeypatch.setattr(checks, "ROOT", tmp_path)
    template, python = checks.literal_date_formats()
    assert "page.html:1" in template and 'local_date:"DATETIME_FORMAT"' in template
    assert "views.py:1" in python and "events.formats.date_format" in python


def test_the_projects_templates_format_dates_through_the_locale(checks):
    assert checks.literal_date_formats() == []


def test_a_header_left_at_gettexts_template_fails(checks):
    po = catalogue(
        "# SOME DESCRIPTIVE TITLE.\n# FIRST AUTHOR <EMAIL@ADDRESS>, YEAR.\n"
        + HEADER
        + '"Project-Id-Version: PACKAGE VERSION\\n"\n"PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\\n"\n'
    )
    problems = " ".join(checks.header_problems(po))
    for default in ("SOME DESCRIPTIVE TITLE", "FIRST AUTHOR", "PACKAGE VERSION", "YEAR-MO-DA"):
        assert default in problems


def test_the_projects_headers_are_filled_in(checks):
    for language in ("en", "fr", "ro", "hu", "pt", "it"):
        assert checks.header_problems(polib.pofile(str(checks.catalogue(language)))) == []


def test_a_stale_catalogue_fails_but_an_override_of_a_library_text_passes(checks):
    po = catalogue(
        HEADER
        + '\nmsgid "Still used"\nmsgstr "Encore utilisé"\n'
        + '\nmsgid "Removed from the code"\nmsgstr "Retiré"\n'
        + "\n#. Overrides django-allauth's translation.\n"
        + 'msgid "Sign In"\nmsgstr "Se connecter"\n'
    )
    in_code = {(None, "Still used"), ("button", "Export")}
    problems = checks.stale_problems(po, in_code)
    assert problems == [
        "missing (in the code, not in the catalogue): button | Export",
        "obsolete (no longer in the code): Removed from the code",
    ]


@pytest.mark.parametrize(
    ("language", "translation", "slip"),
    [
        ("fr", "Quand : demain", "no-break space"),
        ("fr", "Supprimer «\u00a0%(title)s » ?", "no-break space"),
        ("fr", "Plénière d'ouverture", "’ instead of '"),
        ("it", "Scarichi l'attestato", "’ instead of '"),
        ("pt", "Participou em “%(event)s”", "« » instead of “ ”"),
        ("ro", "Apăsaţi „Salvaţi”", "comma below"),
        ("hu", "A „Mentés” gomb és a “Mégse”", "„ ” instead of"),
        ("fr", "Connecté·e en tant que %(email)s", "may begin with a vowel"),
        ("fr", "Logo de %(name)s", "may begin with a vowel"),
    ],
)
def test_a_translation_against_its_languages_typography_fails(checks, language, translation, slip):
    po = catalogue(HEADER + f'\nmsgid "Some text"\nmsgstr "{translation}"\n')
    [problem] = checks.typography_problems(language, po)
    assert slip in problem and "Some text" in problem


def test_typography_that_is_right_passes(checks):
    po = catalogue(
        HEADER
        + '\nmsgid "When:"\nmsgstr "Quand\u00a0: 09:00, «\u00a0lien\u00a0»\u00a0? '
        + "le %(date)s, de %(count)s "
        + "<a href='https://example.org/?a=1'>ici</a>\"\n"
    )
    assert checks.typography_problems("fr", po) == []


def test_the_projects_catalogues_follow_their_languages_typography(checks):
    for language in ("fr", "ro", "hu", "pt", "it"):
        po = polib.pofile(str(checks.catalogue(language)))
        assert checks.typography_problems(language, po) == [], language
