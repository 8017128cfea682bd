"""A real Celery worker process for the tests, on the configured broker and the test database.

Not eager mode: the task travels through the broker (kombu's filesystem transport on the
embedded default, Redis when ``REDIS_URL`` is set) to a separate process.
"""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def _test_database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db.get('USER') or ''}{password}@{host}:{port}/{db['NAME']}"


def purge_broker() -> None:
    from config.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")


def process_environment(extra_env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of another process of the project on the test database and broker."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DATABASE_URL": _test_database_url(),
        "VAR_DIR": str(settings.VAR_DIR),
        **(extra_env or {}),
    }
    if settings.REDIS_URL:
        env["REDIS_URL"] = settings.REDIS_URL
    return env


def tasks_in_broker() -> list[tuple[str, list]]:
    """(task name, first argument) of every task waiting in the broker's queue, taken out."""
    found = []
    from config.celery import app

    with app.connection_for_read() as connection:
        queue = connection.SimpleQueue("celery")
        try:
            while True:
                try:
                    message = queue.get(block=False)
                except queue.Empty:
                    break
                args, _kwargs, _embed = message.decode()
                found.append((message.headers["task"], args[0]))
                message.ack()
        finally:
            queue.close()
    return found


@contextmanager
def celery_worker(*, concurrency: int = 1, extra_env: dict[str, str] | None = None, beat=False):
    """Start ``celery worker`` against the test database; stop it on exit."""
    env = process_environment(extra_env)
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--loglevel=INFO",
        f"--concurrency={concurrency}",
        "--pool=prefork" if concurrency > 1 else "--pool=solo",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--hostname",
        f"test-{os.getpid()}-{time.monotonic_ns()}@%h",
    ]
    if beat:
        command += ["--beat", "--schedule", str(Path(settings.VAR_DIR) / "test-beat-schedule")]
    log_path = Path(settings.VAR_DIR) / "test-worker.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def wait_for(predicate, *, timeout: float = 30.0, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    log = Path(settings.VAR_DIR) / "test-worker.log"
    tail = log.read_text()[-3000:] if log.exists() else "(no worker log)"
    raise AssertionError(f"timed out waiting for {what}; worker log:\n{tail}")
