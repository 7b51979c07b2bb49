"""Pieces the ACL builders share: naming objects, merging specs with keyword fields, the
endpoints of each kind of object (`ObjectEndpoints`), and keeping a legacy token's secret out
of errors.

Rules:
- An argument that names an object accepts its ID (or name), a mapping with the key Consul uses
  for it, or the typed model.
- A spec is a mapping in Consul's shape or a model; keyword fields given to a builder override
  the spec's; None means "not given".
- A legacy token's ID is its secret and travels in the path: such a request lists it in
  `Request.hidden`, so that its errors, log records and traces show the path with the secret
  replaced (see `hiding`).
- A call that names an existing object (read, update, clone, delete) raises `ACLNotFound` for
  both of Consul's answers when there is none (404, or 403 ``ACL not found``): see
  `naming_an_object`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

import attrs

from consul_core import _params
from consul_core._codec import DecodeError, is_model, to_json, unknown_json
from consul_core.call import Call
from consul_core.endpoints import _docs
from consul_core.endpoints._common import (
    Ref,
    dc_call,
    decode_bool,
    indexed_read,
    model,
    model_list,
    scope,
)
from consul_core.endpoints._options import (
    NamespacedReadOptions,
    NamespacedWriteOptions,
    ReadOptions,
    Unpack,
)
from consul_core.errors import UsageError, acl_not_found
from consul_core.http import Response
from consul_core.meta import QueryMeta
from consul_core.models.acl import (
    ACLAuthMethod,
    ACLLink,
    ACLNodeIdentity,
    ACLPolicy,
    ACLRole,
    ACLServiceIdentity,
    ACLToken,
)

T = TypeVar("T")
M = TypeVar("M")

# What builders accept where a spec links to a policy or role, or lists identities.
LinkLike = str | Mapping[str, Any] | ACLLink | ACLPolicy | ACLRole
ServiceIdentityLike = str | Mapping[str, Any] | ACLServiceIdentity
AuthMethodRef = Ref[ACLAuthMethod]
NodeIdentityLike = Mapping[str, Any] | ACLNodeIdentity

_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


def hiding(call: Call[T], secret: str) -> Call[T]:
    """`call`, whose path holds `secret`, made to keep it out of everything that shows the
    request: its errors, log records and traces.
    """
    return attrs.evolve(call, request=attrs.evolve(call.request, hidden=(secret,)))


def naming_an_object(call: Call[T]) -> Call[T]:
    """`call`, which names an existing ACL object, raising `ACLNotFound` when there is none."""
    return attrs.evolve(call, on_error=acl_not_found)


def ref(value: object, what: str, *, key: str = "ID", attr: str = "id") -> str:
    """The ID (or name) that `value` names: a string, a mapping with `key`, or a model's `attr`."""
    if is_model(type(value)):
        value = getattr(value, attr, None)
    return _params.to_id(value, what, key)


def segment(
    value: object,
    what: str,
    *,
    key: str = "ID",
    attr: str = "id",
    words: frozenset[str] = frozenset(),
) -> str:
    """`ref`, escaped to stand as one path segment. Consul's ACL handlers route on what follows
    their prefix (``<accessor>/clone``, ``name/<name>``), so a ``/`` is refused, and so are
    `words`, the handler's own (`_params.routed_segment`).
    """
    return _params.routed_segment(ref(value, what, key=key, attr=attr), what, words)


def name_segment(name: object, what: str = "name") -> str:
    """A name argument (a non-empty string), escaped to stand as one path segment."""
    return _params.segment(_params.check_str(name, what), what)


def listing(
    *, policy: object = None, role: object = None, auth_method: object = None
) -> _params.Params:
    """The query of a listing kept to the objects linked with `policy`, `role` or `auth_method`
    (None: no such filter).

    Raises:
        UsageError: A filter names nothing.
    """
    params: _params.Params = []
    if policy is not None:
        params.append(("policy", ref(policy, "policy")))
    if role is not None:
        params.append(("role", ref(role, "role")))
    if auth_method is not None:
        params.append(("authmethod", auth_method_name(auth_method)))
    return params


def auth_method_name(auth_method: object) -> str:
    """The name an auth method argument names: a string, a mapping with ``"Name"``, or a model."""
    return ref(auth_method, "auth_method", key="Name", attr="name")


# ``/v1/acl/token/self`` reads the token of the request itself.
TOKEN_WORDS = frozenset({"self"})


def accessor_id(value: object, what: str = "acl_token") -> str:
    """The accessor ID a token argument names, escaped for a path."""
    return segment(value, what, key="AccessorID", attr="accessor_id", words=TOKEN_WORDS)


def spec_of(
    value: object,
    what: str,
    model: type[Any],
    encode: Callable[[Any], Any] = to_json,
) -> dict[str, Any]:
    """A copy of a spec given as a mapping in Consul's shape, a `model`, or None (empty).

    Raises:
        UsageError: `value` is neither.
    """
    if value is None:
        return {}
    if isinstance(value, model):
        spec: dict[str, Any] = encode(value)
        return spec
    if isinstance(value, Mapping) and all(isinstance(k, str) for k in value):
        return {str(k): v for k, v in value.items()}
    raise UsageError(f"{what} must be a mapping of Consul's fields or a {model.__name__}")


def merged(spec: dict[str, Any], **fields: object) -> dict[str, Any]:
    """`spec` with the given JSON fields set, leaving out those that are None."""
    spec.update({key: value for key, value in fields.items() if value is not None})
    return spec


def new_spec(spec: dict[str, Any], what: str, key: str = "ID") -> dict[str, Any]:
    """Check that a spec for a new object does not choose the ID Consul assigns."""
    if spec.get(key):
        raise UsageError(f"Consul chooses the {key} of a new {what}: pass a spec without one")
    return spec


def opt_str(value: object, name: str, *, empty: bool = True) -> str | None:
    """A string argument, or None when not given."""
    return None if value is None else _params.check_str(value, name, empty=empty)


def opt_bool(value: object, name: str) -> bool | None:
    """A bool argument, or None when not given."""
    if value is None or isinstance(value, bool):
        return value
    raise UsageError(f"{name} must be a bool, not {type(value).__name__}")


def _sequence(values: object, name: str) -> Sequence[object]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise UsageError(f"{name} must be a list")
    return values


def str_list(values: object, name: str) -> list[str] | None:
    """A list of strings argument, or None when not given."""
    if values is None:
        return None
    return [_params.check_str(v, f"an item of {name}") for v in _sequence(values, name)]


def _link(value: object, name: str) -> dict[str, Any]:
    # A link read back keeps what a newer Consul added to it; a policy or role is only named.
    kept = unknown_json(value) if isinstance(value, ACLLink) else {}
    if is_model(type(value)):
        value = {"ID": getattr(value, "id", ""), "Name": getattr(value, "name", "")}
    elif isinstance(value, str):
        value = {"ID": value} if _UUID.fullmatch(value) else {"Name": value}
    if isinstance(value, Mapping):
        link = {key: value[key] for key in ("ID", "Name") if value.get(key)}
        if link and all(isinstance(v, str) for v in link.values()):
            return {**kept, **link}
    raise UsageError(
        f"each of {name} must be an ID, a name, a mapping with 'ID' or 'Name', or an object"
    )


def links(values: object, name: str) -> list[dict[str, Any]] | None:
    """Links to policies or roles: each an ID, a name, a mapping with ``ID``/``Name``, or a
    model; a string shaped like a UUID is an ID, any other a name. None when not given.
    """
    if values is None:
        return None
    return [_link(v, name) for v in _sequence(values, name)]


class Grants(NamespacedWriteOptions, total=False):
    """What a role or a token grants, as a builder's keyword fields (with the call's options)."""

    policies: Sequence[LinkLike] | None
    service_identities: Sequence[ServiceIdentityLike] | None
    node_identities: Sequence[NodeIdentityLike] | None


def grants(fields: Grants) -> dict[str, object]:
    """The JSON fields of `fields`' grants (None where not given: see `merged`)."""
    return {
        "Policies": links(fields.get("policies"), "policies"),
        "ServiceIdentities": identities(
            fields.get("service_identities"),
            "service_identities",
            ACLServiceIdentity,
            by_name="ServiceName",
        ),
        "NodeIdentities": identities(
            fields.get("node_identities"), "node_identities", ACLNodeIdentity
        ),
    }


def _identity(item: object, name: str, model: type[Any], by_name: str | None) -> Any:
    if by_name is not None and isinstance(item, str):
        return {by_name: _params.check_str(item, f"an item of {name}")}
    return spec_of(item, f"an item of {name}", model)


def identities(
    values: object, name: str, model: type[Any], *, by_name: str | None = None
) -> list[Any] | None:
    """Service or node identities: each a mapping in Consul's shape or a `model` (or, with
    `by_name`, a string naming it). None when not given.
    """
    if values is None:
        return None
    return [_identity(item, name, model, by_name) for item in _sequence(values, name)]


decode_token = model(ACLToken)


def decode_text(response: Response) -> str:
    """Decode a plain-text body.

    Raises:
        DecodeError: The body is not UTF-8.
    """
    try:
        return response.body.decode()
    except UnicodeDecodeError:
        raise DecodeError("the body is not UTF-8 text") from None


# The filters of `listing`, as ``Args:`` entries in a kind's words.
_LISTING_FILTERS = """\
    policy: Only the {many} linked with this policy: its ID, a mapping with ``"ID"``, or an
        `ACLPolicy`.
    role: Only the {many} linked with this role: its ID, a mapping with ``"ID"``, or an
        `ACLRole`.
    auth_method: Only the {many} linked with this auth method: its name, a mapping with
        ``"Name"``, or an `ACLAuthMethod`."""

# How Consul says that there is no such ACL object (see `naming_an_object`).
_ACL_NOT_FOUND = '(404, or 403 "ACL not found" on Consul 1.8)'


@attrs.frozen
class ObjectEndpoints(Generic[M]):
    """The endpoints of one kind of ACL object: ``PUT /v1/acl/<one>`` creates one;
    ``GET``/``PUT``/``DELETE /v1/acl/<one>/<segment>`` read, replace and delete one;
    ``GET /v1/acl/<many>`` lists them.

    Attributes:
        one: The path word for one object (``"binding-rule"``).
        many: The path word for the listing (``"binding-rules"``).
        model: The model that the replies decode to.
        arg: The builders' parameter that names one (``"rule"``), for messages and docstrings.
        key: The key of a mapping (a spec too) that names one.
        attr: The attribute of a model that names one.
        encode: How a spec given as a model becomes JSON.
        words: The words of the kind's path besides IDs (``"self"``), refused as one.
    """

    one: str
    many: str
    model: type[M]
    arg: str
    key: str = "ID"
    attr: str = "id"
    encode: Callable[[Any], Any] = to_json
    words: frozenset[str] = frozenset()

    @property
    def docs(self) -> _docs.Sentences:
        """The sentences of its builders' docstrings."""
        return _docs.sentences(
            self.one.replace("-", " "),
            self.many.replace("-", " "),
            self.arg,
            self.model.__name__,
            self.key,
            missing=f"ACLNotFound: The {{one}} does not exist {_ACL_NOT_FOUND}.",
            missing_name=f"ACLNotFound: No {{one}} has that name {_ACL_NOT_FOUND}.",
            deleted="True (Consul 1.8 also answers True when there is no such {one}).",
            new_spec="has an ID" if self.key == "ID" else "has no {key}",
            new="A spec in Consul's shape or {a} `{model}`"
            + (" without an ID" if self.key == "ID" else ""),
            filters=_LISTING_FILTERS,
        )

    def spec(self, value: object, fields: Mapping[str, object], **json: object) -> dict[str, Any]:
        """The spec that `value` (a mapping in Consul's shape, a model, or None) and a builder's
        `fields` (its ``name`` and ``description``) and other JSON fields `json` describe (None:
        not given).

        Raises:
            UsageError: `value` is none of those, or a field is invalid.
        """
        name, description = fields.get("name"), fields.get("description")
        return merged(
            spec_of(value, self.arg, self.model, self.encode),
            Name=opt_str(name, "name", empty=False),
            Description=opt_str(description, "description"),
            **json,
        )

    def path(self, ref: object, suffix: str = "") -> str:
        """The path of the object that `ref` (an argument or a spec) names."""
        named = segment(ref, self.arg, key=self.key, attr=self.attr, words=self.words)
        return f"/v1/acl/{self.one}/{named}{suffix}"

    def create(self, spec: dict[str, Any], options: NamespacedWriteOptions) -> Call[M]:
        """Create an object from `spec`; of `options` (a builder's fields too), only ``dc``,
        ``token``, ``ns`` and ``partition`` count.

        Raises:
            UsageError: The spec of a kind named by its ID chooses one (Consul does), or that
                of a kind named by its name has none.
        """
        if self.key == "ID":
            new_spec(spec, self.one.replace("-", " "))
        elif self.key == "Name":
            ref(spec, self.arg, key=self.key, attr=self.attr)
        return self._write(f"/v1/acl/{self.one}", spec, options)

    def read(
        self, ref: object, **options: Unpack[NamespacedReadOptions]
    ) -> Call[tuple[M, QueryMeta]]:
        """Read the object that `ref` names."""
        return self._read(self.path(ref), options)

    def read_by_name(
        self, name: object, **options: Unpack[NamespacedReadOptions]
    ) -> Call[tuple[M, QueryMeta]]:
        """Read the object that has the name `name`."""
        return self._read(f"/v1/acl/{self.one}/name/{name_segment(name)}", options)

    def read_self(self, **options: Unpack[ReadOptions]) -> Call[tuple[M, QueryMeta]]:
        """Read the object of the call's token (a token's ``self``)."""
        return self._read(f"/v1/acl/{self.one}/self", options)

    def _read(self, path: str, options: ReadOptions) -> Call[tuple[M, QueryMeta]]:
        return naming_an_object(indexed_read(path, model(self.model), **options))

    def update(self, spec: dict[str, Any], options: NamespacedWriteOptions) -> Call[M]:
        """Replace the object that `spec` names with `spec`; of `options`, as for `create`."""
        return naming_an_object(self._write(self.path(spec), spec, options))

    def _write(self, path: str, spec: dict[str, Any], options: NamespacedWriteOptions) -> Call[M]:
        dc, token = options.get("dc"), options.get("token")
        decode = model(self.model)
        return dc_call("PUT", path, decode, body=spec, dc=dc, token=token, **scope(options))

    def delete(self, ref: object, **options: Unpack[NamespacedWriteOptions]) -> Call[bool]:
        """Delete the object that `ref` names."""
        return naming_an_object(dc_call("DELETE", self.path(ref), decode_bool, **options))

    def items(
        self, params: _params.Params, **options: Unpack[NamespacedReadOptions]
    ) -> Call[tuple[list[M], QueryMeta]]:
        """List the objects, filtered by `params`."""
        path = f"/v1/acl/{self.many}"
        return indexed_read(path, model_list(self.model), params=params, **options)
