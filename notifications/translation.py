from modeltranslation.translator import TranslationOptions, register

from .models import Broadcast


@register(Broadcast)
class BroadcastTranslationOptions(TranslationOptions):
    fields = ("subject", "body")
