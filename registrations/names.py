"""A person's name in the order the text's language writes it: the rule lives in
``events.names`` (the ground floor, so that speakers follow it too); registrations, exports
and emails import it from here."""

from events.names import FAMILY_NAME_FIRST, family_name_first, name_fields, person_name

__all__ = ["FAMILY_NAME_FIRST", "family_name_first", "name_fields", "person_name"]
