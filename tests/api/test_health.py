"""What an operator sees of a worker: /healthz (alive), /readyz (can take traffic, or which
dependency fails and why, fast and without secrets), the X-Request-Id on every answer, and
one JSON object per log line carrying it."""

from __future__ import annotations

import io
import json
import logging
import socket
import time
import uuid
from contextlib import contextmanager

import pytest
import requests
from sqlalchemy import create_engine, text

from app import create_app, logs
from ops.servers import free_port
from services.db import engine_url
from tests.conftest import ON_POSTGRES, WS_UPGRADE, app_config, login, runtime_of, user_id

SECRET = "geheim-wachtwoord"


@contextmanager
def app_with(instance, db_url, backend, **overrides):
    app = create_app(app_config(instance, db_url, backend, **overrides))
    try:
        yield app
    finally:
        runtime_of(app).close()


@contextmanager
def silent_server():
    """A port that accepts connections and never says a word: a frozen server, or one
    behind a route that drops the answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


@contextmanager
def log_lines(logger: str = "", form: str = "json"):
    """The lines our handler writes for `logger` (the root by default) at INFO and above."""
    out = io.StringIO()
    handler = logs.handler(form, out)
    target = logging.getLogger(logger)
    level = target.level
    target.addHandler(handler)
    target.setLevel(logging.INFO)
    lines: list[str] = []
    try:
        yield lines
    finally:
        target.removeHandler(handler)
        target.setLevel(level)
        lines += out.getvalue().splitlines()


def readiness(app):
    started = time.monotonic()
    response = app.test_client().get("/readyz")
    return response, time.monotonic() - started


def assert_not_ready(response, elapsed, **failing):
    body = response.get_json()
    assert response.status_code == 503, body
    assert response.headers["Retry-After"] == "5"
    assert body["ready"] is False
    for check, answer in failing.items():
        assert body["checks"][check] == answer, body
    assert elapsed < 3, "a readiness check must fail fast"
    raw = response.get_data(as_text=True)
    assert SECRET not in raw and "127.0.0.1" not in raw and "://" not in raw


# ---- liveness and readiness ---------------------------------------------------------------


def test_healthz_says_the_process_is_up_even_without_a_database(instance, db_url, backend):
    gone = f"postgresql://veldwacht:{SECRET}@127.0.0.1:{free_port()}/veldwacht"
    with app_with(instance, db_url, backend, DATABASE_URL=gone) as app:
        response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"ok": True}


def test_readyz_is_ready_when_every_dependency_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {
        "ready": True,
        "checks": {
            "database": "ok",
            "redis": "ok" if ON_POSTGRES else "not used",
            "migrations": "ok",
            "worker": "ok",
        },
    }
    assert "Retry-After" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("url", "answer"),
    [
        (f"postgresql://veldwacht:{SECRET}@127.0.0.1:{free_port()}/veldwacht", "cannot connect"),
        ("sqlite:///{instance}/no-such-folder/veldwacht.db", "cannot open the database file"),
    ],
    ids=["postgresql-closed-port", "sqlite-missing-folder"],
)
def test_readyz_names_an_unreachable_database(instance, db_url, backend, url, answer):
    url = url.format(instance=instance)
    with app_with(instance, db_url, backend, DATABASE_URL=url) as app:
        response, elapsed = readiness(app)
    assert_not_ready(response, elapsed, database=answer, migrations="not checked: no database")


def test_readyz_names_an_unreachable_redis(instance, db_url, backend):
    gone = f"redis://:{SECRET}@127.0.0.1:{free_port()}/0"
    with app_with(instance, db_url, backend, REDIS_URL=gone) as app:
        response, elapsed = readiness(app)
    assert_not_ready(response, elapsed, redis="cannot connect", database="ok", migrations="ok")


def test_readyz_gives_up_on_a_server_that_never_answers_within_two_seconds(
    instance, db_url, backend
):
    with (
        silent_server() as port,
        app_with(instance, db_url, backend, REDIS_URL=f"redis://127.0.0.1:{port}/0") as app,
    ):
        first, elapsed = readiness(app)
        again, _ = readiness(app)  # asked while the first question still waits
    assert_not_ready(first, elapsed, database="ok")
    # the check's own deadline, or the Redis client's socket timeout of the same 2 s when a
    # loaded machine lets that fire first: either way, no answer
    assert first.get_json()["checks"]["redis"] in {"no answer within 2 s", "timed out"}
    assert elapsed >= 1.9
    assert again.status_code == 503


def test_readyz_says_the_migrations_are_behind_on_a_fresh_database(instance, db_url, backend):
    if backend.postgres is None:
        empty = f"sqlite:///{instance / 'empty.db'}"
    else:
        empty = backend.postgres.create_database(f"empty_{uuid.uuid4().hex[:12]}")
    with app_with(instance, db_url, backend, DATABASE_URL=empty) as app:
        response, elapsed = readiness(app)
    assert_not_ready(
        response,
        elapsed,
        database="ok",
        migrations="not current: migrations still to run",
    )


def test_readyz_takes_a_schema_a_newer_release_migrated_as_ready(app, client, db_url):
    """A rolling deploy migrates first (migrations suit the running code too): the old
    workers must stay ready until their successors take over."""
    engine = create_engine(engine_url(db_url))
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'from_a_newer_release'"))
    engine.dispose()
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()


def test_readyz_says_a_worker_that_hands_over_takes_no_new_phones(app, client):
    runtime_of(app).stopping()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["worker"] == "stopping: a new worker takes over"


# ---- request ids --------------------------------------------------------------------------


def test_a_sane_request_id_is_echoed(client):
    for offered in ("abc", "Req-1.2_3", "x" * 64):
        response = client.get("/healthz", headers={"X-Request-Id": offered})
        assert response.headers["X-Request-Id"] == offered


@pytest.mark.parametrize(
    "offered",
    ["x" * 65, "y" * 200, "", "two words", "a;b", "<script>", "abc\ndef", "abc\r\nSet-Cookie: x"],
)
def test_an_insane_request_id_is_replaced(client, offered):
    response = client.get("/healthz", environ_overrides={"HTTP_X_REQUEST_ID": offered})
    given = response.headers["X-Request-Id"]
    assert given != offered and len(given) == 32 and int(given, 16) >= 0


def test_every_answer_carries_a_request_id_of_its_own(client):
    answers = [
        client.get("/healthz"),
        client.get("/api/me"),  # 401
        client.get("/api/nope"),  # 404
        client.get("/ws", headers=WS_UPGRADE),  # the websocket upgrade refused
    ]
    assert [a.status_code for a in answers] == [200, 401, 404, 401]
    ids = [a.headers.get("X-Request-Id") for a in answers]
    assert all(ids) and len(set(ids)) == len(ids)


# ---- structured logs ----------------------------------------------------------------------


def test_the_access_line_is_json_with_the_request_id_and_no_query(app, client):
    login(client, "sanne")
    with log_lines("veldwacht.access") as lines:
        client.get("/api/events?since=17", headers={"X-Request-Id": "phone-42"})
        client.get("/healthz", headers={"X-Request-Id": "probe-1"})
    first, second = (json.loads(line) for line in lines)
    assert first["request_id"] == "phone-42"
    assert first["level"] == "INFO" and first["logger"] == "veldwacht.access"
    assert first["time"].endswith("+00:00")
    assert first["method"] == "GET" and first["path"] == "/api/events"
    assert first["status"] == 200 and first["duration_ms"] >= 0
    assert first["user_id"] == user_id(app, "sanne")
    assert "since" not in lines[0]
    assert second["request_id"] == "probe-1" and second["path"] == "/healthz"


def test_any_line_written_during_a_request_carries_its_id(instance, db_url, backend):
    gone = f"redis://127.0.0.1:{free_port()}/0"
    with app_with(instance, db_url, backend, REDIS_URL=gone) as app, log_lines() as lines:
        app.test_client().get("/readyz", headers={"X-Request-Id": "probe-7"})
    found = [json.loads(line) for line in lines]
    warning = next(line for line in found if line["logger"] == "app.health")
    assert warning["level"] == "WARNING" and warning["request_id"] == "probe-7"
    assert "redis" in warning["message"]


def test_the_text_format_is_for_people_and_still_shows_the_request_id(client):
    with log_lines("veldwacht.access", form="text") as lines:
        client.get("/healthz", headers={"X-Request-Id": "probe-9"})
    assert "[probe-9] GET /healthz 200" in lines[0]


def test_a_wrong_log_setting_stops_the_start_with_a_reason():
    assert logs.settings({}) == ("json", logging.INFO)
    assert logs.settings({"VELDWACHT_LOG_FORMAT": "text", "VELDWACHT_LOG_LEVEL": "debug"}) == (
        "text",
        logging.DEBUG,
    )
    with pytest.raises(ValueError, match="VELDWACHT_LOG_FORMAT"):
        logs.settings({"VELDWACHT_LOG_FORMAT": "xml"})
    with pytest.raises(ValueError, match="VELDWACHT_LOG_LEVEL"):
        logs.settings({"VELDWACHT_LOG_LEVEL": "chatty"})


def test_gunicorn_and_the_app_write_one_json_object_per_line(live_server):
    answer = requests.get(f"{live_server.url}/healthz?probe=1", headers={"X-Request-Id": "live-1"})
    assert answer.headers["X-Request-Id"] == "live-1"
    deadline = time.monotonic() + 5
    while "live-1" not in live_server.log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    lines = [json.loads(line) for line in live_server.log.read_text().splitlines()]
    assert any(
        line["logger"] == "gunicorn.error" and "Booting worker" in line["message"] for line in lines
    )
    ours = [line for line in lines if "live-1" in json.dumps(line)]
    # one access line, the app's: gunicorn's own access log stays off
    assert [(line["logger"], line["path"]) for line in ours] == [("veldwacht.access", "/healthz")]
