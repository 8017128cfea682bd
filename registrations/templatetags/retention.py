"""What the workspace shows of the personal-data retention rules (``personal_data``)."""

from datetime import date

from django import template

from events.models import Event

from .. import personal_data

register = template.Library()


@register.filter
def data_anonymised_on(event: Event) -> date:
    """The day the event's participants' personal data is anonymised."""
    return personal_data.retention_ends_on(event)
