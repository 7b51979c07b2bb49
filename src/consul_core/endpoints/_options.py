"""The options many builders share, typed once and documented once.

Rules:
- A builder takes the options it shares with others as ``**options: Unpack[<bundle>]``, one of
  the `TypedDict` bundles below: callers still write ``kv.get("k", dc="dc2")``, and mypy and
  pyright check each option's name and type (through the namespaces too: ``client.kv.get``
  keeps the builder's parameters). The private helpers take the same bundles.
- `builder` (the decorator every builder wears) gives the builder, from one table
  (`DESCRIPTIONS`): the ``Args:`` lines of the options its docstring leaves out, a
  ``UsageError`` line in ``Raises:``, and a ``__signature__`` that spells the options out. It
  also refuses, as Python would, a keyword the builder does not take: ``**options`` would
  otherwise swallow it.
- ``Unpack`` comes from ``typing_extensions`` for the type checkers only (the project supports
  Python 3.10, whose ``typing`` lacks it): ``consul_core`` imports nothing but attrs and the
  standard library at run time.
- The composed docstrings and signatures exist at run time: ``help()`` shows them, and so does
  an API documentation tool that imports the module (griffe's dynamic analysis: mkdocstrings'
  ``force_inspection: true`` for ``consul_core.endpoints``). Its static analysis sees only the
  source: the builder's own lines and ``**options``.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, ParamSpec, TypedDict, TypeVar, overload

from consul_core import _params
from consul_core.call import Call

__all__ = [
    "DESCRIPTIONS",
    "CallOptions",
    "FilteredReadOptions",
    "LocalReadOptions",
    "LocalWatchOptions",
    "NodeReadOptions",
    "ReadOptions",
    "ServiceReadOptions",
    "UnindexedReadOptions",
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


class UnindexedReadOptions(WriteOptions, total=False):
    """A read that takes a consistency mode but has no index to block on."""

    consistency: _params.Consistency | None


class ReadOptions(UnindexedReadOptions, total=False):
    """A read that Consul serves with an index: it can block (``watch``)."""

    watch: _params.Watch | None


class FilteredReadOptions(ReadOptions, total=False):
    """A read of a list that Consul filters."""

    filter: str | None


class NodeReadOptions(FilteredReadOptions, total=False):
    """A read of things that live on nodes: sorted by distance, selected by node metadata."""

    near: str | None
    node_meta: Mapping[str, str] | None


class ServiceReadOptions(NodeReadOptions, total=False):
    """A read of service instances, which the agent can answer from its cache."""

    cached: bool


class LocalReadOptions(CallOptions, total=False):
    """A read of the local agent's own state: no datacenter, no index, a filter."""

    filter: str | None


class LocalWatchOptions(CallOptions, total=False):
    """A read of the local agent's own state that can block."""

    watch: _params.Watch | None


DESCRIPTIONS: Mapping[str, str] = {
    "near": 'Sort by estimated round trip from this node (``"_agent"`` or ``"_self"``: the '
    "agent's).",
    "node_meta": "Only those on nodes with all these metadata pairs.",
    "filter": "A filter expression over the fields of what is listed.",
    "cached": 'Read through the agent\'s cache (not with ``consistency="consistent"``).',
    "dc": "The datacenter; default the client's, else the agent's.",
    "watch": "A blocking read: an index, a `QueryMeta`, or ``(index, wait)``.",
    "consistency": '``"default"``, ``"consistent"`` or ``"stale"``; default the client\'s.',
    "token": "An ACL token for this call only.",
}
"""The description of each option, in the order that signatures and docstrings list them."""

_DEFAULTS: Mapping[str, object] = {"cached": False}
_BUNDLES = {
    bundle.__name__: bundle
    for bundle in (
        CallOptions,
        WriteOptions,
        UnindexedReadOptions,
        ReadOptions,
        FilteredReadOptions,
        NodeReadOptions,
        ServiceReadOptions,
        LocalReadOptions,
        LocalWatchOptions,
    )
}
_UNPACKED = re.compile(r"Unpack\[(?:\w+\.)*(\w+)\]")
_SECTION = re.compile(r"[A-Z][a-z]+:")
_ENTRY = re.compile(r" {4}\**(\w+)( \(.*\))?:")
_USAGE_ERROR = "UsageError: An argument is invalid."
_ORDER = ("Args:", "Returns:", "Yields:", "Raises:")


@overload
def builder(build: Callable[P, Call[T]], /) -> Callable[P, Call[T]]: ...
@overload
def builder(*, needs: str) -> Callable[[Callable[P, Call[T]]], Callable[P, Call[T]]]: ...
def builder(build: Callable[..., Any] | None = None, /, *, needs: str | None = None) -> Any:
    """Complete an endpoint builder from the shared options: docstring, signature, and the
    refusal of keywords it does not take.

    Args:
        build: The builder, whose ``**options`` (if any) is annotated ``Unpack[<bundle>]``.
        needs: The ACL rule its token needs (``"acl:read"``), for the ``token`` line.
    """
    if build is None:
        return functools.partial(_complete, needs=needs)
    return _complete(build, needs=None)


def _complete(build: Callable[P, Call[T]], *, needs: str | None) -> Callable[P, Call[T]]:
    descriptions = dict(DESCRIPTIONS)
    if needs is not None:
        descriptions["token"] = f"An ACL token for this call only (needs ``{needs}``)."
    signature = inspect.signature(build)
    options = _options_of(build, signature)
    if options:
        *explicit, _ = signature.parameters.values()
        signature = signature.replace(parameters=[*explicit, *options.values()])
    shared = {name: descriptions[name] for name in options}
    doc = _with_shared_lines(inspect.getdoc(build) or "", signature.parameters, shared)
    if not options:
        build.__doc__ = doc
        return build
    names = frozenset(
        p.name for p in signature.parameters.values() if p.kind is not p.POSITIONAL_ONLY
    )
    name = build.__name__

    @functools.wraps(build)
    def checked(*args: P.args, **kwargs: P.kwargs) -> Call[T]:
        if not names.issuperset(kwargs):
            unknown = next(key for key in kwargs if key not in names)
            raise TypeError(f"{name}() got an unexpected keyword argument {unknown!r}")
        return build(*args, **kwargs)

    checked.__doc__ = doc
    checked.__signature__ = signature  # type: ignore[attr-defined]
    return checked


def _options_of(
    build: Callable[..., Any], signature: inspect.Signature
) -> dict[str, inspect.Parameter]:
    """The options of `build`'s ``**options: Unpack[<bundle>]`` as keyword-only parameters, in
    the order of `DESCRIPTIONS`; none if it has no ``**options``.
    """
    *explicit, last = signature.parameters.values()
    if last.kind is not last.VAR_KEYWORD:
        return {}
    match = _UNPACKED.fullmatch(str(last.annotation))
    if match is None or match[1] not in _BUNDLES:
        raise TypeError(f"{build.__name__}: **{last.name} must be Unpack[<an options bundle>]")
    hints = _BUNDLES[match[1]].__annotations__
    if clash := {p.name for p in explicit} & hints.keys():
        raise TypeError(f"{build.__name__}: {sorted(clash)} are both parameters and options")
    return {
        name: inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            default=_DEFAULTS.get(name),
            annotation=getattr(hints[name], "__forward_arg__", hints[name]),
        )
        for name in sorted(hints, key=list(DESCRIPTIONS).index)
    }


def _with_shared_lines(doc: str, parameters: Iterable[str], options: Mapping[str, str]) -> str:
    """`doc` whose ``Args:`` list every parameter in order, the `options` it leaves out with
    their shared description, and whose ``Raises:`` has a ``UsageError`` line.
    """
    lines = doc.splitlines()
    own: dict[str, list[str]] = {}  # each documented parameter's lines
    entry: list[str] = []
    for line in _entries(lines, "Args:"):
        if match := _ENTRY.match(line):
            entry = own[match[1]] = []
        entry.append(line)
    args: list[str] = []
    for name in parameters:
        if name in own:
            args += own.pop(name)
        elif name in options:
            args.append(f"    {name}: {options[name]}")
    for rest in own.values():  # documented, yet not a parameter: left for the linters
        args += rest
    _put(lines, "Args:", args)
    raises = list(_entries(lines, "Raises:"))
    if not any(line.startswith("    UsageError:") for line in raises):
        _put(lines, "Raises:", [*raises, f"    {_USAGE_ERROR}"])
    return "\n".join(lines)


def _span(lines: Sequence[str], header: str) -> tuple[int, int] | None:
    """Where the entries under `header` start and end, if `lines` have that section."""
    if header not in lines:
        return None
    start = lines.index(header) + 1
    end = next((i for i in range(start, len(lines)) if _SECTION.fullmatch(lines[i])), len(lines))
    while end > start and not lines[end - 1].strip():
        end -= 1
    return start, end


def _entries(lines: Sequence[str], header: str) -> Sequence[str]:
    span = _span(lines, header)
    return lines[span[0] : span[1]] if span else ()


def _put(lines: list[str], header: str, entries: list[str]) -> None:
    """Make `entries` the section `header`, which is made where it belongs if missing."""
    span = _span(lines, header)
    if span is not None:
        lines[span[0] : span[1]] = entries
    elif entries:
        later = _ORDER[_ORDER.index(header) + 1 :]
        at = next((i for i, line in enumerate(lines) if line in later), None)
        if at is None:
            lines.extend(["", header, *entries])
        else:
            lines[at:at] = [header, *entries, ""]
