"""A person's browser, as far as the benchmark needs one: cookies, forms, and signing in.

The app runs as in production behind a TLS-terminating proxy (``SECURE_PROXY_SSL_HEADER=1``): the
benchmark speaks plain HTTP to gunicorn on the loopback and sends ``X-Forwarded-Proto: https``
as the proxy would, so HTTPS redirects, secure cookies and the CSRF origin check all run as they
do in production. Cookies are kept by name (the ``Secure`` flag is the proxy's business).
"""

import base64
import http.client
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit


@dataclass
class Answer:
    status: int
    location: str
    body: bytes
    seconds: float


class _FormParser(HTMLParser):
    """The fields of each form sent by POST: every input's name and value (checkboxes and radios
    only when checked), and each textarea's text, with the form's action."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._fields: dict[str, str] | None = None
        self._textarea = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form" and values.get("method", "").lower() == "post":
            self._fields = {}
            self.forms.append((values.get("action", ""), self._fields))
        elif self._fields is not None and tag == "input" and values.get("name"):
            kind = values.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in values:
                return
            if kind not in ("submit", "button"):
                self._fields[values["name"]] = values.get("value", "")
        elif self._fields is not None and tag == "textarea" and values.get("name"):
            self._textarea = values["name"]
            self._fields[self._textarea] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea and self._fields is not None:
            self._fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = ""
        elif tag == "form":
            self._fields = None


def form_fields(body: bytes, path: str = "") -> dict[str, str]:
    """The fields of the page's form that posts to ``path`` (or to the page itself), else of its
    largest form: the header's sign-out button is a form too."""
    parser = _FormParser()
    parser.feed(body.decode("utf-8", "replace"))
    own = [fields for action, fields in parser.forms if action in ("", path) or (path and action.endswith(path))]
    candidates = own or [fields for _, fields in parser.forms]
    return max(candidates, key=len) if candidates else {}


@dataclass
class Browser:
    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 120.0

    @property
    def origin(self) -> str:
        return f"https://{self.host}:{self.port}"

    def headers(self) -> dict[str, str]:
        """What every request carries: the proxy's header, and this person's cookies."""
        headers = {
            "Host": f"{self.host}:{self.port}",
            "X-Forwarded-Proto": "https",
            "User-Agent": "graduated-benchmark",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return headers

    def request(self, method: str, path: str, data: dict[str, str] | None = None) -> Answer:
        headers = self.headers()
        body = None
        if data is not None:
            body = urlencode(data, doseq=True).encode()
            headers.update({
                "Content-Type": "application/x-www-form-urlencoded", "Origin": self.origin,
                "Referer": self.origin + path,
            })  # fmt: skip
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        began = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - began
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        location = response.headers.get("Location", "")
        return Answer(response.status, urlsplit(location).path if location else "", content, seconds)

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def submit(self, path: str, changes: dict[str, str]) -> Answer:
        """Open the page with a form, fill in ``changes`` over what it holds, send it."""
        page = self.get(path)
        if page.status != 200:
            return page
        return self.request("POST", path, {**form_fields(page.body, path), **changes})


def totp_code(secret: str, last_used_step: int) -> str:
    """The code the person's authenticator app shows now. A code is accepted once (django-otp keeps
    the last time step used): when this step's was used already, the next step's, which the check
    allows for clock drift, or wait for it."""
    from django_otp.oath import TOTP

    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    step = max(int(time.time()) // 30, last_used_step + 1)
    while step > int(time.time()) // 30 + 1:
        time.sleep(1)
    totp = TOTP(key, step=30)
    totp.time = step * 30
    return f"{totp.token():06d}"


def sign_in(browser: Browser, email: str, password: str, secret: str, last_used_step: int) -> None:
    """Through the pages, as a person would: e-mail address and password, then the app's code."""
    answer = browser.submit("/accounts/login/", {"username": email, "password": password})
    if answer.status != 302 or "login" in answer.location:
        raise RuntimeError(f"Signing in as {email}: the password step answered {answer.status} {answer.location}")
    answer = browser.submit("/accounts/second-factor/", {"code": totp_code(secret, last_used_step)})
    if answer.status != 302:
        raise RuntimeError(f"Signing in as {email}: the code step answered {answer.status}")
