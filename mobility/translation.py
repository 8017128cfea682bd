from modeltranslation.translator import TranslationOptions, register

from .models import Project, Series


@register(Project)
class ProjectTranslationOptions(TranslationOptions):
    fields = Project.TRANSLATED_FIELDS


@register(Series)
class SeriesTranslationOptions(TranslationOptions):
    fields = Series.TRANSLATED_FIELDS
