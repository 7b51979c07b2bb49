"""The endpoints of objects that their name addresses: namespaces, admin partitions and peerings.

Rules:
- ``GET``/``PUT``/``DELETE /v1/<one>/<name>`` read, replace and delete one object;
  ``PUT /v1/<one>`` creates one (a namespace, a partition); ``GET /v1/<many>`` lists them.
- A name argument is a string, a mapping with ``"Name"``, or the typed model.
- A spec is a name, a mapping in Consul's shape or the model; the builder's keyword fields
  override it (None: not given), and it must carry a name.
- A kind's `NamedObjects` names the option bundles of its reads and of its writes as its type
  arguments (``NamedObjects[Peering, PartitionedReadOptions, PartitionedWriteOptions]``), and
  its builders hand their own bundle on whole: the type checkers refuse a builder whose bundle
  lacks an option of its kind's (a peering read without ``partition``), and what the builder's
  bundle holds is what reaches the request (`_options.builder`, `_common.make_call`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, TypeVar, cast

import attrs

from consul_core import _params
from consul_core.call import Call
from consul_core.endpoints import _acl, _docs
from consul_core.endpoints._common import (
    dc_call,
    decode_ok,
    indexed_read,
    model,
    model_list,
)
from consul_core.endpoints._options import SCOPE, UnindexedReadOptions, WriteOptions
from consul_core.errors import UsageError
from consul_core.meta import QueryMeta

M = TypeVar("M")
# The bundles of a kind's reads and of its writes (a read's may add ``watch``, and either
# ``partition``: what every kind's read and write take is the bound).
R = TypeVar("R", bound=UnindexedReadOptions)
W = TypeVar("W", bound=WriteOptions)

_NAME_SOURCES = (("Name", "name"),)
# The options of a call, among a builder's fields (the bundle's keys that `W` may hold).
_CALL_OPTIONS = frozenset({"dc", "token", *SCOPE})


def name_segment(value: object, what: str) -> str:
    """The name that `value` (a string, a mapping with ``"Name"`` or a model) names, escaped
    to stand as one path segment.
    """
    return _params.id_segment(value, what, _NAME_SOURCES)


def opt_str_map(value: object, name: str) -> dict[str, str] | None:
    """A mapping of str to str argument, or None when not given."""
    return None if value is None else _params.check_str_map(value, name)


@attrs.frozen
class NamedObjects(Generic[M, R, W]):
    """The endpoints of one kind of object addressed by its name, whose reads take the options
    of bundle `R` and whose writes those of bundle `W`.

    Attributes:
        one: The path word for one object (``"namespace"``).
        many: The path word for the listing (``"namespaces"``).
        model: The model that the replies decode to.
        argument: The builders' parameter that names one, for error messages and docstrings.
    """

    one: str
    many: str
    model: type[M]
    argument: str

    @property
    def docs(self) -> _docs.Sentences:
        """The sentences of its builders' docstrings."""
        return _docs.sentences(
            self.one,
            self.many,
            self.argument,
            self.model.__name__,
            "Name",
            new="Its name, or a spec: a mapping in Consul's shape or {a} `{model}`",
            whole="The whole {one}, e.g. the one `read` returned (its name says which), or its "
            "name alone",
        )

    def spec(self, value: object, fields: Mapping[str, object], **json: object) -> dict[str, Any]:
        """The spec that `value` (a name, a mapping in Consul's shape or a model) and a
        builder's `fields` (its ``description``) and other JSON fields `json` describe (None:
        not given).

        Raises:
            UsageError: `value` is none of those, or the spec has no name.
        """
        if isinstance(value, str):
            value = {"Name": value}
        description = _acl.opt_str(fields.get("description"), "description")
        spec = _acl.spec_of(value, self.argument, self.model)
        spec = _acl.merged(spec, Description=description, **json)
        if not isinstance(spec.get("Name"), str) or not spec["Name"]:
            raise UsageError(f"a {self.argument} needs a non-empty Name")
        return spec

    def path(self, ref: object) -> str:
        """The path of the object that `ref` (a name, a mapping or a model) names."""
        return f"/v1/{self.one}/{name_segment(ref, self.argument)}"

    def create(self, spec: Mapping[str, Any], options: W) -> Call[M]:
        """``PUT /v1/<one>``: create the object `spec` describes; of `options` (a builder's
        fields too), only the call's options count.
        """
        return self._write(f"/v1/{self.one}", spec, options)

    def update(self, spec: Mapping[str, Any], options: W) -> Call[M]:
        """``PUT /v1/<one>/<name>``: replace the object `spec` names with `spec`; of
        `options`, as for `create`.
        """
        return self._write(self.path(spec), spec, options)

    def _write(self, path: str, spec: Mapping[str, Any], options: W) -> Call[M]:
        sent = cast(W, {key: value for key, value in options.items() if key in _CALL_OPTIONS})
        return dc_call("PUT", path, model(self.model), body=spec, **sent)

    def read(self, ref: object, options: R) -> Call[tuple[M, QueryMeta]]:
        """``GET /v1/<one>/<name>``: read the object `ref` names (a 404 raises `NotFound`)."""
        return indexed_read(self.path(ref), model(self.model), **options)

    def delete(self, ref: object, options: W) -> Call[bool]:
        """``DELETE /v1/<one>/<name>``: delete the object `ref` names."""
        return dc_call("DELETE", self.path(ref), decode_ok, **options)

    def items(self, options: R) -> Call[tuple[list[M], QueryMeta]]:
        """``GET /v1/<many>``: list the objects."""
        return indexed_read(f"/v1/{self.many}", model_list(self.model), **options)
