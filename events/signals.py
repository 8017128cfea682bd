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
# (``events.selectors.event_version``). An app above that adds to the page answers both:
# - ``event_page_version``, asked (with no argument) whenever the version is read: receivers
#   return a dict of named query expressions evaluated on the event's row in the version's
#   one query (a ``Subquery`` over their own rows, say when they last changed); their values
#   are part of the page's version, so that a change shows at the next request.
# - ``event_page_additions``, asked only when the page is rendered (not when it comes from
#   the cache) with the values those expressions gave (``known``): receivers return an
#   ``events.selectors.EventPageAddition`` (HTML they rendered with their own, escaping,
#   templates) or None.
event_page_version = Signal()  # no kwargs; returns dict[str, Expression]
event_page_additions = Signal()  # kwargs: event, known; returns EventPageAddition | None
