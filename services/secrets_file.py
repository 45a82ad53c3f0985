"""A secret kept in a file of the instance folder, made on first start."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path


def create_once(path: Path, make: Callable[[], bytes]) -> None:
    """Write `make()` to `path` unless it exists, readable by the owner only. Several workers
    start at once on a new install: the secret is written whole under a name of its own and
    then linked into place, which fails for all but the first, so every worker reads the same
    complete secret and none meets a half-written file."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(make())
            out.flush()
            os.fsync(out.fileno())
        os.link(draft, path)
    except FileExistsError:  # another worker's is in place: that one is the secret
        pass
    finally:
        draft.unlink()
