"""Browser tests drive Debian's Chromium (installed by `make test`); Playwright cannot download
its own browsers here."""

import shutil
from pathlib import Path

import pytest

from tests.pdf_utils import pdf_text

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ru-RU", "timezone_id": "Europe/Volgograd"}


def login(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def open_section(page, name: str) -> None:
    """Click a section in the navigation and wait for the new page and its scripts.

    The specialist's home is the counter, so clicking «Приём» there reloads the same URL:
    without waiting for the navigation a search typed at once lands on the old page."""
    with page.expect_navigation():
        page.get_by_role("navigation", name="Разделы").get_by_role("link", name=name).click()
    page.wait_for_load_state()


def download(page, link_name: str) -> str:
    with page.expect_download() as download_info:
        page.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; a.download = 'n.pdf'; document.body.appendChild(a); a.click(); }",
            page.get_by_role("link", name=link_name).get_attribute("href"),
        )
    return pdf_text(Path(download_info.value.path()).read_bytes())
