from modeltranslation.translator import TranslationOptions, register

from .models import Event, NetworkIdentity, Organisation, ProgrammeItem, Speaker


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = Event.TRANSLATED_FIELDS


@register(ProgrammeItem)
class ProgrammeItemTranslationOptions(TranslationOptions):
    fields = ProgrammeItem.TRANSLATED_FIELDS


@register(Speaker)
class SpeakerTranslationOptions(TranslationOptions):
    fields = ("bio",)


@register(Organisation)
class OrganisationTranslationOptions(TranslationOptions):
    fields = ("field_of_work", "description")


@register(NetworkIdentity)
class NetworkIdentityTranslationOptions(TranslationOptions):
    fields = NetworkIdentity.TRANSLATED_FIELDS
