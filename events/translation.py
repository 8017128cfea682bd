from modeltranslation.translator import TranslationOptions, register

from .models import Event, NetworkIdentity, Organisation, ProgrammeItem, Room, Speaker, Venue


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
    fields = Organisation.TRANSLATED_FIELDS


@register(NetworkIdentity)
class NetworkIdentityTranslationOptions(TranslationOptions):
    fields = NetworkIdentity.TRANSLATED_FIELDS


@register(Venue)
class VenueTranslationOptions(TranslationOptions):
    fields = Venue.TRANSLATED_FIELDS


@register(Room)
class RoomTranslationOptions(TranslationOptions):
    fields = Room.TRANSLATED_FIELDS
    # A name left empty in a language is NULL, so that the per-language uniqueness of a
    # venue's room names (modeltranslation copies the constraint) ignores it.
    empty_values = None
