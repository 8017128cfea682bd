"""The network's identity on the PDFs every app writes (sign-in sheets, badges,
certificates, letters): its logo and name at the top of each page, its name and contact
at the foot. ReportLab is imported only when a PDF is made."""

import io

from .models import NetworkIdentity


def logo_reader(network: NetworkIdentity):
    """The network's logo for ReportLab (an ``ImageReader``), or None."""
    if not network.logo:
        return None
    from reportlab.lib.utils import ImageReader

    try:
        with network.logo.open("rb") as handle:
            return ImageReader(io.BytesIO(handle.read()))
    except (OSError, ValueError):
        return None


def contact_line(network: NetworkIdentity) -> str:
    """ "Name · address · email · website" on one line (the address's lines joined)."""
    address = ", ".join(network.address_lines)
    parts = [network.display_name, address, network.email, network.website]
    return " · ".join(part for part in parts if part)


def document_info(network: NetworkIdentity, title: str) -> dict[str, str]:
    """A PDF's properties (what a reader's "Document properties" shows), for ReportLab's
    document templates: its title, and the network as author and creator, where ReportLab
    would write "untitled", "anonymous" and "unspecified" in English."""
    return {
        "title": title,
        "author": network.display_name,
        "subject": title,
        "creator": network.display_name,
    }


def set_document_info(canvas, network: NetworkIdentity, title: str) -> None:
    """The same properties on a ReportLab canvas drawn by hand (badges)."""
    info = document_info(network, title)
    canvas.setTitle(info["title"])
    canvas.setAuthor(info["author"])
    canvas.setSubject(info["subject"])
    canvas.setCreator(info["creator"])


def draw_logo(canvas, logo, *, x: float, y: float, width: float, height: float) -> None:
    """The logo fitted in the box whose lower left corner is (x, y), right-aligned."""
    image_width, image_height = logo.getSize()
    scale = min(width / image_width, height / image_height)
    drawn_width = image_width * scale
    canvas.drawImage(
        logo, x + width - drawn_width, y, drawn_width, image_height * scale, mask="auto"
    )


def page_decorator(network: NetworkIdentity, font: str, *, logo: bool = True):
    """An ``onPage`` function for ReportLab's document templates: the logo in the top
    right corner (if ``logo``) and the network's name and contact at the foot."""
    from reportlab.lib.units import mm

    reader = logo_reader(network) if logo else None
    line = contact_line(network)

    def decorate(canvas, document) -> None:
        canvas.saveState()
        width, height = document.pagesize
        if reader is not None:
            draw_logo(
                canvas,
                reader,
                x=width - 15 * mm - 40 * mm,
                y=height - 14 * mm,
                width=40 * mm,
                height=10 * mm,
            )
        canvas.setFont(font, 7.5)
        canvas.setFillGray(0.3)
        canvas.drawCentredString(width / 2, 8 * mm, line[:160])
        canvas.restoreState()

    return decorate
