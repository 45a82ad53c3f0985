"""Figures about a server's worker processes, read from /proc."""

from __future__ import annotations

import os
from pathlib import Path

from bench.restarts import worker_pids


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker_pid(master: int) -> int:
    """The one worker of a server on the embedded default."""
    (pid,) = worker_pids(master)
    return pid
