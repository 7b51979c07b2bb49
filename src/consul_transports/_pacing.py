"""The pacing a driver gives the helpers: the user's, with the standard library's random source
for jitter (consul_core draws no randomness itself).
"""

from __future__ import annotations

import random

import attrs

from consul_core.flows import Pacing

__all__ = ["driver_pacing"]


def driver_pacing(pacing: Pacing | None) -> Pacing:
    """`pacing` (default `Pacing()`) with `random.random` as its random source if it has none."""
    pacing = pacing if pacing is not None else Pacing()
    if pacing.random is None:
        pacing = attrs.evolve(pacing, random=random.random)
    return pacing
