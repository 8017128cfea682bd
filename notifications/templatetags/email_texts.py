"""What the email templates show of the organisers' own texts."""

from django import template

from ..content import organiser_paragraph as paragraph_for

register = template.Library()


@register.simple_tag
def organiser_paragraph(message, event) -> str:
    """The organisers' paragraph for this email (plain text: the template escapes it)."""
    if message is None:
        return ""
    return paragraph_for(message.kind, message.language, event)
