"""Real servers for the tests that need more than Django's test client: gunicorn in production mode on a
PostgreSQL database of its own and the shared Redis, the front server (nginx) in front of it, an HTTP client
that behaves like a browser behind the TLS proxy, and a TCP relay that can cut or freeze a connection to
PostgreSQL or Redis and restore it."""

import http.client
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
HOST = "ivmt.example.org"
# The PostgreSQL server and Redis the real-server tests use (the ones .ci/run starts).
POSTGRES = os.environ.get("IVMT_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("IVMT_TEST_REDIS", "redis://127.0.0.1:6379/0")
STAFF_PASSWORD = "a-long-test-password-for-servers"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test module; dropped afterwards. Yields its name."""
    name = f"ivmt_servers_{secrets.token_hex(6)}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_env(database_url: str, redis_url: str, static_root: Path, home: Path) -> dict[str, str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "GUNICORN_")) and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "ivmt_site.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "servers-test-" + "k" * 50,  # every server of one site shares its key
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_STATIC_ROOT": str(static_root),
        "DJANGO_SUPERUSER_PASSWORD": STAFF_PASSWORD,
        "HOME": str(home),
    }


def manage(env: dict[str, str], *args: str, timeout: int = 300) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


@dataclass
class Gunicorn:
    env: dict[str, str]
    log: Path
    workers: int | None = 1  # None: the config's default (1 per core + 1)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> "Gunicorn":
        env = {**self.env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        if self.workers is not None:
            env["GUNICORN_WORKERS"] = str(self.workers)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "-c",
                    "ivmt_site/gunicorn.conf.py",
                    "ivmt_site.wsgi:application",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while True:
            assert self.process.poll() is None, self.log.read_text()
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not listen within 30 seconds"
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)

    def logged(self) -> str:
        return self.log.read_text(errors="replace")


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    assert found, "nginx is not installed (`make test` installs Debian's nginx-light)"
    return found


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path, what: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        assert process.poll() is None, log.read_text(errors="replace")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            assert time.monotonic() < deadline, f"{what} did not listen within 30 seconds"
            time.sleep(0.1)


@dataclass
class Front:
    """The front server: nginx, configured by `manage.py nginx_config --local`, run as this user, in front of
    `app`. As behind a TLS load balancer that accepts only HTTPS: X-Forwarded-Proto is always https."""

    env: dict[str, str]
    app: Gunicorn
    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> "Front":
        manage(
            self.env,
            "nginx_config",
            "--local",
            str(self.folder),
            "--listen",
            f"127.0.0.1:{self.port}",
            "--app",
            f"127.0.0.1:{self.app.port}",
            "--forwarded-proto",
            "https",
        )
        log = self.folder / "nginx.out"
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [nginx_binary(), "-p", str(self.folder), "-c", str(self.folder / "nginx.conf")],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_for_port(self.port, self.process, log, "nginx")
        return self

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)

    def access_log(self) -> str:
        return (self.folder / "access.log").read_text(errors="replace")


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str


class Browser:
    """An HTTP client with a cookie jar, as a browser behind the TLS proxy would be (X-Forwarded-Proto)."""

    def __init__(self, server: "Gunicorn | Front") -> None:
        self.server = server
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Response:
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.5"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{HOST}"
            headers["Referer"] = f"https://{HOST}{path}"
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            response = Response(raw.status, dict(raw.getheaders()), raw.read().decode(errors="replace"))
            for header in raw.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
        finally:
            connection.close()
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str]) -> Response:
        return self.request("POST", path, form)

    def log_in(self, admin_path: str = "/admin/") -> None:
        page = self.get(f"{admin_path}login/")
        form = form_values(page.body)
        form.update({"username": "admin", "password": STAFF_PASSWORD})
        response = self.post(f"{admin_path}login/?next={admin_path}", form)
        assert response.status == 302, response.body[:2000]


class _FormReader(HTMLParser):
    """The values a browser would submit for the page's main form: inputs, textareas and selects."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._selected = False

    def add(self, name: str, value: str) -> None:
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name")
        if tag == "input" and name and a.get("type", "text") not in {"submit", "button", "file", "image"}:
            if a.get("type") in {"checkbox", "radio"} and "checked" not in a:
                return
            self.add(name, a.get("value", "on" if a.get("type") == "checkbox" else ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.add(name, "")
        elif tag == "select" and name:
            self._select, self._first_option, self._selected = name, None, False
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self.add(self._select, a.get("value", ""))
                self._selected = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            if not self._selected and self._first_option is not None:
                self.add(self._select, self._first_option)
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            values = self.values[self._textarea]
            # A browser drops one newline right after <textarea>.
            values[-1] += data[1:] if not values[-1] and data.startswith("\n") else data


def form_values(html: str) -> dict[str, str]:
    reader = _FormReader()
    # Only the form that posts (the admin page also has a search form and a logout form).
    match = re.search(r'<form[^>]*method="post"[^>]*id="\w+_form".*?</form>', html, re.S) or re.search(
        r'<form[^>]*method="post".*?</form>', html, re.S
    )
    reader.feed(match.group(0) if match else html)
    return {name: values[-1] for name, values in reader.values.items()}


class Relay:
    """A TCP relay on a port of its own to a real server (PostgreSQL, Redis): cut() drops every connection
    and refuses new ones, as if the server went away; restore() lets connections through again. freeze()
    keeps every connection open and accepts new ones but passes nothing on, as if the server (or the network)
    hung; thaw() lets the held data through again."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._flowing = threading.Event()
        self._flowing.set()
        self.restore()

    def freeze(self) -> None:
        self._flowing.clear()

    def thaw(self) -> None:
        self._flowing.set()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        self._flowing.set()  # frozen pumps wake up, to find their sockets closed
        if self._listener is not None:
            # shutdown() first: close() alone leaves the port listening while accept() is blocked on it.
            try:
                self._listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._listener.close()
            self._listener = None
        with self._lock:
            for sock in self._open:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            self._open.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open.update({client, upstream})
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                self._flowing.wait()  # while frozen, what arrived is held here, and nothing more is read
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def port_of(url: str) -> int:
    return urlsplit(url).port or 0
