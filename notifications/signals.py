"""What notifications announce, for the apps above it.

``email_links`` is sent while an email about a registration is written, with the
recipient's language active (``message=``, ``registration=``): each receiver returns an
``email_links.EmailLink`` (a path on this site) or None. The evaluation app answers it
for the "thanks" email with the link to the event's feedback survey.
"""

from django.dispatch import Signal

email_links = Signal()
