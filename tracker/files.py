"""Files the commands write (`report -o`, `export`): never over an existing file unless asked,
never through a symbolic link, never half-written.

A report or export is written to a temporary file beside the target, flushed to disk, then
renamed over it: a full disk or an interruption leaves the target as it was (and no fragment).
A symbolic link at the target is refused even with `--force`: following it would write onto
whatever file it points to (another user's file, a configuration file).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


class TargetRefused(Exception):
    """The target path cannot be written as asked; the message says why and what to do."""


def check_target(path: Path, *, force: bool) -> None:
    """Refuse a symbolic link at `path`, and an existing file or folder unless `force`."""
    if path.is_symlink():
        raise TargetRefused(
            f"{path} is a symbolic link: give the path of a real file (a link is never followed)"
        )
    if path.exists() and not force:
        raise TargetRefused(f"{path} exists: choose a new name, or add --force to replace it")
    if path.is_dir():
        raise TargetRefused(f"{path} is a folder: give the path of a file")


def temporary_beside(path: Path) -> Path:
    """A fresh name in the target's folder (a rename within one file system is atomic)."""
    return path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"


def write_atomically(path: Path, data: bytes, *, force: bool) -> None:
    """Write `data` to `path` through a temporary file and a rename (see the module docstring)."""
    check_target(path, force=force)
    staging = temporary_beside(path)
    try:
        # O_EXCL: the temporary name is never an existing file or link.
        descriptor = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        check_target(path, force=force)  # nothing appeared at the target meanwhile
        os.replace(staging, path)
    except BaseException:
        staging.unlink(missing_ok=True)
        raise
