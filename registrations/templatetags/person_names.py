"""A person's name in the order of the page's language (``registrations.names``)."""

from django import template

from ..names import person_name

register = template.Library()


@register.filter
def full_name(person) -> str:
    """A registration's (or a ``values()`` row's) name: "Eszter Horváth", "Horváth Eszter"
    on a Hungarian page."""
    if isinstance(person, dict):
        return person_name(
            person.get("first_name", ""),
            person.get("last_name", ""),
            own_language=person.get("language", ""),
            country=person.get("country", ""),
        )
    return person.full_name
