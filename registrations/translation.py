from modeltranslation.translator import TranslationOptions, register

from .models import Question, QuestionOption


@register(Question)
class QuestionTranslationOptions(TranslationOptions):
    fields = Question.TRANSLATED_FIELDS


@register(QuestionOption)
class QuestionOptionTranslationOptions(TranslationOptions):
    fields = ("label",)
