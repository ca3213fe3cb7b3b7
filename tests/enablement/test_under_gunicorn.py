"""Error answers as gunicorn serves them: what the Django test client cannot show.

The test client hands an exception raised while Django handles an error back to the test; a
real server answers it with its own bare "Internal Server Error" page, without our layout or
security headers. These tests start gunicorn (one worker, debug off) on a free port and talk
HTTP to it: against a migrated SQLite file, and against a PostgreSQL address where nothing
listens (the database is down).
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest

from tests.hardening import assert_security_headers

ROOT = Path(__file__).resolve().parents[2]
CSRF_TOKEN = "tierwisegunicorntestcsrftoken001"  # 32 characters: an unmasked CSRF secret
SESSION_KEY = "tierwisegunicorntestsessionkey01"  # a well-formed key, so it is looked up


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Answer:
    status_code: int
    headers: Message
    text: str


class Server:
    """gunicorn serving the app, with the given database."""

    def __init__(self, database_url: str, workdir: Path) -> None:
        self.port = free_port()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        self.env.pop("REDIS_URL", None)
        self.env.update(
            {
                "DJANGO_DEBUG": "0",
                "DJANGO_TESTING": "1",  # static files without collectstatic
                "DJANGO_SECURE_SSL_REDIRECT": "0",
                "DJANGO_SECRET_KEY": "gunicorn-test-secret-key-not-for-production-0123456789",
                "DATABASE_URL": database_url,
            }
        )
        # An empty config file: the repository's gunicorn.conf.py warms the router and the
        # scorer in every worker, which these tests do not need.
        config = workdir / "gunicorn-test.conf.py"
        config.write_text("")
        self.log = workdir / f"gunicorn-{self.port}.log"
        self.command = [
            sys.executable,
            "-m",
            "gunicorn",
            "enablement.wsgi",
            "--config",
            str(config),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "1",
        ]
        self.process: subprocess.Popen | None = None

    def manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> Server:
        with open(self.log, "w", encoding="utf-8") as log:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=log, stderr=log
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.request("GET", "/accounts/login/")
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(self.log.read_text()) from None
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict | None = None
    ) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body or None, headers=headers or {})
            response = connection.getresponse()
            return Answer(
                response.status, response.headers, response.read().decode("utf-8", "replace")
            )
        finally:
            connection.close()


@pytest.fixture(scope="module")
def sqlite_server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("gunicorn-sqlite")
    server = Server(f"sqlite:///{workdir / 'db.sqlite3'}", workdir)
    server.manage("migrate", "--noinput")
    yield server.start()
    server.stop()


@pytest.fixture(scope="module")
def database_down_server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("gunicorn-db-down")
    server = Server(f"postgres://postgres@127.0.0.1:{free_port()}/tierwise", workdir)
    yield server.start()
    server.stop()


def _form_headers(charset: str, *, htmx: bool = False, session: bool = False) -> dict:
    cookies = [f"csrftoken={CSRF_TOKEN}"]
    if session:
        cookies.append(f"sessionid={SESSION_KEY}")
    headers = {
        "Content-Type": f"application/x-www-form-urlencoded; charset={charset}",
        "Cookie": "; ".join(cookies),
        "X-CSRFToken": CSRF_TOKEN,
    }
    if htmx:
        headers["HX-Request"] = "true"
    return headers


# --- A form in another character set ------------------------------------------------------------


@pytest.mark.parametrize("charset", ["utf-16", "latin-1", "utf-32"])
def test_a_form_posted_in_another_charset_gets_the_400_page(sqlite_server, charset):
    """Forms are read as UTF-8 only: a client that declares another character set gets our
    400 page with a message saying so, in the layout, with every security header."""
    body = f"username=someone&password=x&csrfmiddlewaretoken={CSRF_TOKEN}".encode()
    answer = sqlite_server.request("POST", "/accounts/login/", body, _form_headers(charset))
    assert answer.status_code == 400, answer.text
    assert "<title>Bad request · Tierwise</title>" in answer.text
    assert "UTF-8" in answer.text
    assert_security_headers(answer)


def test_a_form_in_another_charset_during_htmx_gets_the_one_line_alert(sqlite_server):
    body = f"text=route+this&csrfmiddlewaretoken={CSRF_TOKEN}".encode()
    answer = sqlite_server.request(
        "POST", "/simulator/route/", body, _form_headers("utf-16", htmx=True, session=True)
    )
    assert answer.status_code == 400, answer.text
    assert answer.text.strip().startswith('<p class="message error" role="alert">')
    assert "UTF-8" in answer.text
    assert answer.headers["HX-Retarget"] == "#flash"
    assert_security_headers(answer)


def test_the_server_still_answers_a_normal_form(sqlite_server):
    """Control for the tests above: the same post in UTF-8 is read (a failed log-in)."""
    body = f"username=someone&password=x&csrfmiddlewaretoken={CSRF_TOKEN}".encode()
    answer = sqlite_server.request("POST", "/accounts/login/", body, _form_headers("utf-8"))
    assert answer.status_code == 200
    assert "Please enter a correct username and password" in answer.text


# --- The database is down -------------------------------------------------------------------------


@pytest.mark.parametrize("session", [False, True], ids=["no-cookie", "session-cookie"])
def test_healthz_is_503_while_the_database_is_down(database_down_server, session):
    """A load balancer may send a cookie, or /healthz be opened in a signed-in browser: the
    health check reads neither the session nor the user, so it can say what is wrong."""
    headers = {"Cookie": f"sessionid={SESSION_KEY}"} if session else {}
    for method in ("GET", "HEAD"):
        answer = database_down_server.request(method, "/healthz", headers=headers)
        assert answer.status_code == 503, answer.text
    answer = database_down_server.request("GET", "/healthz", headers=headers)
    assert answer.text == "database unavailable"


def test_a_page_while_the_database_is_down_is_our_500_with_every_security_header(
    database_down_server,
):
    answer = database_down_server.request(
        "GET", "/lessons/", headers={"Cookie": f"sessionid={SESSION_KEY}"}
    )
    assert answer.status_code == 500
    assert "<title>Something went wrong · Tierwise</title>" in answer.text
    assert_security_headers(answer)


def test_an_htmx_post_while_the_database_is_down_gets_the_one_line_alert(database_down_server):
    body = f"text=route+this&csrfmiddlewaretoken={CSRF_TOKEN}".encode()
    answer = database_down_server.request(
        "POST", "/simulator/route/", body, _form_headers("utf-8", htmx=True, session=True)
    )
    assert answer.status_code == 500
    assert answer.text.startswith('<p class="message error" role="alert">')
    assert "<html" not in answer.text
    assert answer.headers["HX-Retarget"] == "#flash"
    assert_security_headers(answer)
