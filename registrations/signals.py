"""What registrations announce. Sent inside the transaction of the change, so a receiver
(notifications' outbox) writes its rows in that same transaction.

Every signal is sent with ``registration=`` (or ``event=``) and ``actor=`` (the user who
made the change, or None for the participant acting through their private link).
"""

from django.dispatch import Signal

# registration_received, _confirmed and _waitlisted also carry ``new``: True when the
# registration row was just created (no email was ever written for it), False when a
# cancelled one was made again.
registration_received = Signal()  # pending approval
registration_confirmed = Signal()
registration_approved = Signal()
registration_rejected = Signal()
registration_waitlisted = Signal()
registration_promoted = Signal()  # from the waiting list
registration_cancelled = Signal()  # kwargs: by_organiser (bool)
registration_changed = Signal()  # workshop choices changed
delegate_invited = Signal()  # a coordinator registered someone who must confirm details
registration_details_confirmed = Signal()  # a delegate gave their own consent, first time
# Someone submitted the public form with an address that has a registration for the event
# already: its private link goes to that address (never to whoever submitted the form).
registration_link_requested = Signal()

# A person's data (``registrations.personal_data``): the apps above registrations that hold
# personal data answer these. ``personal_data_export`` (``subject=``): return a dict of
# sections of the person's copy; ``personal_data_erase`` (``subject=``, ``now=``): erase
# inside the caller's transaction; ``personal_data_retention`` (``now=``): anonymise what
# is past its period, return ``(name, rows changed)``.
personal_data_export = Signal()
personal_data_erase = Signal()
personal_data_retention = Signal()

# The participant's private page asks the apps above registrations what they offer there
# (``registration=``): each receiver returns a ``private_page.PrivatePageLink`` or None.
private_page_links = Signal()

# The registration form asks what the apps above registrations add to it
# (``registrations.form_extensions``; ``event=``, ``registration=``: None for a new one):
# each receiver returns a ``FormExtension`` or None. Its rows are written in the
# registration's own transaction.
registration_form_extensions = Signal()
