"""Backup and restore as an operator does them, with the CLI, on whichever engine this run uses:
a backup made while the server runs and writes, restored into a new empty database, serves
the same register, AIR and open alarm, and the phones stay signed in; a restore that cannot be
right (a file of the other engine, a running server, no file) is refused and changes nothing."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

from services.clock import local_date
from tests.conftest import ON_POSTGRES, ROOT, start_server

INSTANCE_SECRETS = ("secret_key", "vapid_private.pem")  # not in the database (docs/backup.md)


def flask_cli(env: dict, *args: str, answer: str | None = None) -> subprocess.CompletedProcess:
    """`flask --app app ...` as an operator runs it, with the server's settings."""
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", *args],
        cwd=ROOT,
        env=env,
        input=answer,
        capture_output=True,
        text=True,
        timeout=120,
    )


def report(http: requests.Session, url: str, description: str) -> dict:
    body = {
        "client_id": str(uuid.uuid4()),
        "occurred_at": (datetime.now(UTC) - timedelta(minutes=5)).isoformat(),
        "behaviour_type": "D",
        "kinds": ["intimidatie"],
        "channel": "huisbezoek",
        "location": "Beukenlaan 12, Demodorp",
        "description": description,
        "aggressor": {"name": "P. Verhoeven", "address": "Beukenlaan 12, Demodorp"},
    }
    response = http.post(f"{url}/api/incidents", json=body, timeout=30)
    assert response.status_code == 201, response.text
    return response.json()["incident"]


def record_in_air(http: requests.Session, url: str) -> int:
    entry = http.post(
        f"{url}/api/air",
        json={
            "name": "P. Verhoeven",
            "address": "Beukenlaan 12, Demodorp",
            "known_aggressive": True,
            "behaviour_type": "D",
            "remarks": "Dreigde een consulent bij de voordeur",
        },
    )
    assert entry.status_code == 201, entry.text
    entry_id = entry.json()["entry"]["id"]
    ban = http.post(
        f"{url}/api/air/{entry_id}/measures",
        json={
            "kind": "pandverbod",
            "starts_on": local_date(datetime.now(UTC)).isoformat(),
            "ends_on": (local_date(datetime.now(UTC)) + timedelta(days=180)).isoformat(),
            "reason": "Bedreiging aan de balie",
        },
    )
    assert ban.status_code == 201, ban.text
    return entry_id


def raise_alarm(http: requests.Session, url: str) -> int:
    body = {
        "client_id": str(uuid.uuid4()),
        "position": {"lat": 52.0907, "lon": 5.1214, "accuracy": 15},
    }
    response = http.post(f"{url}/api/alarms", json=body)
    assert response.status_code == 201, response.text
    return response.json()["alarm"]["id"]


def what_lisa_sees(http: requests.Session, url: str, incident: int, entry: int, alarm: int):
    """The register entry, the AIR entry and the open alarm, as the manager's screens get them."""
    found = http.get(f"{url}/api/incidents/{incident}")
    assert found.status_code == 200, found.text
    entries = {e["id"]: e for e in http.get(f"{url}/api/air").json()["entries"]}
    alarms = {a["id"]: a for a in http.get(f"{url}/api/alarms").json()["alarms"]}
    return found.json()["incident"], entries[entry], alarms[alarm]


def newest_event_id(http: requests.Session, url: str) -> int:
    """The last event id a phone has seen once it has caught up (what it asks after next)."""
    since = 0
    while True:
        page = http.get(f"{url}/api/events", params={"since": since}).json()
        if not page["events"]:
            return since
        since = page["last_id"]


def the_alarm(alarm: dict) -> dict:
    """What a responder relies on; its age and escalation step move with the clock."""
    return {k: alarm[k] for k in ("id", "state", "worker", "position", "raised_at", "test")}


class Writer(threading.Thread):
    """A phone reporting incidents, one after the other, while the backup is made."""

    def __init__(self, http: requests.Session, url: str):
        super().__init__(daemon=True)
        self.http, self.url = http, url
        self.done = threading.Event()
        self.received: list[dict] = []  # reports the server confirmed
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.done.is_set():
                self.received.append(report(self.http, self.url, f"tijdens {uuid.uuid4()}"))
        except BaseException as failure:  # told by stop(), in the test's own thread
            self.failure = failure

    def stop(self) -> list[dict]:
        self.done.set()
        self.join(timeout=30)
        if self.failure is not None:
            raise self.failure
        return self.received


def test_a_backup_made_while_the_server_writes_restores_the_register_air_and_open_alarms(
    tmp_path, template_db, backend
):
    (tmp_path / "before").mkdir()
    first = start_server(tmp_path / "before", template_db, backend)
    url = first.live.url
    try:
        lisa, sanne = first.live.session("lisa"), first.live.session("sanne")
        incident = report(sanne, url, "Dreigde me op te wachten na het huisbezoek.")["id"]
        entry = record_in_air(lisa, url)
        alarm = raise_alarm(sanne, url)
        before = what_lisa_sees(lisa, url, incident, entry, alarm)
        push_key = sanne.get(f"{url}/api/push/key").json()

        writer = Writer(first.live.session("anouk"), url)
        writer.start()
        while not writer.received and writer.is_alive():  # writing when the backup starts
            time.sleep(0.05)
        confirmed_before = list(writer.received)
        made = flask_cli(first.env, "backup", str(tmp_path / "veldwacht.backup"))
        during = writer.stop()
        lost = report(sanne, url, "Na de backup: gaat verloren.")
        seen = newest_event_id(lisa, url)  # Lisa's phone saw the events of the lost report
    finally:
        first.stop()
    assert made.returncode == 0, made.stderr
    assert "written to" in made.stdout
    assert len(during) > len(confirmed_before)  # the server took reports during the backup

    # A new machine: an empty database, the instance folder's secrets copied beside the backup.
    after = tmp_path / "after"
    after.mkdir()
    for name in INSTANCE_SECRETS:
        shutil.copy(first.live.instance / name, after / name)
    restored_url = backend.empty(after)
    restored_env = {
        **first.env,
        "VELDWACHT_INSTANCE_PATH": str(after),
        "DATABASE_URL": restored_url,
    }
    if ON_POSTGRES:
        restored_env["VELDWACHT_REDIS_PREFIX"] = restored_url.rsplit("/", 1)[1]
    done = flask_cli(restored_env, "restore", str(tmp_path / "veldwacht.backup"), "--yes")
    assert done.returncode == 0, done.stderr
    assert "Restored" in done.stdout and "setup" not in done.stdout  # the schema is current

    second = start_server(after, template_db, backend, **restored_env)
    try:
        url = second.live.url
        incident_now, entry_now, alarm_now = what_lisa_sees(lisa, url, incident, entry, alarm)
        assert incident_now == before[0]
        assert entry_now == before[1]
        assert the_alarm(alarm_now) == the_alarm(before[2])
        assert alarm_now["state"] == "open"
        # Lisa's phone is still signed in (the secret key came along) and push keeps working
        # without subscribing again (the VAPID key did).
        assert lisa.get(f"{url}/api/me").status_code == 200
        assert sanne.get(f"{url}/api/push/key").json() == push_key
        assert lisa.get(f"{url}/api/incidents/{lost['id']}").status_code == 404
        # A new alarm reaches Lisa's phone, which asks for what came after the last event it
        # saw before the restore, including the lost one's.
        new_alarm = raise_alarm(sanne, url)
        news = lisa.get(f"{url}/api/events", params={"since": seen}).json()["events"]
        assert new_alarm in [e["data"].get("alarm", {}).get("id") for e in news], news
        # Every report the phone was told had arrived before the backup began is there, and
        # one made during the backup is either wholly there or not at all.
        for made_report in during:
            found = lisa.get(f"{url}/api/incidents/{made_report['id']}")
            if made_report in confirmed_before:
                assert found.status_code == 200, made_report
            if found.status_code == 200:
                got = found.json()["incident"]
                assert got["description"] == made_report["description"]
                assert [h["action"] for h in got["history"]][:1] == ["gemeld"]
            else:
                assert found.status_code == 404
    finally:
        second.stop()


def other_engines_backup(path: Path) -> Path:
    """A backup of the engine this run does not use: a pg_dump archive's header on SQLite, a
    SQLite database on PostgreSQL."""
    if ON_POSTGRES:
        with sqlite3.connect(path) as made:
            made.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        made.close()
    else:
        path.write_bytes(b"PGDMP\x01\x10\x00\x04\x08\x08\x01" + bytes(500))
    return path


def refused(done: subprocess.CompletedProcess, says: str) -> None:
    assert done.returncode == 1, done.stdout
    assert says in done.stderr, done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_a_restore_that_cannot_be_right_is_refused_and_changes_nothing(
    tmp_path, template_db, backend
):
    server = start_server(tmp_path, template_db, backend)
    url = server.live.url
    try:
        sanne, lisa = server.live.session("sanne"), server.live.session("lisa")
        report(sanne, url, "Voor de backup.")
        backup_file = tmp_path / "veldwacht.backup"
        assert flask_cli(server.env, "backup", str(backup_file)).returncode == 0
        later = report(sanne, url, "Na de backup.")
        register = lisa.get(f"{url}/api/incidents").json()

        running = flask_cli(server.env, "restore", str(backup_file), "--yes")
        refused(running, "stop the Veldwacht server")
        server.stop()

        wrong = flask_cli(server.env, "restore", str(other_engines_backup(tmp_path / "x")), "--yes")
        refused(wrong, "SQLite backup" if ON_POSTGRES else "PostgreSQL backup (pg_dump)")
        missing = flask_cli(server.env, "restore", str(tmp_path / "nergens.backup"), "--yes")
        refused(missing, "not found")
        not_a_backup = tmp_path / "notities.txt"
        not_a_backup.write_text("geen backup")
        refused(flask_cli(server.env, "restore", str(not_a_backup), "--yes"), "not a Veldwacht")
        asked = flask_cli(server.env, "restore", str(backup_file), answer="n\n")
        assert asked.returncode == 1 and "Aborted" in asked.stderr
        assert "replaces everything" in asked.stdout

        server.restart()
        assert lisa.get(f"{url}/api/incidents").json() == register
        assert lisa.get(f"{url}/api/incidents/{later['id']}").status_code == 200
    finally:
        server.stop()
