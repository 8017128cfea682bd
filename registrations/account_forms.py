"""allauth's forms that take an email address but have no adapter hook for it.

Sign-up, "add an address" and password reset call ``AccountAdapter.clean_email``
(notifications/adapter.py); logging in with a password and asking for a login code do
not, so these subclasses (``ACCOUNT_FORMS``) refuse there too an address that no account
can have, with the same message rather than "wrong password".
"""

from allauth.account.forms import LoginForm, RequestLoginCodeForm

from .validators import validate_storable_email


class AddressLoginForm(LoginForm):
    def clean_login(self) -> str:
        login = super().clean_login()
        validate_storable_email(login)
        return login


class AddressRequestLoginCodeForm(RequestLoginCodeForm):
    def clean_email(self) -> str:
        validate_storable_email(self.cleaned_data["email"])
        return super().clean_email()
