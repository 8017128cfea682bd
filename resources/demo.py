"""Demo resources: after last year's national meeting in Saint-Étienne, its organisers
published the slides of two workshops (small generated PDFs).

The demo's Saint-Étienne meeting (events/demo.py) is still to come, so its previous
edition is made here (a copy one year earlier, through ``events.services.event_copy``)
unless a past national meeting in Saint-Étienne exists already. Running it again creates
nothing twice.
"""

import io
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from events import services as event_services
from events.models import Event, ProgrammeItem

from . import services
from .models import Resource

SOURCE_SLUG = "rencontres-nationales-saint-etienne"
PAST_SLUG = "rencontres-nationales-saint-etienne-precedente"
ORGANISER = "organiser@rencontres.example"


def slides_pdf(title: str, points: list[str]) -> bytes:
    """A small slide deck: a title page and one page of points."""
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(title)
    pdf.setFont("Helvetica-Bold", 26)
    pdf.drawString(60, height / 2, title)
    pdf.showPage()
    pdf.setFont("Helvetica", 18)
    for number, point in enumerate(points):
        pdf.drawString(60, height - 100 - 40 * number, f"• {point}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _past_meeting(organiser) -> Event | None:
    now = timezone.now()
    past = (
        Event.objects.filter(
            kind=Event.Kind.NATIONAL_MEETING, slug__startswith=SOURCE_SLUG, ends_at__lt=now
        )
        .exclude(status=Event.Status.DRAFT)
        .order_by("-starts_at")
        .first()
    )
    if past is not None:
        return past
    source = Event.objects.filter(slug=SOURCE_SLUG).first()
    if source is None:
        return None
    first_day = source.local_starts_at.date() - timedelta(days=364)
    past = event_services.event_copy(
        source=source, slug=PAST_SLUG, first_day=first_day, actor=organiser
    )
    year = first_day.year
    for code, _name in settings.LANGUAGES:
        title = getattr(past, f"title_{code}", "")
        if title:
            setattr(past, f"title_{code}", f"{title} ({year})")
    past.save()
    return event_services.event_publish(event=past, actor=organiser)


WORKSHOP_SLIDES = [
    (
        {
            "fr": "Supports\u00a0: mutualiser l’emploi",
            "en": "Slides: sharing jobs between organisations",
            "ro": "Prezentare: posturi comune între organizații",
            "hu": "Prezentáció: közös foglalkoztatás a szervezetek között",
            "pt": "Apresentação: partilhar empregos entre organizações",
            "it": "Slide: condividere il lavoro tra organizzazioni",
        },
        "Mutualiser l'emploi",
        ["Groupements d'employeurs", "Temps partagé entre structures", "Retours d'expérience"],
    ),
    (
        {
            "fr": "Supports\u00a0: lieux partagés et tiers-lieux",
            "en": "Slides: shared places and third places",
            "ro": "Prezentare: spații comune și locuri terțe",
            "hu": "Prezentáció: közösségi terek és harmadik helyek",
            "pt": "Apresentação: espaços partilhados e terceiros lugares",
            "it": "Slide: spazi condivisi e terzi luoghi",
        },
        "Lieux partagés et tiers-lieux",
        ["Gouvernance partagée", "Modèles économiques", "Coopérer avec le voisinage"],
    ),
]


@transaction.atomic
def load() -> None:
    organiser = get_user_model().objects.filter(email=ORGANISER).first()
    event = _past_meeting(organiser)
    if event is None or event.resources.exists():
        return
    workshops = list(
        event.programme_items.filter(kind=ProgrammeItem.Kind.WORKSHOP).order_by("starts_at", "pk")
    )[:2]
    for item, (titles, heading, points) in zip(workshops, WORKSHOP_SLIDES, strict=False):
        services.resource_add(
            event=event,
            item=item,
            kind=Resource.Kind.SLIDES,
            titles=titles,
            uploaded=SimpleUploadedFile(
                f"{heading}.pdf", slides_pdf(heading, points), content_type="application/pdf"
            ),
            actor=organiser,
        )
    services.resources_publish(event=event, actor=organiser)
