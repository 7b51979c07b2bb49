"""The backoff: exact exponential delays with a cap; jitter only from an injected source."""

from __future__ import annotations

from itertools import islice

import pytest

from consul_core import UsageError
from consul_core.backoff import Backoff


def test_delays_grow_exponentially_up_to_the_cap() -> None:
    delays = Backoff(initial=1, maximum=10, multiplier=2).delays()
    assert list(islice(delays, 7)) == [1, 2, 4, 8, 10, 10, 10]


def test_a_multiplier_of_one_is_a_constant_delay() -> None:
    assert list(islice(Backoff(initial=0.5, multiplier=1).delays(), 3)) == [0.5, 0.5, 0.5]


def test_jitter_comes_only_from_the_injected_source() -> None:
    policy = Backoff(initial=1, maximum=8, multiplier=2, jitter=0.5)
    draws = iter([0.0, 0.5, 0.999])
    assert list(islice(policy.delays(lambda: next(draws)), 3)) == pytest.approx([1, 1.5, 2.002])
    assert list(islice(policy.delays(), 3)) == [1, 2, 4]


def test_no_jitter_ignores_the_source() -> None:
    policy = Backoff(initial=1, jitter=0)
    assert list(islice(policy.delays(lambda: 0.9), 2)) == [1, 2]


def test_each_sequence_starts_again() -> None:
    policy = Backoff(initial=1)
    first = policy.delays()
    next(first), next(first)
    assert next(policy.delays()) == 1


@pytest.mark.parametrize(
    "options",
    [
        {"initial": 0},
        {"initial": -1},
        {"maximum": float("inf")},
        {"multiplier": 0.5},
        {"initial": 5, "maximum": 1},
        {"jitter": 1.5},
        {"jitter": -0.1},
        {"initial": True},
        {"initial": "1s"},
    ],
)
def test_invalid_policies_are_usage_errors(options: dict[str, object]) -> None:
    with pytest.raises(UsageError):
        Backoff(**options)  # type: ignore[arg-type]
