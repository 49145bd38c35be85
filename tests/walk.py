"""Walking the site as a user: every link and form a page shows, followed as that user (each POST
rolled back), to check that a button shown is a button that works."""

from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

from django.db import transaction
from django.urls import Resolver404, resolve, reverse


class Actions(HTMLParser):
    """The links and forms of a page: ("GET", url, {}) and (method, action, data)."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.found: list[tuple[str, str, dict, str]] = []
        self.form: dict | None = None
        self.select: str | None = None
        self.textarea: str | None = None
        self.label = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.found.append(("GET", urljoin(self.page_url, a["href"]), {}, ""))
        elif tag == "form":
            self.form = {"method": (a.get("method") or "get").upper(),
                         "action": urljoin(self.page_url, a.get("action") or self.page_url),
                         "data": {}, "buttons": []}  # fmt: skip
        elif self.form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"}:
                return  # unchecked: a person has not ticked it yet
            if kind == "submit":
                self.form["buttons"].append((a["name"], a.get("value", "")))
            else:
                self.form["data"].setdefault(a["name"], a.get("value", ""))
        elif tag == "select" and a.get("name"):
            self.select = a["name"]
            self.form["data"].setdefault(a["name"], "")
        elif tag == "option" and self.select:
            # the selected option, else the first one (what the browser sends)
            if "selected" in a or not self.form["data"][self.select]:
                self.form["data"][self.select] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self.textarea = a["name"]
            self.form["data"][a["name"]] = ""
        elif tag == "button" and a.get("name"):
            self.form["buttons"].append((a["name"], a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form" and self.form is not None:
            form, self.form = self.form, None
            for name, value in form["buttons"] or [(None, None)]:
                data = dict(form["data"])
                if name:
                    data[name] = value
                self.found.append((form["method"], form["action"], data, ""))


def walk_pages(client, user, *, keep, key, on_page=None) -> dict:
    """Start at the user's home page and «Мои дела»; `keep(url)` gives the path to follow or
    None, `key(method, path, data, match)` what makes two actions the same (None: skip it);
    `on_page(path, response)` sees every page (the seeds included) it reads.
    Returns {"visited": [(method, match, data)], "failed": ["… shown on …: 403"]}."""
    client.force_login(user)
    queue = []
    for seed in (reverse("home"), reverse("my_work")):
        parser = Actions(seed)
        response = client.get(seed)
        if on_page:
            on_page(seed, response)
        parser.feed(response.content.decode())
        queue += [(m, u, d, seed) for m, u, d, _ in parser.found]
    seen, visited, failed = set(), [], []
    while queue:
        method, url, data, source = queue.pop(0)
        path = keep(url)
        if path is None:
            continue
        if method == "GET" and data:
            path = path.split("?")[0] + "?" + urlencode(data)
        try:
            match = resolve(path.split("?")[0])
        except Resolver404:
            failed.append(f"{method} {path} shown on {source}: no such page")
            continue
        same = key(method, path, data, match)
        if same is None or same in seen:
            continue
        seen.add(same)
        if method == "POST":
            with transaction.atomic():
                response = client.post(path, data, HTTP_REFERER=source)
                transaction.set_rollback(True)
        else:
            response = client.get(path)
        visited.append((method, match, data))
        if response.status_code in {403, 404, 405} or response.status_code >= 500:
            failed.append(f"{method} {path} ({data}) shown on {source}: {response.status_code}")
            continue
        if method == "GET" and response.get("Content-Type", "").startswith("text/html"):
            if on_page:
                on_page(path, response)
            parser = Actions(path)
            parser.feed(response.content.decode())
            queue += [(m, u, d, path) for m, u, d, _ in parser.found]
    return {"visited": visited, "failed": failed}


def site_path(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.netloc not in {"", "testserver"} or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(SKIP_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


# What each role must at least reach, so the walk cannot pass by reaching nothing.
ROLE_REACHES = {
    "specialist": {("GET", "cases:counter"), ("GET", "cases:application"), ("GET", "cases:interagency"),
                   ("GET", "reconciliation:item"), ("GET", "cases:requests"), ("GET", "cases:journal"),
                   ("GET", "assignment"), ("POST", "assignment_done")},
    "chief": {("GET", "cases:transfer"), ("POST", "cases:transfer_decide"), ("GET", "access_log"),
              ("GET", "reconciliation:worklist"), ("GET", "archive:acts"), ("GET", "assignments"),
              ("GET", "assignment_new"), ("POST", "assignment_new"), ("GET", "assignment"),
              ("POST", "assignment_reassign"), ("POST", "assignment_cancel")},
    "director": {("GET", "cases:journal"), ("GET", "archive:acts"), ("GET", "access_log"),
                 ("GET", "assignments"), ("GET", "assignment")},
    "archivist": {("GET", "archive:list"), ("GET", "archive:acts")},
    "reg_admin": {("GET", "services:list")},
}  # fmt: skip


SKIP_PREFIXES = ("/logout", "/login", "/admin/", "/static/", "/healthz", "/password")
