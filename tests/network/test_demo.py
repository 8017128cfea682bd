"""The demo lists the network's six partners with their places and texts in six languages."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from events.models import Organisation

pytestmark = pytest.mark.django_db

PARTNERS = {
    "cries",
    "fekete-sereg",
    "largo-residencias",
    "solidarius-italia",
    "ripess-europe",
    "ufisc",
}


def test_the_demo_shows_the_six_partners_on_the_map(client, capsys):
    call_command("loaddemo")
    capsys.readouterr()
    listed = Organisation.objects.filter(listed=True)
    assert set(listed.values_list("slug", flat=True)) == PARTNERS
    for organisation in listed:
        assert organisation.latitude is not None and organisation.longitude is not None
        for code in ("en", "fr", "ro", "hu", "pt", "it"):
            assert getattr(organisation, f"description_{code}")
            assert getattr(organisation, f"field_of_work_{code}")
    with translation.override("pt"):
        data = client.get(reverse("network:map_data")).json()
        page = client.get(reverse("network:organisation", kwargs={"slug": "cries"}))
    assert len(data["features"]) == 6
    # CRIES hosted the Timișoara training and sent people to others
    assert "Eventos acolhidos" in page.content.decode()
    assert page.context["record"].hosted >= 1
    assert page.context["record"].people >= 1
