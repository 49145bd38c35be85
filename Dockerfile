# Production image: gunicorn for the web, the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=onewindow.settings VAR_DIR=/var/lib/onewindow \
    STATIC_ROOT=/app/staticfiles STATIC_MANIFEST=1

# WeasyPrint's Pango and the fonts of official documents (no fonts are fetched at run time).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 fontconfig fonts-liberation2 fonts-paratype fonts-dejavu-core \
      postgresql-client curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
RUN SECRET_KEY=build-only python manage.py collectstatic --no-input -v 0 \
 && useradd --system --home /var/lib/onewindow onewindow \
 && mkdir -p /var/lib/onewindow && chown onewindow /var/lib/onewindow
USER onewindow
EXPOSE 8000
CMD ["gunicorn", "onewindow.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120"]
