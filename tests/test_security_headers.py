"""Every page carries a Content-Security-Policy and a Permissions-Policy, and loads nothing
from another host: the admin's language tabs included."""

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from registrations import services

from .factories import EventFactory, UserFactory, at, person

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


class Assets(HTMLParser):
    """The URLs a page makes the browser load (scripts, styles, images, frames), and its
    inline scripts and styles, which the policy forbids."""

    def __init__(self):
        super().__init__()
        self.urls = []
        self.inline = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe") and attrs.get("src"):
            self.urls.append(attrs["src"])
        elif tag == "script":
            self.inline.append("<script> without src")
        if tag == "link" and "stylesheet" in (attrs.get("rel") or ""):
            self.urls.append(attrs["href"])
        if tag == "style":
            self.inline.append("<style>")
        if "style" in attrs:
            self.inline.append(f'<{tag} style="{attrs["style"]}">')
        self.inline.extend(f"<{tag} {name}=…>" for name in attrs if name.startswith("on"))


@pytest.fixture
def event(db):
    event = EventFactory(
        slug="training",
        registration_opens_at=at(-5),
        registration_closes_at=at(20),
        starts_at=at(30),
        ends_at=at(31),
    )
    event.organiser = UserFactory(email="odile@example.org")
    event.organisers.add(event.organiser)
    event.host.listed = True  # its widget exists (only listed organisations have one)
    event.host.save(update_fields=["listed"])
    event.registration = services.registration_create(event=event, person=person())[0]
    return event


def pages(event):
    secret = event.registration.secret
    public = [
        "/en/",
        "/en/events/past/",
        "/fr/events/training/",
        "/en/events/training/register/",
        f"/en/r/{secret}/",
        f"/en/r/{secret}/details/",
        "/en/accounts/login/",
        "/en/accounts/signup/",
        "/en/accounts/login/code/",
        "/en/accounts/password/reset/",
        "/en/no-such-page/",
        "/pt/widget/events/",
        "/pt/widget/events/training/",
        f"/pt/widget/organisations/{event.host.slug}/",
        "/api/docs/",
    ]
    organiser = [
        "/en/workspace/",
        "/en/workspace/training/",
        "/en/workspace/training/participants/",
        "/en/workspace/training/checkin/",
        "/en/workspace/training/emails/",
        "/en/my/registrations/",
        "/en/workspace/api-tokens/",
        "/en/workspace/embed/?what=event&event=training&language=pt",
    ]
    superuser = [
        "/en/admin/",
        "/en/admin/events/event/",
        f"/en/admin/events/event/{event.pk}/change/",
        "/en/admin/events/programmeitem/add/",
        "/en/admin/events/organisation/add/",
    ]
    return public, organiser, superuser


def assert_self_contained(response, path):
    assert response.status_code in (200, 404), (path, response.status_code)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy, path
    assert "script-src 'self'" in policy, path
    assert "unsafe-inline" not in policy, path
    assert "camera=()" in response["Permissions-Policy"], path
    assets = Assets()
    assets.feed(response.content.decode())
    assert assets.urls, path
    for url in assets.urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, f"{path} loads {url}"
    assert not assets.inline, f"{path}: {assets.inline}"


def test_every_main_page_has_the_policies_and_loads_nothing_from_another_host(client, event):
    public, organiser, superuser = pages(event)
    for path in public:
        assert_self_contained(client.get(path), path)
    client.force_login(event.organiser)
    for path in organiser:
        assert_self_contained(client.get(path), path)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for path in superuser:
        assert_self_contained(client.get(path), path)


@pytest.mark.parametrize("debug", [False, True])
def test_error_pages_carry_the_same_policy_as_every_page(client, settings, event, debug):
    """With DEBUG on too (the demo, a local run), where django-csp itself sends none."""
    settings.DEBUG = debug
    policy = client.get("/en/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    for path in (
        "/en/no-such-page/",
        "/en/events/no-such-event/",
        "/api/v1/events/no-such-event/",
        "/api/v1/nothing-here/",
        "/static/no-such-file.css",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["X-Frame-Options"] == "DENY", path
        assert response.get("Content-Security-Policy") == policy, path


def test_admin_language_tabs_load_jquery_ui_from_this_site(client, event):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(f"/en/admin/events/event/{event.pk}/change/").content.decode()
    assert "jquery-ui.min.js" in page
    assert "/static/vendor/jquery-ui/jquery-ui.min.js" in page
    shipped = client.get("/static/vendor/jquery-ui/jquery-ui.min.js")
    assert shipped.status_code == 200
    assert b"jQuery UI" in b"".join(shipped.streaming_content)[:200]
    shipped.close()


def production_settings(tmp_path, **variables):
    """Runs ``code`` under production settings (DEBUG=0) in a new process, on a SQLite
    database of its own (never the database the developer's settings point at)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("DEBUG", "DJANGO_", "SECURE_", "STATIC_ROOT", "SITE_URL", "DATABASE_URL")
        )
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="k8Jv2n5Qx7LmZpR4tW9yB3cF6hD1sG0aE7uI2oP5lK8jH3gF6dS9aQ1wE4rT7yU0",
        ALLOWED_HOSTS="rencontres.example.org,testserver",
        VAR_DIR=str(tmp_path / "var"),
        STATIC_ROOT=str(tmp_path / "static-not-collected"),
        **variables,
    )
    return env


def run_django(env, code):
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_hsts_is_not_preloaded_unless_the_operator_asks(tmp_path):
    env = production_settings(tmp_path, SITE_URL="https://rencontres.example.org")
    show = "from django.conf import settings; print(settings.SECURE_HSTS_PRELOAD)"
    assert run_django(env, show) == "False"
    assert run_django({**env, "SECURE_HSTS_PRELOAD": "1"}, show) == "True"


def test_cookies_are_https_only_unless_the_site_is_plain_http(tmp_path):
    show = (
        "from django.conf import settings; "
        "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)"
    )
    https = production_settings(tmp_path, SITE_URL="https://rencontres.example.org")
    assert run_django(https, show) == "True True"
    plain = production_settings(tmp_path, SITE_URL="http://localhost:8000")
    assert run_django(plain, show) == "False False"
    assert run_django({**plain, "SECURE_COOKIES": "1"}, show) == "True True"


def test_pages_work_with_debug_off_before_collectstatic(tmp_path):
    """The README's plain-HTTP trial: DEBUG=0, no TLS, no collectstatic yet."""
    env = production_settings(tmp_path, SITE_URL="http://localhost:8000", SECURE_SSL_REDIRECT="0")
    code = (
        "from django.core.management import call_command; "
        "call_command('migrate', verbosity=0); "
        "from django.test import Client; "
        "client = Client(); "
        "page = client.get('/en/accounts/login/'); "
        "css = client.get('/static/css/site.css'); "
        "form = client.post('/en/accounts/login/', "
        "{'login': 'nobody@example.org', 'password': 'wrong', "
        "'csrfmiddlewaretoken': page.cookies['csrftoken'].value}); "
        "print(page.status_code, css.status_code, form.status_code, "
        "'/static/css/site.css' in page.content.decode(), "
        "page.cookies['csrftoken']['secure'] == '')"
    )
    code = code.replace("Client()", "Client(enforce_csrf_checks=True)")
    assert run_django(env, code) == "200 200 200 True True"


def test_trusted_proxy_count_reaches_allauth_and_the_registration_form(tmp_path):
    show = (
        "from django.conf import settings; "
        "print(settings.TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_PROXY_COUNT)"
    )
    env = production_settings(tmp_path, SITE_URL="https://rencontres.example.org")
    env.pop("TRUSTED_PROXY_COUNT", None)
    assert run_django(env, show) == "0 0"
    assert run_django({**env, "TRUSTED_PROXY_COUNT": "1"}, show) == "1 1"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "The form could not be sent"), ("hu", "Az űrlapot nem sikerült elküldeni")],
)
def test_a_form_sent_without_its_security_token_gets_a_page_in_the_readers_language(
    language, words
):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(f"/{language}/accounts/login/", {})
    assert response.status_code == 403
    page = response.content.decode()
    assert words in page and "DEBUG" not in page and "CSRF" not in page
