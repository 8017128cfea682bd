"""A tiny browser for tests that talk to a live server over real HTTP (threads included)."""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request


class Browser:
    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base_url + path))

    def post_form(self, path: str, data: dict, form_html: str | None = None) -> tuple[int, str]:
        """GET the form (for its CSRF token, as a browser does), then POST it; with
        ``form_html`` (a form already read), POST it at once, as a second click would."""
        html = form_html if form_html is not None else self.get(path)[1]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}, doseq=True)
        request = urllib.request.Request(
            self.base_url + path,
            data=body.encode(),
            method="POST",
            headers={
                "Referer": self.base_url + path,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        return self._open(request)

    def _open(self, request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
