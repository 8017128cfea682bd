"""allauth's emails (verification, login code, password reset) go through the outbox."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.utils.translation import get_language

from registrations.validators import validate_storable_email

from . import services
from .models import Kind


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
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
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
        services.message_create(
            kind=Kind.ACCOUNT,
            recipient=email,
            language=language,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
        )
