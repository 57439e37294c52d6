#!/usr/bin/env python
"""Throughput of the served app: gunicorn with 2 web processes, driven over loopback.

    .venv/bin/python bench/web.py [--seconds 8] [--concurrency 4] [--web 2]

The app is served the way `make run` and `make run-scale` serve it (gunicorn with
``pakta.gunicorn_conf``, WhiteNoise, debug off) on a database of its own holding the demo data
(``load_demo``). One extra page is added for the bench only: ``/bench/minimal/``, a view that
returns two bytes through the whole middleware stack, the baseline. A bounded load (a fixed
number of keep-alive connections, each sending its next request when the previous answer
arrives) then drives, one after another and interleaved ``--repeat`` times:

- the minimal page (the baseline),
- the staff home of a Pemda and the officials list (logged in as its administrator),
- the public verification page ``/v/<token>`` of a signed pact,
- the public report form ``/lapor/<pemda>/``.

For each it prints requests/s and the p95 latency, and the ratios to the minimal page. Targets
(docs/scale.md): the verification page at least 0.5 of the minimal page's requests/s, and every
page's p95 within 10 times the minimal page's. Runs on SQLite, and on PostgreSQL too when
DATABASE_URL is set (the URL only names the server; the bench creates and drops its own
database). Each database run ends with one line
``RESULT bench=web_<sqlite|postgres> ratio=<verify/minimal> target=0.5 ok=<true|false>``.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
TARGET = 0.5
P95_FACTOR = 10
DEMO_PASSWORD = "pakta-demo-2024"

# The WSGI module of the bench: Pakta's application with one minimal page added to its URLs.
APP = """
from django.http import HttpResponse
from django.urls import path

from pakta.wsgi import application  # sets Django up
import pakta.urls

pakta.urls.urlpatterns.append(path("bench/minimal/", lambda request: HttpResponse("ok")))
"""

TOKEN = (
    "from pakta.pacts.models import Pact; "
    "p = Pact.objects.filter(status='signed', document__isnull=False).first(); "
    "print('TOKEN', p.document.token)"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


VACUUM = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("VACUUM ANALYZE")
"""


def run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def login(base: str, username: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/accounts/login/", timeout=60).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    data = {"csrfmiddlewaretoken": token.group(1), "username": username, "password": DEMO_PASSWORD}
    opener.open(base + "/accounts/login/", urllib.parse.urlencode(data).encode(), timeout=60)
    cookies = {cookie.name: cookie.value for cookie in jar}
    assert "sessionid" in cookies, "login failed"
    return f"sessionid={cookies['sessionid']}"


def drive(
    port: int, path: str, cookie: str, seconds: float, concurrency: int
) -> tuple[float, float]:
    """Requests/s and p95 latency (ms) of ``path`` under ``concurrency`` closed-loop clients."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Cookie": cookie} if cookie else {}
        mine = []
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            if response.status != 200:
                errors.append(f"{path}: {response.status}")
                break
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    if errors:
        raise SystemExit(errors[0])
    latencies.sort()
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)] * 1000
    return len(latencies) / elapsed, p95


def bench(label: str, database_url: str, args: argparse.Namespace) -> bool:
    work = Path(tempfile.mkdtemp(prefix="pakta-bench-web-"))
    (work / "benchapp").mkdir()
    (work / "benchapp" / "__init__.py").write_text("")
    (work / "benchapp" / "wsgi.py").write_text(APP)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAKTA_", "DJANGO_"))}
    env.pop("REDIS_URL", None)
    port = free_port()
    env.update(
        DATABASE_URL=database_url,
        PAKTA_VAR_DIR=str(work / "var"),
        PAKTA_DEBUG="false",
        PORT=str(port),
        WEB_CONCURRENCY=str(args.web),
        # This tree's code, also where the virtualenv's own path file names another checkout.
        PYTHONPATH=os.pathsep.join([str(work), str(ROOT / "src")]),
    )
    server = None
    try:
        print(f"[{label}] migrate, load_demo, collectstatic ...", flush=True)
        run(["migrate", "--no-input", "-v0"], env)
        run(["createcachetable"], env)
        run(["load_demo"], env)
        if label == "postgres":
            # Fresh statistics and visibility after the bulk load, as the PostgreSQL manual
            # advises after populating a database (and as bench/pages.py does): without them the
            # planner estimated 2 officials in a Pemda of 2,000 and sorted them for every page.
            run(["shell", "-c", VACUUM], env)
        run(["collectstatic", "--no-input", "-v0"], env)
        token = re.search(r"TOKEN (\S+)", run(["shell", "-c", TOKEN], env))
        assert token, "no signed pact in the demo data"
        server = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "--config",
                "python:pakta.gunicorn_conf",
                "--access-logfile",
                "/dev/null",
                "benchapp.wsgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        cookie = login(base, "admin.tanjungsari")
        pages = {
            "minimal": ("/bench/minimal/", ""),
            "staff_home": ("/p/tanjungsari/", cookie),
            "official_list": ("/p/tanjungsari/officials/", cookie),
            "verify": (f"/v/{token.group(1)}", ""),
            "report_form": ("/lapor/tanjungsari/", ""),
        }
        for path, page_cookie in pages.values():  # warm every worker up
            drive(port, path, page_cookie, 1, args.concurrency)
        best: dict[str, tuple[float, float]] = {}
        for _ in range(args.repeat):
            for name, (path, page_cookie) in pages.items():
                rps, p95 = drive(port, path, page_cookie, args.seconds, args.concurrency)
                if name not in best or rps > best[name][0]:
                    best[name] = (rps, p95)
        minimal_rps, minimal_p95 = best["minimal"]
        print(
            f"[{label}] {args.web} web processes, {args.concurrency} connections, "
            f"{args.seconds:g} s per page, best of {args.repeat}"
        )
        print(
            f"[{label}] {'page':<14} {'req/s':>8} {'p95 ms':>8} {'rps ratio':>10} {'p95 ratio':>10}"
        )
        p95_ok = True
        for name, (rps, p95) in best.items():
            p95_ratio = p95 / minimal_p95
            p95_ok &= p95_ratio <= P95_FACTOR
            print(
                f"[{label}] {name:<14} {rps:8.1f} {p95:8.1f} {rps / minimal_rps:10.2f} {p95_ratio:10.2f}"
            )
        ratio = best["verify"][0] / minimal_rps
        ok = ratio >= TARGET and p95_ok
        print(f"RESULT bench=web_{label} ratio={ratio:.2f} target={TARGET} ok={str(ok).lower()}")
        return ok
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def postgres_database(server_url: str) -> tuple[str, str]:
    import psycopg
    from psycopg.conninfo import make_conninfo

    parts = urllib.parse.urlsplit(server_url)
    name = f"pakta_bench_web_{os.getpid()}"
    admin = make_conninfo(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
    )
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}")), admin


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--web", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--rows", type=int, default=0, help="ignored (scripts/bench.sh passes it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench("sqlite", f"sqlite:///{tmp}/bench.sqlite3", args)
    if server_url := os.environ.get("DATABASE_URL", ""):
        url, admin = postgres_database(server_url)
        try:
            bench("postgres", url, args)
        finally:
            import psycopg

            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
