"""gunicorn's configuration for the shipped web command (Dockerfile, docker-compose.yml).

``gunicorn config.wsgi -c config/gunicorn.py …``: the access log goes through
``RedactingLogger``, which writes the request line, path and referrer of each request
without the secret of a private link (``config.privacy.redact_secrets``).
"""

from gunicorn.glogging import Logger

from config.privacy import redact_secrets


class RedactingLogger(Logger):
    """gunicorn's own logger, with secrets of private links taken out of the access log."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact_secrets(value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }


logger_class = RedactingLogger
