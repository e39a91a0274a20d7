"""GET /api/v1/search served by gunicorn with 2 workers, timed from this process over loopback.

The app gets a fresh database (`flask --app wsgi init-db`: schema, boards and HSCPs) and the
index built by the benchmark. Anonymous search reads only the index, so the corpus is not
loaded into the app's database (inserting 100,000 write-ups through the app would take longer
than the benchmark itself); anonymous users see published public write-ups only.
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from measure import Outcome
from queries import Query

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
WORKERS = 2
START_TIMEOUT_S = 60
REQUEST_TIMEOUT_S = 60
# Loopback only, and never through a proxy the environment may name.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Unavailable(Exception):
    """The server did not start, or /api/v1/search does not answer with search results."""


@contextmanager
def serve(index_dir: Path, workdir: Path) -> Iterator[str]:
    """Start gunicorn on a free loopback port; yield its base URL; always stop it."""
    env = _app_environment(index_dir, workdir)
    # init-db builds the search index from the (empty) database when it finds none it can
    # read: point it elsewhere, so it can never replace the benchmark's index.
    _init_database({**env, "REGISTRY_INDEX_DIR": str(workdir / "init-db-index")})
    port = _free_port()
    log_path = workdir / "gunicorn.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
             "--timeout", "120",
             # gunicorn 27's control socket defaults to one path per user: a second server (make
             # run, another engineer's) would collide with this one.
             "--no-control-socket", "wsgi:app"],
            cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_listening(server, port, log_path)
        probe(base)
        yield base
    finally:
        _stop(server)


def probe(base: str) -> None:
    """Raise Unavailable unless the search endpoint answers like the issue says it should,
    from the benchmark's index (an empty query lists every public write-up)."""
    try:
        status, body = _get(base, [("q", "")])
    except OSError as error:
        raise Unavailable(f"no answer from /api/v1/search: {error}") from error
    if status != 200 or "total" not in body:
        raise Unavailable(f"/api/v1/search answered HTTP {status}: {str(body)[:200]}")
    if not body["total"]:
        raise Unavailable("/api/v1/search finds nothing: the app is not reading the "
                          "benchmark's index")


class Searcher:
    def __init__(self, base: str):
        self.base = base

    def run(self, query: Query) -> Outcome:
        try:
            status, body = _get(self.base, query.http_params())
        except OSError as error:
            return Outcome(total=0, error=str(error))
        if status != 200:
            return Outcome(total=0, error=f"HTTP {status}")
        return Outcome(total=body["total"], partial=bool(body.get("partial")))


def _get(base: str, params: list[tuple[str, str]]) -> tuple[int, dict]:
    url = f"{base}/api/v1/search?{urlencode(params)}"
    try:
        with _OPENER.open(url, timeout=REQUEST_TIMEOUT_S) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, _json_or_text(error.read())


def _json_or_text(raw: bytes) -> dict:
    try:
        return json.loads(raw)
    except ValueError:
        return {"text": raw[:200].decode("utf-8", "replace")}


def _app_environment(index_dir: Path, workdir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("REGISTRY_")}
    env.update(
        REGISTRY_SECRET_KEY=secrets.token_hex(32),
        REGISTRY_DATABASE_URL=f"sqlite:///{workdir / 'app.db'}",
        REGISTRY_INDEX_DIR=str(index_dir),
        REGISTRY_UPLOAD_DIR=str(workdir / "uploads"),
    )
    return env


def _init_database(env: dict[str, str]) -> None:
    done = subprocess.run([str(BIN / "flask"), "--app", "wsgi", "init-db"], cwd=PROJECT_ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise Unavailable(f"flask init-db failed: {done.stderr.strip()[-500:]}")


def _free_port() -> int:
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return probe_socket.getsockname()[1]


def _wait_until_listening(server: subprocess.Popen, port: int, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise Unavailable(f"gunicorn exited ({server.returncode}): {_tail(log_path)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise Unavailable(f"gunicorn did not listen within {START_TIMEOUT_S} s: {_tail(log_path)}")


def _stop(server: subprocess.Popen) -> None:
    """SIGTERM is gunicorn's graceful stop; it waits for its workers."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _tail(path: Path, chars: int = 800) -> str:
    return path.read_text(errors="replace")[-chars:].strip()
