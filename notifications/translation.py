from modeltranslation.translator import TranslationOptions, register

from .models import Broadcast, NotificationSettings


@register(Broadcast)
class BroadcastTranslationOptions(TranslationOptions):
    fields = ("subject", "body")


@register(NotificationSettings)
class NotificationSettingsTranslationOptions(TranslationOptions):
    fields = NotificationSettings.TRANSLATED_FIELDS
