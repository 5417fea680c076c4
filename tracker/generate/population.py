"""Who is in a synthetic portfolio: places, institutions, portfolios, and how committed each is.

The proportions of institution kinds follow England roughly: mostly schools, some trusts (the
parents of about half the schools), a council per place, and a few health, police and voluntary
bodies. Each institution carries a hidden *commitment* in [0, 1] that the other parts of the
generator read, so that outcomes hang together the way they do in the field: committed
institutions adopt more structural changes, improve their indicators, reverse costly decisions
because of their communities and keep their changes through turnovers more often.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tracker.generate.timeframe import pick

# Share of each kind (vocab.INSTITUTION_KINDS) and the prefix of its keys.
KIND_SHARES = {
    "local_authority": 0.06,
    "school": 0.78,
    "trust": 0.07,
    "health": 0.03,
    "police": 0.01,
    "voluntary": 0.04,
    "other": 0.01,
}
KEY_PREFIX = {
    "local_authority": "la",
    "school": "sch",
    "trust": "mat",
    "health": "nhs",
    "police": "pol",
    "voluntary": "vcs",
    "other": "org",
}
_NAME_SUFFIX = {
    "local_authority": ["Council"],
    "school": ["Primary School", "Academy", "High School", "Community School", "Junior School"],
    "trust": ["Learning Trust", "Academy Trust", "Education Partnership"],
    "health": ["Community Health Services", "Integrated Care Partnership"],
    "police": ["Police"],
    "voluntary": ["Community Foundation", "Neighbourhood Network", "Youth Trust"],
    "other": ["Housing Association", "Leisure Trust"],
}
_PLACE_HEADS = [
    "Ash", "Bar", "Brook", "Cald", "Dun", "Elm", "Fair", "Glen", "Hart", "Holm", "Kings", "Lang",
    "Mar", "North", "Oak", "Pen", "Red", "Rose", "Stan", "Thorn", "Wal", "West", "Whit", "Wy",
]
_PLACE_TAILS = [
    "bridge", "bury", "by", "dale", "field", "ford", "gate", "ham", "holme", "ley", "mouth",
    "moor", "stead", "stow", "thorpe", "ton", "wick", "worth",
]
REGIONS = [
    "North East", "North West", "Yorkshire and the Humber", "East Midlands", "West Midlands",
    "East of England", "London", "South East", "South West",
]


@dataclass(frozen=True)
class Population:
    """The institutions as arrays (position i is institution i) and the shared tables."""

    keys: np.ndarray  # object array of str
    kinds: np.ndarray  # object array of str
    commitment: np.ndarray  # float in [0, 1]
    places: pd.DataFrame
    institutions: pd.DataFrame
    portfolios: pd.DataFrame

    @property
    def size(self) -> int:
        return len(self.keys)


def kind_counts(institutions: int) -> dict[str, int]:
    """How many institutions of each kind: the shares rounded by largest remainder, with at
    least one of each kind when there are enough institutions for every kind to appear."""
    exact = {kind: share * institutions for kind, share in KIND_SHARES.items()}
    counts = {kind: int(value) for kind, value in exact.items()}
    if institutions >= len(KIND_SHARES):
        counts = {kind: max(count, 1) for kind, count in counts.items()}
    by_remainder = sorted(exact, key=lambda kind: exact[kind] - int(exact[kind]), reverse=True)
    for kind in by_remainder[: max(0, institutions - sum(counts.values()))]:
        counts[kind] += 1
    # The minimum of one each can overshoot at small sizes: schools give way.
    counts["school"] -= sum(counts.values()) - institutions
    return counts


def _place_names(count: int, rng: np.random.Generator) -> np.ndarray:
    names = np.array([head + tail for head in _PLACE_HEADS for tail in _PLACE_TAILS], dtype=object)
    chosen = names[rng.permutation(len(names))]
    # More places than syllable pairs: a second round is told apart by a compass point.
    rounds = [chosen] + [
        np.array([f"{name} {side}" for name in chosen], dtype=object)
        for side in ("East", "West", "North", "South", "Central")
    ]
    return np.concatenate(rounds)[:count]


def place_count(institutions: int) -> int:
    # England has about 150 upper-tier councils and 300 districts; a place holds ~80 bodies.
    return int(min(institutions, max(3, min(institutions // 80, 320))))


def _places(count: int, rng: np.random.Generator) -> pd.DataFrame:
    names = _place_names(count, rng)
    keys = np.array([f"pl-{i + 1:03d}" for i in range(count)], dtype=object)
    fsm = np.round(rng.beta(2.0, 5.0, size=count), 3)
    population = np.round(rng.lognormal(np.log(180.0), 0.6, size=count), 1)
    region = pick(rng, REGIONS, count)
    return pd.DataFrame(
        {
            "key": keys,
            "name": names,
            "notes": "Synthetic place in the " + pd.Series(region, dtype=object) + " region.",
            "context:fsm_share": fsm,
            "context:population_thousands": population,
            "_region": region,
        }
    )


def _institution_names(
    kinds: np.ndarray, place_names: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    suffix = np.empty(len(kinds), dtype=object)
    for kind, options in _NAME_SUFFIX.items():
        mask = kinds == kind
        suffix[mask] = pick(rng, options, int(mask.sum()))
    base = pd.Series(place_names, dtype=object) + " " + pd.Series(suffix, dtype=object)
    # Two schools of one name in one place are told apart by a number, as people do.
    repeat = base.groupby(base).cumcount() + 1
    named = base.where(repeat == 1, base + " " + repeat.astype(str))
    return named.to_numpy(dtype=object)


def make_population(institutions: int, rng: np.random.Generator) -> Population:
    """Places, institutions (with places and parent trusts) and portfolios for `institutions`."""
    if institutions < 1:
        raise ValueError("a synthetic portfolio holds at least one institution")
    counts = kind_counts(institutions)
    kinds = np.concatenate([np.full(n, kind, dtype=object) for kind, n in counts.items()])
    kinds = kinds[rng.permutation(institutions)]
    prefixes = np.array([KEY_PREFIX[k] for k in kinds], dtype=object)
    keys = np.array(
        [f"{prefix}-{i + 1:05d}" for i, prefix in enumerate(prefixes)], dtype=object
    )
    places = _places(place_count(institutions), rng)
    place_index = rng.integers(0, len(places), size=institutions)
    # A council serves its own place: the councils take the places in turn.
    councils = np.flatnonzero(kinds == "local_authority")
    place_index[councils] = np.arange(len(councils)) % len(places)
    parent = np.full(institutions, None, dtype=object)
    trusts = np.flatnonzero(kinds == "trust")
    schools = np.flatnonzero(kinds == "school")
    if len(trusts):
        in_trust = schools[rng.random(len(schools)) < 0.5]
        parent[in_trust] = keys[trusts[rng.integers(0, len(trusts), size=len(in_trust))]]
    names = _institution_names(kinds, places["name"].to_numpy()[place_index], rng)
    commitment = rng.beta(2.0, 2.0, size=institutions)
    institution_frame = pd.DataFrame(
        {
            "key": keys,
            "name": names,
            "kind": kinds,
            "place": places["key"].to_numpy()[place_index],
            "parent": parent,
            "notes": None,
        }
    )
    region = places["_region"].to_numpy()[place_index]
    return Population(
        keys=keys,
        kinds=kinds,
        commitment=commitment,
        places=places.drop(columns=["_region"]),
        institutions=institution_frame,
        portfolios=_portfolios(keys, region),
    )


def _portfolios(keys: np.ndarray, region: np.ndarray) -> pd.DataFrame:
    """A national funder follows everyone; a regional funder follows its region."""
    national = pd.DataFrame(
        {"portfolio": "national", "institution": keys, "name": "National programme (synthetic)"}
    )
    slug = pd.Series(region, dtype=object).str.lower().str.replace(" ", "-", regex=False)
    regional = pd.DataFrame(
        {
            "portfolio": ("region-" + slug).to_numpy(dtype=object),
            "institution": keys,
            "name": (pd.Series(region, dtype=object) + " programme (synthetic)").to_numpy(
                dtype=object
            ),
        }
    )
    return pd.concat([national, regional], ignore_index=True)
