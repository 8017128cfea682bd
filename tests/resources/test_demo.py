"""The demo: after last year's meeting in Saint-Étienne, its organisers published the
slides of two workshops, shown on its public page."""

import pytest
from django.core.management import call_command

from events.demo import PAST_MEETING_SLUG as PAST_SLUG
from events.models import Event
from resources.models import Resource

pytestmark = pytest.mark.django_db


def test_the_past_saint_etienne_meeting_shows_the_slides_of_two_workshops(client):
    call_command("loaddemo")
    event = Event.objects.get(slug=PAST_SLUG)
    slides = list(Resource.objects.filter(event=event).select_related("item"))
    assert len(slides) == 2
    assert all(resource.published_at for resource in slides)
    assert {resource.item.kind for resource in slides} == {"workshop"}
    assert len({resource.item_id for resource in slides}) == 2

    html = client.get(f"/fr/events/{event.slug}/").content.decode()
    assert "Supports\u00a0: mutualiser l’emploi" in html
    assert "Supports\u00a0: lieux partagés et tiers-lieux" in html
    response = client.get(f"/fr/resources/{slides[0].pk}/file/")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")

    call_command("loaddemo")  # again: nothing twice
    assert Resource.objects.filter(event=event).count() == 2
    assert Event.objects.filter(slug__startswith=PAST_SLUG).count() == 1
