"""allauth's adapter for Rencontres: nobody can lock another person out, and sign-up does
not tell whether an address has an account.

Failed logins are limited per client address (allauth's ``login_failed`` rate, per IP) and
per client address *and* email together (``login_failed_from_address``), never per email
alone: a run of wrong passwords for someone else's address blocks only the address it
comes from, and the owner still logs in from theirs, by password or by code.

With ``ACCOUNT_PREVENT_ENUMERATION`` allauth answers a sign-up with an address that already
has an account as it answers a new one, and emails the owner instead of creating an
account. A new account costs a password hash, so the existing-address branch computes one
too: both take the same time.
"""

from allauth.core import ratelimit
from django.contrib.auth.hashers import make_password
from django.utils.crypto import get_random_string

from notifications.adapter import AccountAdapter as OutboxAccountAdapter

LOGIN_FAILED_FROM_ADDRESS = "login_failed_from_address"


class AccountAdapter(OutboxAccountAdapter):
    def _login_failures_key(self, request, credentials) -> str:
        login = str(credentials.get("email") or credentials.get("username") or "").lower()
        return f"{self.get_client_ip(request)}:{login}"

    def pre_authenticate(self, request, **credentials):
        """Refuse when this client address has failed too often for this email."""
        super().pre_authenticate(request, **credentials)
        allowed = ratelimit.consume(
            request,
            action=LOGIN_FAILED_FROM_ADDRESS,
            key=self._login_failures_key(request, credentials),
            dry_run=True,
        )
        if not allowed:
            raise self.validation_error("too_many_login_attempts")

    def authentication_failed(self, request, **credentials):
        """Count the failure against this client address and email together."""
        super().authentication_failed(request, **credentials)
        ratelimit.consume(
            request,
            action=LOGIN_FAILED_FROM_ADDRESS,
            key=self._login_failures_key(request, credentials),
        )

    def send_account_already_exists_mail(self, email):
        """As allauth's, after the password hash a new account would have cost."""
        make_password(get_random_string(32))
        super().send_account_already_exists_mail(email)
