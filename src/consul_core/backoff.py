"""Backoff after errors: a pure, exponential sequence of delays with a cap.

Rules:
- The delays grow from `initial` by `multiplier` up to `maximum`, then stay there.
- Jitter comes only from a random source passed in (`random() -> float in [0, 1)`); without one
  the sequence is exact. This module draws no randomness and reads no clock.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from consul_core.errors import UsageError

__all__ = ["Backoff", "RandomSource"]

RandomSource = Callable[[], float]


def _positive(_: Any, attribute: attrs.Attribute[float], value: float) -> None:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise UsageError(f"{attribute.name} must be a number of seconds, not {value!r}")
    if not value > 0 or math.isinf(value):
        raise UsageError(f"{attribute.name} must be a positive, finite number, got {value!r}")


def _fraction(_: Any, attribute: attrs.Attribute[float], value: float) -> None:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
        raise UsageError(f"{attribute.name} must be between 0 and 1, got {value!r}")


@attrs.frozen
class Backoff:
    """How long to wait after consecutive errors.

    Attributes:
        initial: The first delay, in seconds.
        maximum: The cap on any delay, in seconds.
        multiplier: How much each delay grows over the previous one (at least 1).
        jitter: The fraction of a delay that randomness may take off (0: none, 1: all of it),
            applied only when `delays` is given a random source.
    """

    initial: float = attrs.field(default=0.25, validator=_positive)
    maximum: float = attrs.field(default=30.0, validator=_positive)
    multiplier: float = attrs.field(default=2.0, validator=_positive)
    jitter: float = attrs.field(default=0.2, validator=_fraction)

    def __attrs_post_init__(self) -> None:
        if self.multiplier < 1:
            raise UsageError(f"multiplier must be at least 1, got {self.multiplier!r}")
        if self.maximum < self.initial:
            raise UsageError("maximum must not be smaller than initial")

    def delays(self, random: RandomSource | None = None) -> Iterator[float]:
        """The delays to wait after the first, second, ... consecutive error.

        Args:
            random: A source of floats in ``[0, 1)`` for jitter; None for exact delays.

        Yields:
            Seconds to wait, endlessly.
        """
        delay = self.initial
        while True:
            if random is not None and self.jitter:
                yield delay * (1 - self.jitter * random())
            else:
                yield delay
            delay = min(delay * self.multiplier, self.maximum)
