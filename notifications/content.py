"""What each kind of email says. Read with the recipient's language active."""

from django.utils.translation import gettext_lazy as _

from .models import Kind

SUBJECTS = {
    Kind.RECEIVED: _("Registration received: %(event)s"),
    Kind.CONFIRMED: _("Registration confirmed: %(event)s"),
    Kind.APPROVED: _("Registration approved: %(event)s"),
    Kind.REJECTED: _("Registration not accepted: %(event)s"),
    Kind.WAITLISTED: _("On the waiting list: %(event)s"),
    Kind.PROMOTED: _("A place for you: %(event)s"),
    Kind.CANCELLED: _("Registration cancelled: %(event)s"),
    Kind.CANCELLED_BY_ORGANISER: _("Registration cancelled by the organisers: %(event)s"),
    Kind.WORKSHOPS_CHANGED: _("Your workshops: %(event)s"),
    Kind.EVENT_CHANGED: _("New date or place: %(event)s"),
    Kind.WORKSHOP_CHANGED: _("Change in your programme: %(event)s"),
    Kind.EVENT_CANCELLED: _("Event cancelled: %(event)s"),
    Kind.REMINDER: _("Reminder: %(event)s"),
    Kind.DIGEST: _("Today’s programme: %(event)s"),
    Kind.THANKS: _("Thank you for coming: %(event)s"),
    Kind.DELEGATE_INVITED: _("You are registered for “%(event)s”"),
    Kind.PRIVATE_LINK: _("Your private link: %(event)s"),
    Kind.PROGRAMME_CHANGED: _("Programme changes: %(event)s"),
    Kind.RESOURCES_PUBLISHED: _("Slides, reports and photos: %(event)s"),
}

INTROS = {
    Kind.RECEIVED: _(
        "We have received your registration. It is waiting for approval; you will receive "
        "an email as soon as it is decided."
    ),
    Kind.CONFIRMED: _("Your registration is confirmed. We look forward to seeing you."),
    Kind.APPROVED: _("Your registration has been approved: your place is confirmed."),
    Kind.REJECTED: _("We are sorry: your registration could not be accepted."),
    Kind.WAITLISTED: _(
        "The event is full, so you are on the waiting list, in position %(position)s. You "
        "will get a place automatically as soon as one frees up, and we will tell you."
    ),
    Kind.PROMOTED: _("Good news: a place has freed up and it is yours."),
    Kind.CANCELLED: _("Your registration has been cancelled, as you requested."),
    Kind.CANCELLED_BY_ORGANISER: _(
        "The organisers have cancelled your registration. Please write to them if you "
        "think this is a mistake."
    ),
    Kind.WORKSHOPS_CHANGED: _("Your workshop choices have changed. Here is your programme."),
    Kind.EVENT_CHANGED: _("The event has moved. Here are its new dates and place."),
    Kind.WORKSHOP_CHANGED: _(
        "A workshop you chose has moved to another time or room. Here is your programme."
    ),
    Kind.EVENT_CANCELLED: _("We are sorry: the event is cancelled."),
    Kind.REMINDER: _(
        "The event is coming soon. Here is the practical information and your programme."
    ),
    Kind.DIGEST: _("Good morning! Here is today’s programme."),
    Kind.THANKS: _("Thank you for taking part. We hope to see you again soon."),
    Kind.DELEGATE_INVITED: _(
        "%(coordinator)s registered you for this event on behalf of %(organisation)s. "
        "Please confirm and complete your details."
    ),
    Kind.PRIVATE_LINK: _(
        "Someone, probably you, asked to register this address for this event, which has "
        "a registration already. Here is its private link: use it to view, change or "
        "cancel your registration, or to register again if it was cancelled. If you did "
        "not ask for this, you can ignore this email: nothing has changed."
    ),
    Kind.PROGRAMME_CHANGED: _("The programme has changed since you registered:"),
    Kind.RESOURCES_PUBLISHED: _(
        "The organisers have published resources of the event (slides, reports, photos, "
        "links). You will find them on the event page, with each session."
    ),
}

PROMOTED_PENDING = _("It is now waiting for the organisers’ approval.")


#: Emails that carry the organisers' own paragraph, and which one.
ORGANISER_TEXTS = {
    Kind.CONFIRMED: "confirmation_text",
    Kind.APPROVED: "confirmation_text",
    Kind.PROMOTED: "confirmation_text",
    Kind.REMINDER: "reminder_text",
}


def organiser_paragraph(kind: str, language: str, event) -> str:
    """The paragraph the event's organisers wrote for this kind of email, in ``language``,
    else in the event's default language, else "" (their email settings come loaded with
    the event when the outbox claims a message)."""
    field = ORGANISER_TEXTS.get(kind)
    if field is None or event is None:
        return ""
    from .models import NotificationSettings

    try:
        options = event.notification_settings
    except NotificationSettings.DoesNotExist:
        return ""
    for code in (language, event.default_language):
        text = getattr(options, f"{field}_{code}", "") or ""
        if text.strip():
            return text.strip()
    return ""
