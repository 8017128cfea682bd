"""Files as a browser uploads them, and the addresses of the resources pages."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def pdf_bytes(text: str = "Slides") -> bytes:
    from resources.demo import slides_pdf

    return slides_pdf(text, ["One point", "Another point"])


def pdf_upload(name: str = "slides.pdf", text: str = "Slides") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def png_upload(name: str = "photo.png", size=(1600, 900)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def office_upload(name: str = "report.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/msword")


def setup_url(event, language="en") -> str:
    return f"/{language}/workspace/{event.slug}/setup/resources/"


def page_url(event, language="en") -> str:
    return f"/{language}/events/{event.slug}/"
