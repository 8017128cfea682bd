"""What the events app announces, for the apps above it (notifications, calendars).

Sent inside the transaction of the change by ``events.services``.
"""

from django.dispatch import Signal

event_rescheduled = Signal()  # kwargs: event, changed (field names), actor
event_cancelled = Signal()  # kwargs: event, actor
programme_item_changed = Signal()  # kwargs: item, changed (field names), actor
