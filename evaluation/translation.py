from modeltranslation.translator import TranslationOptions, register

from .models import SurveyQuestion


@register(SurveyQuestion)
class SurveyQuestionTranslationOptions(TranslationOptions):
    fields = SurveyQuestion.TRANSLATED_FIELDS
