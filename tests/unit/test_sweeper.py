"""The sweeper's pacing: follow-up tasks look at most every so many seconds."""

from services import sweeper


def test_a_throttled_task_runs_at_most_once_per_period(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(sweeper.time, "monotonic", lambda: now[0])
    calls = []
    task = sweeper.every(30, lambda: calls.append(now[0]))
    for step in range(0, 70, 5):  # a sweep every 5 s for 70 s
        now[0] = 1000.0 + step
        task()
    assert calls == [1000.0, 1030.0, 1060.0]


def test_no_rule_runs_before_the_database_is_migrated(tmp_path):
    """The first `make run` migrates while the app is already up: a sweep before that would
    query tables and columns that do not exist yet (a traceback on the first start)."""
    from services.db import Database
    from services.migrate import is_current, upgrade_to_head

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    database = Database(url)
    ran = []
    sweep = sweeper.Sweeper(
        [lambda: ran.append(1)], interval=1, ready=lambda: is_current(database.engine)
    )
    sweep.sweep_once()
    assert ran == []  # an empty database: not ready
    upgrade_to_head(url)
    sweep.sweep_once()
    sweep.sweep_once()
    assert ran == [1, 1]
    database.dispose()
