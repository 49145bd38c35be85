"""Static files as production serves them (issue 21, item 3): after `collectstatic` with the
manifest storage (STATIC_MANIFEST=1, as the Dockerfile builds), every file has a hashed name,
is cached by the browser for good (a changed file gets a new name), and goes out compressed."""

from __future__ import annotations

import gzip
from pathlib import Path

import django_htmx
import pytest
from django.conf import settings
from django.core.management import call_command
from django.templatetags.static import static
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

MANIFEST = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


# Our files and htmx's: every compressed copy of the admin's thousand files would take minutes.
SOURCES = {
    "STATICFILES_FINDERS": ["django.contrib.staticfiles.finders.FileSystemFinder"],
    "STATICFILES_DIRS": [
        settings.BASE_DIR / "static",
        Path(django_htmx.__file__).parent / "static",
    ],
}


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    # changing STORAGES makes Django build the storage anew
    with override_settings(STATIC_ROOT=root, STORAGES=MANIFEST, DEBUG=False, **SOURCES):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


def _serve(path: str, **headers):
    middleware = WhiteNoiseMiddleware(lambda request: pytest.fail(f"not a static file: {path}"))
    return middleware(RequestFactory().get(path, **headers))


def test_hashed_names_cached_for_good_and_compressed(collected):
    url = static("css/onewindow.css")
    assert url != "/static/css/onewindow.css" and url.startswith("/static/css/onewindow.")  # hashed
    response = _serve(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    cache = response.headers["Cache-Control"]
    assert "max-age=315360000" in cache and "immutable" in cache
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Vary"] == "Accept-Encoding"
    body = gzip.decompress(b"".join(response.streaming_content))
    assert body == (collected / url.removeprefix("/static/")).read_bytes()


def test_unhashed_name_is_not_cached_for_good(collected):
    """The unhashed copy may change with the next release: browsers ask again."""
    response = _serve("/static/css/onewindow.css")
    assert response.status_code == 200
    assert "immutable" not in response.headers["Cache-Control"]


def test_every_page_links_hashed_assets(collected, client, specialist):
    client.force_login(specialist)
    with override_settings(STATIC_ROOT=collected, STORAGES=MANIFEST, DEBUG=False, **SOURCES):
        html = client.get("/cases/").content.decode()
    assert static("css/onewindow.css") in html
    assert "/static/css/onewindow.css" not in html
