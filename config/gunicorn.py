"""gunicorn's configuration for the shipped web command (Dockerfile, docker-compose.yml).

``gunicorn config.wsgi -c config/gunicorn.py …``: gunicorn's access log (request line,
path, referrer) and its error log ("Error handling request /en/r/…") go through the same
filter as Django's log lines, so they show private links without their secret
(``config.privacy.redact_secrets``).
"""

from gunicorn.glogging import Logger

from config.privacy import RedactSecretsFilter

REDACT_SECRETS = RedactSecretsFilter()


class RedactingLogger(Logger):
    """gunicorn's own logger, with secrets of private links taken out of every line."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            log.addFilter(REDACT_SECRETS)  # once: a reload sets up the same filter again


logger_class = RedactingLogger
