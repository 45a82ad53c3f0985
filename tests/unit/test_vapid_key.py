"""The push key on a new install, where several workers start at the same moment."""

import stat
import threading

from services.push.webpush import application_server_key, ensure_vapid_key


def test_workers_starting_at_once_on_a_new_install_all_get_the_one_key(tmp_path):
    path = tmp_path / "instance" / "vapid_private.pem"
    start = threading.Barrier(8)
    keys, errors = [], []

    def start_worker():
        start.wait()
        try:
            keys.append(application_server_key(ensure_vapid_key(path)))
        except Exception as error:  # a worker that fails to boot stops the whole server
            errors.append(error)

    workers = [threading.Thread(target=start_worker) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert len(keys) == 8 and len(set(keys)) == 1
    assert application_server_key(ensure_vapid_key(path)) == keys[0]  # and after a restart
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no drafts left behind
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
