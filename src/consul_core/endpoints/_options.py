"""The options many builders share, typed once and documented once.

Rules:
- A builder takes the options it shares with others as ``**options: Unpack[<bundle>]``, one of
  the `TypedDict` bundles below: callers still write ``kv.get("k", dc="dc2")``, and mypy and
  pyright check each option's name and type (through the namespaces too: ``client.kv.get``
  keeps the builder's parameters). The private helpers take the same bundles. A module may
  add fields of its own to a bundle (the ACL objects' spec fields, for create and update).
- `builder` (the decorator every builder wears) completes the builder from one table
  (`DESCRIPTIONS`): the ``Args:`` lines of the options its docstring leaves out, in signature
  order; ``Raises:`` lines for the errors an option brings (``filter``: ``BadRequest``) and a
  ``UsageError``; a ``__signature__`` that spells the options out. ``needs=`` names the ACL
  rule in the ``token`` line and in a ``PermissionDenied`` line; ``like=`` takes the docstring
  sections of a sibling builder (or `_docs.Sentences`), the builder's own entries winning. It
  also refuses, as Python would, a keyword the builder does not take: ``**options`` would
  otherwise swallow it. And it keeps the reads it built: a builder is a pure function of its
  arguments (the core reads no clock, no state, no randomness), so a call built from
  arguments that are all ``str``, ``bool`` or None is returned again for the same arguments
  instead of being built anew (a GET without a header of its own, so no token is kept; 16
  at most a builder). A repeated read, the usual polling of a key or a service, skips the
  building and its checks.
- Builders import ``Unpack`` from here with their bundles: ``typing``'s on Python 3.11+; on
  3.10, whose ``typing`` lacks it, ``typing_extensions``' for the type checkers only
  (``consul_core`` imports nothing but attrs and the standard library at run time, and the
  builders' annotations stay strings).
- ``ns`` and ``partition`` (Consul Enterprise's namespace and admin partition) are options of
  the bundles named ``Namespaced...`` (both: Consul parses them together, agent/http_ce.go's
  ``parseEntMeta``) and ``Partitioned...`` (``partition`` alone), given to the builders of the
  endpoints whose documentation (the Consul 1.22 API docs) accepts them. A client's namespace
  and partition reach an endpoint only through these options: `builder` fills those its bundle
  has and the call left out with None, so `_common.make_call` can tell which client-wide
  defaults the endpoint accepts (`Request.defaults`).
- The completed docstrings and signatures exist at run time: ``help()`` shows them, and so
  does an API documentation tool that imports the module (griffe's dynamic analysis:
  mkdocstrings' ``force_inspection: true`` for ``consul_core.endpoints``). Its static analysis
  sees only the source: the builder's own lines and ``**options``.
"""

from __future__ import annotations

import functools
import inspect
import re
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ParamSpec, TypedDict, TypeVar, is_typeddict, overload

from consul_core import _params
from consul_core._kept import keep, kept_read
from consul_core.call import Call
from consul_core.endpoints import _docs

if sys.version_info >= (3, 11):
    from typing import Unpack
elif TYPE_CHECKING:
    from typing_extensions import Unpack
else:  # Python 3.10 at run time: the builders' annotations stay strings, never evaluated.
    Unpack = None

__all__ = [
    "DESCRIPTIONS",
    "SCOPE",
    "CacheControlOptions",
    "CallOptions",
    "FilterOptions",
    "FilteredReadOptions",
    "IngressHealthReadOptions",
    "IngressReadOptions",
    "InstanceHealthReadOptions",
    "InstanceReadOptions",
    "LocalReadOptions",
    "LocalWatchOptions",
    "NamespaceOptions",
    "NamespacedCallOptions",
    "NamespacedFilteredReadOptions",
    "NamespacedLocalReadOptions",
    "NamespacedLocalWatchOptions",
    "NamespacedNodeReadOptions",
    "NamespacedReadOptions",
    "NamespacedWriteOptions",
    "NodeReadOptions",
    "NodeServicesReadOptions",
    "PartitionOptions",
    "PartitionedCallOptions",
    "PartitionedNodeReadOptions",
    "PartitionedReadOptions",
    "PartitionedWriteOptions",
    "ReadOptions",
    "SamenessGroupOptions",
    "ServiceReadOptions",
    "StaleReadOptions",
    "UnindexedReadOptions",
    "Unpack",
    "WatchOptions",
    "WriteOptions",
    "builder",
]

P = ParamSpec("P")
T = TypeVar("T")


class CallOptions(TypedDict, total=False):
    """What every call takes."""

    token: str | None


class WriteOptions(CallOptions, total=False):
    """A call to one datacenter: most writes, and the reads Consul serves without an index."""

    dc: str | None


class StaleReadOptions(WriteOptions, total=False):
    """A read of the servers' own state, which a follower may answer (``stale``)."""

    stale: bool


class UnindexedReadOptions(WriteOptions, total=False):
    """A read that takes a consistency mode but has no index to block on."""

    consistency: _params.Consistency | None


class WatchOptions(TypedDict, total=False):
    """A read that can block (``watch``)."""

    watch: _params.Watch | None


class FilterOptions(TypedDict, total=False):
    """A read of a list that Consul filters."""

    filter: str | None


class ReadOptions(UnindexedReadOptions, WatchOptions, total=False):
    """A read that Consul serves with an index: it can block (``watch``)."""


class FilteredReadOptions(ReadOptions, FilterOptions, total=False):
    """A read of a list that Consul filters, served with an index."""


class NodeReadOptions(FilteredReadOptions, total=False):
    """A read of things that live on nodes: sorted by distance, selected by node metadata."""

    near: str | None
    node_meta: Mapping[str, str] | None


class CacheControlOptions(TypedDict, total=False):
    """How fresh a read through the agent's cache must be (with ``cached=True`` only)."""

    max_age: _params.Duration | None
    stale_if_error: _params.Duration | None


class ServiceReadOptions(NodeReadOptions, CacheControlOptions, total=False):
    """A read of service instances, which the agent can answer from its cache."""

    cached: bool


class LocalReadOptions(CallOptions, FilterOptions, total=False):
    """A read of the local agent's own state: no datacenter, no index, a filter."""


class LocalWatchOptions(CallOptions, WatchOptions, total=False):
    """A read of the local agent's own state that can block."""


class PartitionOptions(TypedDict, total=False):
    """The admin partition (Consul Enterprise) of an endpoint that takes one."""

    partition: str | None


class NamespaceOptions(PartitionOptions, total=False):
    """The namespace and admin partition (Consul Enterprise) of an endpoint that takes them."""

    ns: str | None


class NamespacedCallOptions(CallOptions, NamespaceOptions, total=False):
    """A call to the local agent about something that lives in a namespace."""


class PartitionedCallOptions(CallOptions, PartitionOptions, total=False):
    """A call to the local agent about something that lives in a partition."""


class NamespacedWriteOptions(WriteOptions, NamespaceOptions, total=False):
    """A write (or an unindexed read) of something that lives in a namespace."""


class NamespacedReadOptions(ReadOptions, NamespaceOptions, total=False):
    """A read of something that lives in a namespace."""


class NamespacedFilteredReadOptions(FilteredReadOptions, NamespaceOptions, total=False):
    """A filtered read of a list of things that live in a namespace."""


class NamespacedNodeReadOptions(NodeReadOptions, NamespaceOptions, total=False):
    """A read of things that live on nodes and in a namespace (checks)."""


class PartitionedNodeReadOptions(NodeReadOptions, PartitionOptions, total=False):
    """A read of nodes, which live in a partition."""


class PartitionedWriteOptions(WriteOptions, PartitionOptions, total=False):
    """A write of something that lives in a partition but no namespace (a peering)."""


class PartitionedReadOptions(ReadOptions, PartitionOptions, total=False):
    """A read of things that live in a partition but no namespace (peerings, exported
    services, namespaces).
    """


class NamespacedLocalReadOptions(LocalReadOptions, NamespaceOptions, total=False):
    """A read of the local agent's own state in a namespace."""


class NamespacedLocalWatchOptions(LocalWatchOptions, NamespaceOptions, total=False):
    """A read of the local agent's own state in a namespace that can block."""


class NodeServicesReadOptions(NamespacedFilteredReadOptions, total=False):
    """A read of a node's services, which the agent can merge with central configuration."""

    merge_central_config: bool


class IngressReadOptions(ServiceReadOptions, NamespaceOptions, total=False):
    """A read of service instances in a namespace, with central configuration merged on request."""

    merge_central_config: bool


class InstanceReadOptions(IngressReadOptions, total=False):
    """A read of service instances, which may be imported from a cluster peer."""

    peer: str | None


class SamenessGroupOptions(TypedDict, total=False):
    """A health read of service instances that a sameness group's members may answer (Consul
    Enterprise).
    """

    sameness_group: str | None


class IngressHealthReadOptions(IngressReadOptions, SamenessGroupOptions, total=False):
    """A health read of the ingress gateways of a service, across a sameness group on request."""


class InstanceHealthReadOptions(InstanceReadOptions, SamenessGroupOptions, total=False):
    """A health read of service instances, across a sameness group on request."""


DESCRIPTIONS: Mapping[str, str] = {
    "near": 'Sort by estimated round trip from this node (``"_agent"`` or ``"_self"``: the '
    "agent's).",
    "node_meta": "Only those on nodes with all these metadata pairs.",
    "filter": "A filter expression over the fields of what is listed.",
    "peer": "The cluster peer that exported the service (its imported instances).",
    "sameness_group": "The sameness group of the service (``?sg``; Consul Enterprise 1.19 and "
    "later): the instances of the group's members, in its failover order.",
    "merge_central_config": "Merge the proxy-defaults and service-defaults config entries "
    "into proxy and gateway definitions.",
    "cached": 'Read through the agent\'s cache (not with ``consistency="consistent"``).',
    "max_age": "With ``cached``: refetch a cached result older than this (0: always); a "
    "duration (sent in whole seconds).",
    "stale_if_error": "With ``cached`` and ``max_age``: a cached result up to this old is "
    "still returned when the servers cannot answer.",
    "stale": "Let any server answer, so that it works without a leader.",
    "dc": "The datacenter; default the client's, else the agent's.",
    "ns": "The namespace (Consul Enterprise); default the client's.",
    "partition": "The admin partition (Consul Enterprise); default the client's.",
    "watch": "A blocking read: an index, a `QueryMeta`, or ``(index, wait)``; the wait is "
    "Consul's default, 5 minutes, when not given or 0.",
    "consistency": '``"default"``, ``"consistent"`` or ``"stale"``; default the client\'s.',
    "token": "An ACL token for this call only.",
}
"""The description of each option, in the order that signatures and docstrings list them."""

_NO_ENTERPRISE = (
    "BadRequest",
    "A namespace or partition was given to an agent that has none (Consul Community "
    "Edition; 1.8 ignores ``partition``).",
)
# The errors that an option brings, by option: (error, what it means).
_ERRORS: Mapping[str, tuple[tuple[str, str], ...]] = {
    "filter": (("BadRequest", "Consul cannot parse the filter."),),
    "ns": (_NO_ENTERPRISE,),
    "partition": (_NO_ENTERPRISE,),
}
_DEFAULTS: Mapping[str, object] = {"cached": False, "stale": False, "merge_central_config": False}
SCOPE = ("ns", "partition")
"""The options that a client's defaults fill: `builder` passes them on, None when not given."""
# The reads each builder keeps, by their arguments: a builder is a pure function of its
# arguments, so a call built from plain ones (`_PLAIN`) is the call it would build again. Only
# reads without a header of their own (no token) are kept, at most `_kept.LIMIT` a builder.
_BUILT: dict[Callable[..., Call[Any]], dict[tuple[object, ...], Call[Any]]] = {}
# Exact types, so that no value equal to another of a different type (True and 1) shares a
# call, and none that may change in place after the call is built.
_PLAIN = frozenset({str, bool, type(None)})
# Each builder's own docstring after those it is `like`, for the builders `like` it.
_OWN_DOCS: dict[Callable[..., Call[Any]], list[str]] = {}
_UNPACKED = re.compile(r"Unpack\[(?:\w+\.)*(\w+)\]")
Like = Callable[..., Call[Any]] | str
"""A builder whose docstring sections another shares, or such sections' text."""


@overload
def builder(build: Callable[P, Call[T]], /) -> Callable[P, Call[T]]: ...
@overload
def builder(
    *, needs: str | None = None, like: Like | tuple[Like, ...] = ()
) -> Callable[[Callable[P, Call[T]]], Callable[P, Call[T]]]: ...
def builder(
    build: Callable[..., Call[Any]] | None = None,
    /,
    *,
    needs: str | None = None,
    like: Like | tuple[Like, ...] = (),
) -> Any:
    """Complete an endpoint builder: its docstring and signature from its options, and the
    refusal of keywords it does not take.

    Args:
        build: The builder; its last parameter is ``**options: Unpack[<bundle>]``.
        needs: The ACL rule its token needs (``"acl:read"``), for the ``token`` line and a
            ``PermissionDenied`` line.
        like: A builder whose docstring sections this one shares (its own entries win), or
            such sections' text (`_docs.Sentences`); or several, each later one winning.
    """
    if build is None:
        return functools.partial(_complete, needs=needs, like=like)
    return _complete(build, needs=needs, like=like)


def _complete(
    build: Callable[P, Call[T]],
    *,
    needs: str | None,
    like: Like | tuple[Like, ...],
) -> Callable[P, Call[T]]:
    signature = inspect.signature(build)
    *explicit, _ = signature.parameters.values()
    options = _options_of(build, signature)
    signature = signature.replace(parameters=[*explicit, *options])
    shared = {o.name: DESCRIPTIONS[o.name] for o in options if o.name in DESCRIPTIONS}
    if needs is not None:
        shared["token"] = f"An ACL token for this call only (needs ``{needs}``)."
    names = frozenset(
        p.name for p in signature.parameters.values() if p.kind is not p.POSITIONAL_ONLY
    )
    name = build.__name__
    # Passed on even when not given, so that the helpers know the endpoint takes them.
    scope = {option: None for option in SCOPE if option in names}
    built = _BUILT[build] = {}

    def checking(perform: Callable[[Call[T]], Any] | None) -> Callable[P, Any]:
        # The builder, and (`perform` given) a namespace's method in one frame, not two.
        def checked(*args: P.args, **kwargs: P.kwargs) -> Any:
            # The key of a kept read: its arguments, and its keywords' items after them (an
            # argument is never a tuple, so no key of one form equals one of the other).
            key: tuple[object, ...] | None
            if kwargs:
                if not names.issuperset(kwargs):
                    unknown = next(key for key in kwargs if key not in names)
                    raise TypeError(f"{name}() got an unexpected keyword argument {unknown!r}")
                plain = _PLAIN.issuperset(map(type, args)) and _PLAIN.issuperset(
                    map(type, kwargs.values())
                )
                key = (args, *kwargs.items()) if plain else None
            elif len(args) == 1:  # the usual read: a key or a name (no set made to test it)
                key = args if type(args[0]) in _PLAIN else None
            else:
                key = args if _PLAIN.issuperset(map(type, args)) else None
            call: Call[Any] | None = None if key is None else built.get(key)
            if call is None:
                # The scope options alone (a dict the builder's ** copies) when none is given.
                given = ({**scope, **kwargs} if kwargs else scope) if scope else kwargs
                call = build(*args, **given)  # pyright: ignore[reportCallIssue]
                if key is not None and kept_read(call.request):
                    keep(built, key, call)
            return call if perform is None else perform(call)

        return checked

    checked: Callable[P, Call[T]] = functools.wraps(build)(checking(None))
    # What `binding` binds a namespace's method with (`performing`): the checks, the build
    # and the driver's call in one function.
    vars(checked)["performing"] = lambda perform: functools.wraps(checked)(checking(perform))

    own = inspect.getdoc(build) or ""
    templates = [doc for t in _tuple(like) for doc in ([t] if isinstance(t, str) else _OWN_DOCS[t])]
    _OWN_DOCS[checked] = [*templates, own]
    errors: dict[str, str] = {}
    if needs is not None:
        errors["PermissionDenied"] = f"The call's token lacks ``{needs}``."
    for error, text in dict.fromkeys(e for o in options for e in _ERRORS.get(o.name, ())):
        errors[error] = f"{errors[error]} {text}" if error in errors else text
    doc = _docs.complete(own, signature.parameters, shared, errors=errors, like=templates)
    # The bare builder too: documentation tools that import the module (griffe's inspection)
    # follow __wrapped__ to it, for its source as well.
    for function in (checked, build):
        function.__doc__ = doc
        function.__signature__ = signature  # type: ignore[attr-defined]
    return checked


def _tuple(like: Like | tuple[Like, ...]) -> tuple[Like, ...]:
    return like if isinstance(like, tuple) else (like,)


def _options_of(build: Callable[..., Any], signature: inspect.Signature) -> list[inspect.Parameter]:
    """The options of `build`'s ``**options: Unpack[<bundle>]``, as keyword-only parameters:
    the bundle's own first, then the shared ones in the order of `DESCRIPTIONS`.

    Raises:
        TypeError: `build`'s last parameter is not such a ``**options`` (the bundle, a
            `TypedDict`, must be a name of the builder's module), or another parameter has
            the name of an option.
    """
    *explicit, last = signature.parameters.values()
    match = _UNPACKED.fullmatch(str(last.annotation))
    bundle = build.__globals__.get(match[1]) if match else None
    if last.kind is not last.VAR_KEYWORD or not is_typeddict(bundle):
        raise TypeError(f"{build.__name__}: the last parameter must be **options: Unpack[<bundle>]")
    hints = bundle.__annotations__
    if clash := {p.name for p in explicit} & hints.keys():
        raise TypeError(f"{build.__name__}: {sorted(clash)} are both parameters and options")
    shared = list(DESCRIPTIONS)
    return [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            default=_DEFAULTS.get(name),
            annotation=getattr(hints[name], "__forward_arg__", hints[name]),
        )
        for name in sorted(hints, key=lambda name: shared.index(name) if name in shared else -1)
    ]
