from django import template

from .. import selectors

register = template.Library()


@register.simple_tag
def may_edit_directory_entries(user) -> bool:
    """Whether ``user`` edits the directory entry of any organisation (workspace link)."""
    return selectors.may_edit_entries(user)
