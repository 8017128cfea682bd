"""The widget partner sites frame: only its pages may be framed, by any site; no cookie;
links open the full page in a new tab; what a user typed is escaped."""

import re

from django.test import Client
from django.urls import reverse
from django.utils import translation

from events.models import Organisation

from ..factories import EventFactory, OrganisationFactory, UserFactory, at


def _url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"widget:{name}", kwargs=kwargs or None)


def _frame_ancestors(response) -> str:
    policy = response["Content-Security-Policy"]
    return re.search(r"frame-ancestors ([^;]+)", policy).group(1).strip()


def test_the_network_widget_lists_upcoming_events_in_portuguese(client, meeting, draft):
    past = EventFactory(slug="past", title_en="Long ago", starts_at=at(-30))
    response = client.get(_url("events", "pt"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Encontro de Saint-Étienne" in html
    assert 'lang="pt"' in html
    assert "Unannounced draft" not in html and past.title_en not in html
    link = re.search(r'<a href="([^"]+saint-etienne/)" target="_blank" rel="noopener">', html)
    assert link and link.group(1) == "http://testserver/pt/events/saint-etienne/"
    assert "Próximos eventos" in html


def test_only_the_widget_may_be_framed_by_any_site_and_it_sets_no_cookie(client, meeting):
    for response in (
        client.get(_url("events")),
        client.get(_url("organisation", slug=meeting.host.slug)),
        client.get(_url("event", slug=meeting.slug)),
    ):
        assert response.status_code == 200
        assert "X-Frame-Options" not in response
        assert _frame_ancestors(response) == "*"
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert not response.cookies
        assert "csrfmiddlewaretoken" not in response.content.decode()
    # every other page still refuses to be framed
    page = client.get(reverse("events:detail", kwargs={"slug": meeting.slug}))
    assert page["X-Frame-Options"] == "DENY"
    assert _frame_ancestors(page) == "'none'"
    api = client.get(reverse("api:events"))
    assert api["X-Frame-Options"] == "DENY"


def test_a_logged_in_visitor_gets_the_same_widget_and_no_cookie(meeting, draft):
    organiser = UserFactory()
    draft.organisers.add(organiser)
    browser = Client()
    browser.force_login(organiser)
    response = browser.get(_url("events"))
    assert "Unannounced draft" not in response.content.decode()
    assert not response.cookies
    assert browser.get(_url("event", slug=draft.slug)).status_code == 404


def test_one_organisations_upcoming_events(client, meeting):
    other = EventFactory(slug="elsewhere", title_en="Somebody else's")
    co_organised = EventFactory(slug="together", title_en="Together", starts_at=at(40))
    co_organised.co_organisers.add(meeting.host)
    html = client.get(_url("organisation", slug=meeting.host.slug)).content.decode()
    assert "Saint-Étienne meeting" in html and "Together" in html
    assert other.title_en not in html
    assert html.index("Saint-Étienne meeting") < html.index("Together")
    assert client.get(_url("organisation", slug="nobody")).status_code == 404
    limited = client.get(_url("organisation", slug=meeting.host.slug), {"limit": "1"})
    assert "Together" not in limited.content.decode()


def test_an_organisation_not_listed_has_no_widget_and_is_not_offered(client, meeting):
    hidden = OrganisationFactory(slug="discreet", name="Discreet Collective", listed=False)
    EventFactory(slug="discreet-event", title_en="Discreet event", host=hidden, starts_at=at(5))
    assert client.get(_url("organisation", slug="discreet")).status_code == 404
    # the consent withdrawn: the widget goes too
    assert client.get(_url("organisation", slug=meeting.host.slug)).status_code == 200
    Organisation.objects.filter(pk=meeting.host.pk).update(listed=False)
    assert client.get(_url("organisation", slug=meeting.host.slug)).status_code == 404
    # the network's list still shows their public events
    assert "Discreet event" in client.get(_url("events")).content.decode()
    client.force_login(UserFactory())
    embed = reverse("api_tokens:embed")
    page = client.get(embed).content.decode()
    assert "Discreet Collective" not in page and "Les Rencontres" not in page
    refused = client.get(
        embed, {"what": "organisation", "organisation": "discreet", "language": "en"}
    )
    assert "/widget/organisations/discreet/" not in refused.content.decode()


def test_the_embedding_page_offers_past_events_and_says_an_invalid_choice_once(
    client, meeting, draft
):
    EventFactory(slug="last-year", title_en="Last year's meeting", starts_at=at(-60))
    client.force_login(UserFactory())
    url = reverse("api_tokens:embed")
    page = client.get(url).content.decode()
    assert 'value="last-year"' in page and 'value="saint-etienne"' in page
    assert f'value="{draft.slug}"' not in page
    past = client.get(url, {"what": "event", "event": "last-year", "language": "en"})
    assert "http://testserver/en/widget/events/last-year/" in past.content.decode()
    assert client.get(_url("event", slug="last-year")).status_code == 200
    for field, value in (("event", "no-such-event"), ("organisation", "nobody")):
        html = client.get(url, {"what": field, field: value, "language": "en"}).content.decode()
        assert html.count("Select a valid choice") == 1
        assert "Choose one." not in html
    missing = client.get(url, {"what": "event", "language": "en"}).content.decode()
    assert missing.count("Choose one.") == 1


def test_one_events_programme(client, meeting, draft):
    html = client.get(_url("event", "pt", slug=meeting.slug)).content.decode()
    assert "Mapear os atores" in html and "Salle B" in html and "Maria Souza" in html
    assert "Restam 20 lugares" in html
    assert 'target="_blank" rel="noopener"' in html
    assert client.get(_url("event", slug=draft.slug)).status_code == 404


def test_hostile_text_is_escaped_in_the_widget(client, db):
    hostile = '<img src=x onerror="alert(1)">'
    host = OrganisationFactory(slug="hostile-host", name=hostile, listed=True)
    EventFactory(slug="hostile", title_en=hostile, host=host, starts_at=at(3))
    for url in (
        _url("events"),
        _url("organisation", slug="hostile-host"),
        _url("event", slug="hostile"),
    ):
        html = client.get(url).content.decode()
        assert hostile not in html
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_the_embedding_help_page_gives_the_snippet(client, meeting):
    client.force_login(UserFactory())
    url = reverse("api_tokens:embed")
    assert client.get(url).status_code == 200
    response = client.get(url, {"what": "event", "event": meeting.slug, "language": "pt"})
    html = response.content.decode()
    assert (
        '&lt;div data-rencontres-widget="http://testserver/pt/widget/events/'
        'saint-etienne/"&gt;&lt;/div&gt;' in html
    )
    assert "http://testserver/static/api/embed.js" in html
    missing = client.get(url, {"what": "organisation", "language": "pt"})
    assert "Choose one." in missing.content.decode()
    # organisations offered: those with public events, not every organisation's name
    OrganisationFactory(name="Quiet Partner")
    page = client.get(url).content.decode()
    assert "Les Rencontres" in page and "Quiet Partner" not in page
    host = client.get(
        url, {"what": "organisation", "organisation": "les-rencontres", "language": "en"}
    )
    assert "http://testserver/en/widget/organisations/les-rencontres/" in host.content.decode()


def test_an_organisations_widget_heading_takes_the_french_colon(client, meeting):
    html = client.get(_url("organisation", "fr", slug=meeting.host.slug)).content.decode()
    assert f"<h1><bdi>{meeting.host.name}</bdi>\u00a0: " in html
