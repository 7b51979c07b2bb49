"""The models' ``Attributes:`` sections completed at import (``consul_core.models._docs``) and the
unexported bases that hold fields several models share."""

from __future__ import annotations

import inspect
import re

import msgspec

import consul_core.models
from consul_core._codec import from_json, is_model, to_json
from consul_core.models import (
    ACLPolicy,
    GaugeValue,
    HTTPRouteQueryMatch,
    IntentionHTTPPermission,
    ServiceResolverRedirect,
    ServiceRouteDestination,
)
from consul_core.models._shared import Indexed

MODELS = [
    cls
    for name in consul_core.models.__all__
    if isinstance(cls := getattr(consul_core.models, name), type) and is_model(cls)
]


def _attributes(cls: type) -> list[str]:
    return re.findall(r"^    (\w+):", (inspect.getdoc(cls) or "").split("Attributes:")[-1], re.M)


def _documented(cls: type) -> dict[str, str]:
    lines = (inspect.getdoc(cls) or "").splitlines()
    return dict(re.findall(r"^    (\w+): (.*)$", "\n".join(lines), re.M))


def test_shared_lines_and_base_lines_complete_a_section_in_field_order() -> None:
    assert _attributes(ACLPolicy) == [
        "id", "name", "description", "rules", "datacenters", "hash", "namespace",
        "create_index", "modify_index",
    ]  # fmt: skip
    assert _documented(ACLPolicy)["namespace"] == "(Enterprise) Its namespace."  # shared
    assert _documented(ACLPolicy)["modify_index"] == "The index of its last change."  # Indexed
    assert _attributes(IntentionHTTPPermission)[:4] == [
        "path_exact", "path_prefix", "path_regex", "header",
    ]  # fmt: skip


def test_a_model_s_own_line_wins_over_its_base_s_and_the_shared_one() -> None:
    assert _documented(ServiceRouteDestination)["service"] == "The service (default the router's)."
    assert _documented(ServiceResolverRedirect)["service"] == "The service."
    assert _documented(HTTPRouteQueryMatch)["name"] == "The parameter's name."
    assert _documented(HTTPRouteQueryMatch)["value"] == "The value to compare with."


def test_a_docstring_without_the_section_is_left_as_written() -> None:
    assert "Attributes:" not in (GaugeValue.__doc__ or "")


def test_every_section_lists_its_fields_in_their_order() -> None:
    for cls in MODELS:
        order = [info.name for info in msgspec.structs.fields(cls)]
        listed = [name for name in _attributes(cls) if name in order]
        assert listed == sorted(listed, key=order.index), cls.__name__


def test_the_indexes_stay_last_in_json_and_repr_and_are_keywords() -> None:
    policy = from_json(ACLPolicy, {"ID": "p", "Namespace": "ns", "CreateIndex": 3, "X": 1})
    assert list(to_json(policy)) == ["ID", "Namespace", "CreateIndex", "X"]
    assert repr(policy).endswith("namespace='ns', create_index=3, modify_index=0)")
    parameters = inspect.signature(ACLPolicy).parameters
    assert parameters["create_index"].kind is inspect.Parameter.KEYWORD_ONLY
    assert parameters["namespace"].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert sum(issubclass(cls, Indexed) for cls in MODELS) >= 20
