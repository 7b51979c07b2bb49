"""Static checks (mypy --strict and pyright): the models' fields have the types of their values
(a timestamp is a `datetime`, a duration a `timedelta`, whatever msgspec is shown to decode them),
the models are frozen, and their constructors take their fields by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from msgspec.structs import replace
from typing_extensions import assert_type

from consul_core.models import (
    ACLToken,
    HealthCheckDefinition,
    KeyValue,
    Locality,
    Node,
    ServiceDefaults,
    ServiceEntry,
    Session,
)


def fields(token: ACLToken, definition: HealthCheckDefinition, session: Session) -> None:
    assert_type(token.create_time, datetime | None)
    assert_type(token.expiration_ttl, timedelta | None)
    assert_type(token.hash, bytes)
    assert_type(token.unknown_fields, Mapping[str, Any])
    assert_type(definition.interval, timedelta)
    assert_type(session.lock_delay, timedelta)
    assert_type(session.ttl, timedelta | None)


def entries(entry: ServiceEntry, kv: KeyValue) -> None:
    assert_type(entry.service.tags, list[str])
    assert_type(entry.node.meta, dict[str, str])
    assert_type(kv.value, bytes | None)
    assert_type(kv.session, str | None)
    entry.node = Node("n")  # type: ignore[misc]
    kv.flags = 1  # type: ignore[misc]


def construction() -> None:
    assert_type(ServiceDefaults("web", protocol="http"), ServiceDefaults)
    assert_type(KeyValue("k", b"v", modify_index=3), KeyValue)
    assert_type(Node("n", unknown_fields={"Future": "f"}), Node)
    assert_type(replace(Node("n"), address="10.0.0.1"), Node)
    Node(node="n", future="f")  # type: ignore[call-arg]
    assert_type(Node("n", partition="p").locality, Locality | None)
