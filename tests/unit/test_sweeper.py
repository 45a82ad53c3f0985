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
