"""R's published data sets (see README.md in this folder), read once."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

HERE = Path(__file__).parent
LIPSET = ("DEV", "URB", "LIT", "IND", "STB")
CEBOTARI_VINK = ("DEMOC", "ETHFRACT", "GEOCON", "POLDIS", "NATPRIDE")


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(HERE / f"{name}.csv", index_col="case")


@pytest.fixture(scope="session")
def lipset_raw() -> pd.DataFrame:
    return read("LR")


@pytest.fixture(scope="session")
def lipset_crisp() -> pd.DataFrame:
    return read("LC")


@pytest.fixture(scope="session")
def lipset_fuzzy() -> pd.DataFrame:
    return read("LF")


@pytest.fixture(scope="session")
def cebotari_vink() -> pd.DataFrame:
    return read("CVF")
