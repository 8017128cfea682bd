"""The Content-Security-Policy on every response, error pages included.

django-csp's middleware sends no policy with a 404 or a 500 when ``DEBUG`` is on (so that
Django's technical error pages, made of inline styles and scripts, render). The demo and
every local run serve with ``DEBUG=1``: their error pages (the site's 404, the API's
JSON 404) went out with ``X-Frame-Options`` but without the policy every other page
carries. Here every response gets the same policy whatever ``DEBUG`` says; Django's own
technical pages (``DEBUG`` only) then show without their styling, their text intact.
"""

from dataclasses import asdict

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        response = super().process_response(request, response)
        if HEADER not in response and not getattr(response, "_csp_exempt", False):
            parts = self.get_policy_parts(request=request, response=response)
            policy = build_policy(**asdict(parts))
            if policy:
                response[HEADER] = policy
        return response
