# Rencontres: one image for the web server, the Celery worker and Celery beat.
# Used by docker-compose.yml; on its own: docker build -t rencontres .
FROM python:3.12-slim

# The code runs from /app, where templates, locale/ and static files sit beside it.
# gunicorn reads WEB_CONCURRENCY (worker processes) and FORWARDED_ALLOW_IPS (who may set
# X-Forwarded-Proto: only the reverse proxy reaches the container's port, see
# docker-compose.yml).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    VAR_DIR=/app/var \
    MOBILITY_CITY_INDEX=/app/share/cities.sqlite3 \
    STATIC_ROOT=/app/staticfiles \
    WEB_CONCURRENCY=3 \
    FORWARDED_ALLOW_IPS="*"

WORKDIR /app

RUN groupadd --system --gid 1000 rencontres \
    && useradd --system --uid 1000 --gid rencontres --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin rencontres

# Dependencies first, from pyproject.toml alone, so that a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" >/tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
# Compiled translations (.mo) are committed, so no gettext is needed here. The offline
# index of world cities (mobility/cities.py) is built into the image, not on a first lookup.
RUN pip install --no-deps . \
    && SECRET_KEY=collectstatic-at-build-time-only VAR_DIR=/tmp/build-var \
        python manage.py collectstatic --no-input -v 0 \
    && rm -rf /tmp/build-var \
    && python -m mobility.cities build /app/share/cities.sqlite3 \
    && mkdir -p /app/var \
    && chown rencontres:rencontres /app/var

USER 1000:1000
EXPOSE 8000

# /healthz answers 200 when the database and the broker answer. Django checks the Host
# header, so the check presents the first of ALLOWED_HOSTS.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; h = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.'); h = h if h not in ('', '*') else 'localhost'; r.urlopen(r.Request('http://127.0.0.1:8000/healthz', headers={'Host': h}), timeout=8)"]

# config/gunicorn.py: the access log shows private links without their secret. A request
# may take up to 120 s (a 25 MB resource checked and stored; see deploy/ for the proxy).
CMD ["gunicorn", "config.wsgi", "--config", "config/gunicorn.py", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--timeout", "120"]
