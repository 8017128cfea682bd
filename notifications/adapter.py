"""allauth's emails (verification, login code, password reset) go through the outbox, in
the look of the project's own emails and signed with the network's name."""

import copy
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.template.loader import render_to_string
from django.utils.translation import get_language

from events.selectors import network_identity
from registrations.validators import validate_storable_email

from . import services
from .models import Kind
from .rendering import colours


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        """Sign-up, "add an address" and password reset refuse an address that cannot be
        stored as typed (allauth would cut it to the column's length and mail what is
        left)."""
        validate_storable_email(email)
        return super().clean_email(email)

    def send_mail(self, template_prefix, email, context):
        """As allauth's own, except that the rendered email becomes an outbox row instead
        of being sent during the request."""
        request = allauth_context.request
        network = network_identity()
        site = copy.copy(get_current_site(request))  # not the cached one
        # allauth signs with the Site's name and domain ("[example.com]"): the network's
        # name and the site's address instead, in every language.
        site.name = network.display_name
        site.domain = urlsplit(settings.SITE_URL).netloc or site.domain
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                "current_site": site,
                "network": network,
                "site_url": settings.SITE_URL,
                **context,
            },
        )
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        if not html:  # in the look of the project's other emails
            html = render_to_string(
                "notifications/account_email.html",
                {
                    "subject": message.subject,
                    "body": message.body,
                    "language": language,
                    "network": network,
                    "colours": colours(network),
                    "site_url": settings.SITE_URL,
                },
            )
        services.message_create(
            kind=Kind.ACCOUNT,
            recipient=email,
            language=language,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
        )
