"""Static files storage for ``DEBUG=0``: whitenoise's compressed, hashed files once
``collectstatic`` has run, and the files under their own names until then.

whitenoise's manifest storage raises an error for every ``{% static %}`` while there is no
manifest, so a first trial with ``DEBUG=0`` answered 500 on every page until someone ran
``collectstatic``. Without a manifest this storage gives each file its plain URL (served
from the source folders: ``WHITENOISE_USE_FINDERS`` is on in that case, see
config/settings.py) and says once in the log how to get the cache-friendly names.
"""

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    _warned = False

    def stored_name(self, name):
        if not self.exists(self.manifest_name):
            if not StaticFilesStorage._warned:
                StaticFilesStorage._warned = True
                logger.warning(
                    "Static files have not been collected (no %s in STATIC_ROOT): they are "
                    "served from the source folders under their own names. Run "
                    "`python manage.py collectstatic` and restart for hashed, cacheable names.",
                    self.manifest_name,
                )
            return name
        return super().stored_name(name)
