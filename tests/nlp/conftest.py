"""Fixtures for the nlp tests: two real election files with different candidate names."""

from __future__ import annotations

import pytest

from nlp.election import load_election_yaml
from nlp.types import ElectionSpec
from tests.nlp.helpers import ELECTIONS


@pytest.fixture(scope="session")
def spec_a() -> ElectionSpec:
    return load_election_yaml(ELECTIONS / "pilkada-contoh-2024.yaml")


@pytest.fixture(scope="session")
def spec_b() -> ElectionSpec:
    return load_election_yaml(ELECTIONS / "pilbup-sungai-rindang-2024.yaml")
