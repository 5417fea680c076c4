"""The permission hook every write passes through.

Administrators write anything; evaluators write only for the institutions assigned to them;
institution viewers and funders only read.
"""

from __future__ import annotations

from collections.abc import Iterable

from tracker.access import Actor, PermissionRefused


def check_write(actor: Actor, institutions: Iterable[str], *, shared: bool = False) -> None:
    """Refuse unless `actor` may write rows of these institutions.

    `shared` marks definitions every institution uses (indicators, places, portfolios):
    only administrators change those.
    """
    if actor.is_admin:
        return
    if actor.role != "evaluator":
        raise PermissionRefused(f"{actor.name} ({actor.role}) may read but not write.")
    if shared:
        raise PermissionRefused(
            f"{actor.name} (evaluator) may not change shared definitions "
            "(places, institutions, indicators, portfolios); ask an administrator."
        )
    outside = sorted(set(institutions) - set(actor.institutions))
    if outside:
        raise PermissionRefused(
            f"{actor.name} (evaluator) is not assigned to: {', '.join(outside)}."
        )
