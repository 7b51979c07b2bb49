"""`Stop.wait_for`: a thread's wait for a connection (or a blocking share) in a watch's step
ends when the step is stopped from another thread, whenever the stop comes; outside a step it
is the condition's own wait. (The integration tests close real watches waiting so.)
"""

from __future__ import annotations

import threading
import time

import pytest

from consul_transports._stop import Interrupted, Stop, current_step


def _wait_in_step(stop: Stop, condition: threading.Condition, outcome: list[object]) -> None:
    """Wait for a condition never met, in a step of `stop`; record how the wait ended."""
    with stop:
        try:
            with condition:
                outcome.append(Stop.wait_for(condition, lambda: False, 60))
        except Interrupted:
            outcome.append(Interrupted)
            raise


def test_a_stop_wakes_the_wait_of_the_step_under_way() -> None:
    stop, condition, outcome = Stop(), threading.Condition(), []
    waiter = threading.Thread(target=_wait_in_step, args=(stop, condition, outcome))
    waiter.start()
    bound = time.monotonic() + 10
    while not stop._conditions and time.monotonic() < bound:  # the wait is registered
        time.sleep(0.005)
    assert stop._conditions
    assert stop.cancel() is False  # a step was under way: it ends itself
    waiter.join(10)
    assert not waiter.is_alive()
    assert outcome == [Interrupted]
    assert not stop._conditions


def test_a_step_stopped_before_it_waits_does_not_wait() -> None:
    stop, condition, outcome = Stop(), threading.Condition(), []
    stop.cancel()
    started = time.monotonic()
    _wait_in_step(stop, condition, outcome)  # Stop's exit takes the Interrupted
    assert outcome == [Interrupted]
    assert time.monotonic() - started < 5


def test_outside_a_step_it_is_the_conditions_own_wait() -> None:
    condition = threading.Condition()
    assert current_step.get() is None
    with condition:
        assert Stop.wait_for(condition, lambda: False, 0.01) is False
        assert Stop.wait_for(condition, lambda: 1, 0.01) is True


def test_a_step_whose_wait_is_met_goes_on() -> None:
    stop, condition = Stop(), threading.Condition()
    with stop, condition:
        assert Stop.wait_for(condition, lambda: True, 60) is True
    with stop, condition, pytest.raises(Interrupted):
        stop.cancel()  # stopped while its wait was met: the stop wins
        Stop.wait_for(condition, lambda: True, 60)
