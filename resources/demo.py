"""Demo resources: after last year's national meeting in Saint-Étienne, its organisers
published the slides of two workshops (small generated PDFs).

The demo's Saint-Étienne meeting (events/demo.py) is still to come: its previous edition
is ``events.demo.past_national_meeting`` (a copy one year earlier, shared with the
feedback demo). Running it again creates nothing twice.
"""

import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from events.demo import ORGANISER, past_national_meeting
from events.models import ProgrammeItem

from . import services
from .models import Resource


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


WORKSHOP_SLIDES = [
    (
        {
            "fr": "Supports\u00a0: mutualiser l’emploi",
            "en": "Slides: sharing jobs between organisations",
            "ro": "Prezentare: locuri de muncă împărțite între organizații",
            "hu": "Prezentáció: közös foglalkoztatás a szervezetek között",
            "pt": "Apresentação: partilhar postos de trabalho entre organizações",
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
    event = past_national_meeting()
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
