"""What a received file is, read from its content (never from its name or the type the
browser announced), and its thumbnail.

Accepted: PDF; JPEG, PNG and WebP images (opened and checked by Pillow); office documents
(pptx, docx, xlsx as Office Open XML zip containers without macros; odp, odt, ods as
OpenDocument zip containers); plain UTF-8 text that is no markup. Everything else (SVG,
HTML, scripts, executables, archives…) is refused with a message in the user's language.
"""

import io
import re
import uuid
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from PIL import Image

#: Default largest file accepted (``RESOURCES_MAX_UPLOAD_BYTES`` in the settings).
DEFAULT_MAX_BYTES = 25 * 1024 * 1024
#: Thumbnails fit in this square (pixels).
THUMBNAIL_SIZE = (480, 480)
#: Images larger than this (pixels) are refused: a small file could decompress to gigabytes.
MAX_IMAGE_PIXELS = 60_000_000

IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
OOXML = {
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
OPENDOCUMENT = {
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
#: Text that a browser could take for a page, a drawing or a script is not "plain text".
MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|svg|\?xml|iframe|object|embed|meta|a\s|img|style)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


def max_bytes() -> int:
    return getattr(settings, "RESOURCES_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES)


def refused_type() -> ValidationError:
    return ValidationError(
        _(
            "This type of file is not accepted. Send a PDF, an image (JPEG, PNG or WebP), an "
            "office document (pptx, docx, xlsx, odp, odt, ods) or plain text. Web pages, SVG "
            "drawings and programs are refused."
        ),
        code="file_type",
    )


def too_many_pixels() -> ValidationError:
    return ValidationError(
        _(
            "This image has too many pixels: images up to %(limit)s million pixels are "
            "accepted. Make it smaller and send it again."
        )
        % {"limit": MAX_IMAGE_PIXELS // 1_000_000},
        code="image_pixels",
    )


def _image(data: bytes) -> FileType | None:
    """The image's type, None if the data is no image accepted; ``ValidationError`` if it
    is one with too many pixels."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = IMAGE_FORMATS.get(image.format or "")
                if kind is None:
                    return None
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise too_many_pixels()
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels() from None
    except (OSError, SyntaxError, ValueError, Warning):
        return None
    return FileType(*kind)


def _zip_container(data: bytes) -> FileType | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    with archive:
        names = archive.namelist()
        if "mimetype" in names:  # OpenDocument: its type is the first member, stored
            info = archive.getinfo("mimetype")
            if info.file_size > 100:
                return None
            declared = archive.read("mimetype").decode("ascii", "replace").strip()
            extension = OPENDOCUMENT.get(declared)
            if extension and "content.xml" in names:
                return FileType(declared, extension)
            return None
        if "[Content_Types].xml" in names:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > 1_000_000:
                return None
            types = archive.read("[Content_Types].xml").lower()
            if b"macroenabled" in types or any(name.endswith(".bin") for name in names):
                return None  # macros (pptm, docm, xlsm) and embedded programs
            for folder, (content_type, extension) in OOXML.items():
                if any(name.startswith(folder) for name in names):
                    return FileType(content_type, extension)
    return None


def _text(data: bytes) -> FileType | None:
    if b"\x00" in data or MARKUP.search(data):
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return FileType("text/plain", "txt")


def inspect(uploaded) -> FileType:
    """The type of an uploaded file, read from its content; ``ValidationError`` if it is
    too large or of a type that is not accepted."""
    limit = max_bytes()
    if uploaded.size > limit:
        raise ValidationError(
            _("This file is too large (%(size)s): files up to %(limit)s are accepted.")
            % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)},
            code="file_size",
        )
    if uploaded.size == 0:
        raise ValidationError(_("This file is empty."), code="file_empty")
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    if data.startswith(b"%PDF-"):
        kind = FileType("application/pdf", "pdf")
    elif data.startswith(b"PK\x03\x04"):
        kind = _zip_container(data)
    else:
        kind = _image(data) or _text(data)
    if kind is None:
        raise refused_type()
    return kind


def stored_name(kind: FileType) -> str:
    """A random name with the extension of the content's type (never the sender's)."""
    return f"{uuid.uuid4().hex[:12]}.{kind.extension}"


def download_name(original: str, kind: FileType) -> str:
    """The sender's file name, cleaned, with the extension of the content's type."""
    stem = get_valid_filename(PurePath(original or "").stem or "resource") or "resource"
    return f"{stem[:100]}.{kind.extension}"


def thumbnail(uploaded) -> ContentFile:
    """A JPEG of the image, at most ``THUMBNAIL_SIZE``, turned upright as it was shot."""
    from PIL import ImageOps

    uploaded.seek(0)
    with Image.open(uploaded) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail(THUMBNAIL_SIZE)
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, "white")
            converted = image.convert("RGBA")
            background.paste(converted, mask=converted.getchannel("A"))
            image = background
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=82, optimize=True)
    uploaded.seek(0)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex[:12]}-thumbnail.jpg")
