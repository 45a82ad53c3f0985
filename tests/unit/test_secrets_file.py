"""Secrets made on first start (the session key, the push key), where several workers start
at the same moment on a new install."""

import stat
import threading

from app.config import load_config
from services.push.webpush import application_server_key, ensure_vapid_key


def at_once(start_worker, workers: int = 8) -> tuple[list, list]:
    """What `start_worker()` gives in each of `workers` threads started together."""
    start = threading.Barrier(workers)
    results, errors = [], []

    def run():
        start.wait()
        try:
            results.append(start_worker())
        except Exception as error:  # a worker that fails to boot stops the whole server
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def assert_only(path):
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no drafts left behind
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_workers_starting_at_once_all_get_the_one_push_key(tmp_path):
    path = tmp_path / "instance" / "vapid_private.pem"
    keys, errors = at_once(lambda: application_server_key(ensure_vapid_key(path)))
    assert errors == []
    assert len(keys) == 8 and len(set(keys)) == 1
    assert application_server_key(ensure_vapid_key(path)) == keys[0]  # and after a restart
    assert_only(path)


def test_workers_starting_at_once_all_get_the_one_session_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    instance = tmp_path / "instance"
    keys, errors = at_once(lambda: load_config({"INSTANCE_PATH": str(instance)})["SECRET_KEY"])
    assert errors == []
    assert len(keys) == 8 and len(set(keys)) == 1 and len(keys[0]) == 64
    assert_only(instance / "secret_key")
