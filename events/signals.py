"""What the events app announces, for the apps above it (notifications, calendars).

Sent inside the transaction of the change by ``events.services``.
"""

from django.dispatch import Signal

event_rescheduled = Signal()  # kwargs: event, changed (field names), actor
event_cancelled = Signal()  # kwargs: event, actor
programme_item_changed = Signal()  # kwargs: item, changed (field names), actor

# Sent by ``events.services.event_copy`` once the copy, its programme and texts exist:
# each app above copies its own configuration of ``source`` to ``copy`` (registrations:
# questions and quotas; notifications: reminder schedule and email settings).
event_copied = Signal()  # kwargs: source, copy, actor

# Sent by ``events.services.programme_changes_announce`` with the batch of changes
# (``ProgrammeChange`` rows) now announced: notifications writes one email per person
# concerned. Receivers return how many people they wrote to.
programme_changes_announced = Signal()  # kwargs: event, changes

# Asked by the setup pages before an announcement: receivers return how many people the
# given changes concern (events itself does not know who registered).
programme_changes_audience = Signal()  # kwargs: event, changes

# The public event page (``events.views.event_detail``) is cached keyed on its version
# (``events.selectors.event_version``), read from the event's row: an app above that adds to
# the page marks the event's content changed when what it adds changes (its models are
# ``events.models.ShownOnEventPages``), and answers ``event_page_additions``, asked only when
# the page is rendered (not when it comes from the cache): receivers return an
# ``events.selectors.EventPageAddition`` (HTML they rendered with their own, escaping,
# templates) or None.
event_page_additions = Signal()  # kwargs: event; returns EventPageAddition | None
