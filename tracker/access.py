"""Who is acting: the `Actor` every read and write takes.

The local operator (no `--as`, or a dashboard on a database without users) acts as
administrator. Users, roles and scoping by institution and portfolio build on this.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Actor:
    name: str
    role: str = "admin"
    # Institutions an evaluator writes for or an institution viewer reads; funders' portfolios.
    institutions: frozenset[str] = field(default_factory=frozenset)
    portfolios: frozenset[str] = field(default_factory=frozenset)
    local: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class PermissionRefused(Exception):
    """The acting user may not do this; the message says what and why."""


def local_operator() -> Actor:
    """The person at this machine, acting as administrator (no users involved)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return Actor(name=f"local:{user}", role="admin", local=True)
