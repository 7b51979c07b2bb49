"""The watch that follows a content hash (a local agent service), scripted effect by effect;
and the connect watches' reads.
"""

from __future__ import annotations

from typing import Any

import pytest

from consul_core import ConnectError, PermissionDenied, Response, UsageError
from consul_core.backoff import Backoff
from consul_core.endpoints import connect, services
from consul_core.flows import Pacing, Stream, watch_hash
from consul_core.flows.watch import blocking_read, watch
from consul_core.models import AgentService
from tests.core.flowscript import Script, reply

PACING = Pacing(min_interval=0.1, backoff=Backoff(initial=0.25, maximum=1, jitter=0))
PATH = "/v1/agent/service/web-1"


def service_watch(*, pacing: Pacing = PACING, **kwargs: Any) -> Stream[Any]:
    read, start, wait = services.info_reads("web-1", **kwargs)
    return watch_hash(read, lambda s: s.content_hash, pacing=pacing, start=start, wait=wait)


def instance(content_hash: str, port: int = 80) -> Response:
    body = {"ID": "web-1", "Service": "web", "Port": port, "ContentHash": content_hash}
    return reply(body=body)


def port(item: tuple[AgentService | None, Any]) -> int | None:
    found, _ = item
    return found.port if found else None


def test_each_read_blocks_on_the_hash_of_the_last_instance() -> None:
    script = Script(service_watch(watch=("", "30s")))
    script.call("GET", PATH, instance("aaaa"))
    assert port(script.emit()) == 80
    script.now(10.0)
    request = script.call("GET", f"{PATH}?hash=aaaa&wait=30s", instance("bbbb", 81))
    assert request.timeout == pytest.approx(30 + 30 / 16 + 5)
    assert port(script.emit()) == 81
    script.now(20.0)
    # The wait ran out with the same hash: nothing to hand out; block again.
    script.call("GET", f"{PATH}?hash=bbbb&wait=30s", instance("bbbb", 81))
    script.now(50.0)
    script.call("GET", f"{PATH}?hash=bbbb&wait=30s", instance("cccc", 82))
    assert port(script.emit()) == 82
    script.close()


def test_a_watch_given_an_instance_starts_after_it() -> None:
    current = AgentService(id="web-1", service="web", content_hash="aaaa")
    script = Script(service_watch(watch=current))
    script.now(0.0)
    script.call("GET", f"{PATH}?hash=aaaa&wait=300s", instance("bbbb", 81))
    assert port(script.emit()) == 81
    script.close()


def test_a_missing_instance_is_none_once_then_read_again_after_the_backoff() -> None:
    script = Script(service_watch())
    script.call("GET", PATH, instance("aaaa"))
    script.emit()
    script.now(0.0)
    script.call("GET", f"{PATH}?hash=aaaa&wait=300s", reply(404, b""))
    assert port(script.emit()) is None
    script.sleep(0.25)  # nothing to block on: back off
    script.call("GET", PATH, reply(404, b""))  # still missing: not news
    script.sleep(0.5)
    script.call("GET", PATH, instance("aaaa"))  # back as it was: news again
    assert port(script.emit()) == 80
    script.now(5.0)
    script.call("GET", f"{PATH}?hash=aaaa&wait=300s", instance("bbbb", 81))
    assert port(script.emit()) == 81
    script.close()


def test_errors_back_off_then_read_without_blocking_and_skip_an_unchanged_hash() -> None:
    script = Script(service_watch())
    script.call("GET", PATH, instance("aaaa"))
    script.emit()
    script.now(0.0)
    script.call("GET", f"{PATH}?hash=aaaa&wait=300s", ConnectError("connection refused"))
    script.sleep(0.25)
    script.call("GET", PATH, reply(500, b"rpc error"))
    script.sleep(0.5)
    script.call("GET", PATH, instance("aaaa"))  # unchanged after the errors: not news
    script.now(1.0)
    script.call("GET", f"{PATH}?hash=aaaa&wait=300s", instance("bbbb", 81))
    assert port(script.emit()) == 81
    script.close()


def test_other_errors_end_the_watch() -> None:
    script = Script(service_watch())
    script.call("GET", PATH, reply(403, b"Permission denied"))
    script.raises(PermissionDenied)


def test_blocking_reads_in_a_row_are_rate_limited() -> None:
    script = Script(service_watch())
    script.call("GET", PATH, instance("a"))
    script.emit()
    script.now(10.0)
    script.call("GET", f"{PATH}?hash=a&wait=300s", instance("b"))
    script.emit()
    script.now(10.04)
    script.sleep(0.06)
    script.call("GET", f"{PATH}?hash=b&wait=300s", instance("c"))
    script.emit()
    script.close()


@pytest.mark.parametrize(
    "watch_arg", ["", ("", "soon"), (3, "1s"), AgentService(id="web-1"), ("aaaa", -1)]
)
def test_bad_arguments_are_refused_before_any_request(watch_arg: Any) -> None:
    with pytest.raises(UsageError):
        services.info_reads("web-1", watch=watch_arg)
    with pytest.raises(UsageError):
        services.info_reads("", watch=None)


def test_a_leaf_watch_blocks_on_the_index_and_hands_out_each_renewal() -> None:
    read, index, wait = blocking_read(connect.agent_leaf, ("web",), {"watch": (0, "30s")})
    script = Script(watch(read, pacing=PACING, index=index, wait=wait))
    leaf = "/v1/agent/connect/ca/leaf/web"
    script.call("GET", leaf, reply(body={"SerialNumber": "0a", "Service": "web"}, index=7))
    first, meta = script.emit()
    assert (first.serial_number, meta.index) == ("0a", 7)
    script.now(0.0)
    renewed = reply(body={"SerialNumber": "0b", "Service": "web"}, index=9)
    script.call("GET", f"{leaf}?index=7&wait=30s", renewed)
    second, meta = script.emit()
    assert (second.serial_number, meta.index) == ("0b", 9)
    script.close()
