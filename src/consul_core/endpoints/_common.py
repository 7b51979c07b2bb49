"""Shared pieces of the endpoint builders: request assembly and the common decoders.

Rules:
- A builder assembles its call with one helper: `indexed_read` for a read Consul serves with
  an index (``dc``, ``consistency``, ``watch``, and the read options some take), `dc_call`
  for a call that takes only ``dc`` (most writes), `local_read` for a read of the local
  agent's state with a filter, `local_watch` for one that can block, `make_call` for the rest
  (the agent's other endpoints, which take no ``dc``).
- The helpers take the builders' options as the typed bundles of `_options`
  (``**options``), so a builder hands its own on whole.
- `make_call`, which every call goes through, adds ``ns`` and ``partition`` and names them in
  `Request.defaults` when the options hold them, given or not (`_options.builder` passes on
  those of the builder's bundle as None when not given): an endpoint takes the client's
  namespace and partition exactly when its builder takes ``ns`` and ``partition``.
- Every read that takes ``filter=`` sends it through `indexed_read` or `local_read`, so a
  filter Consul cannot parse raises `BadRequest` everywhere.
- Consul answers some errors with a status that does not say what they mean (a missing object
  with a 500): a builder names their body texts in `error_texts`, and they raise the error
  type that they mean.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import Any, TypeAlias, TypeVar

import attrs

from consul_core import _params
from consul_core._codec import (
    DecodeError,
    decode_json,
    encode_json,
    get_field,
    scalar,
)
from consul_core._typed import body_decoder
from consul_core.call import Call
from consul_core.endpoints._options import (
    SCOPE,
    InstanceHealthReadOptions,
    NamespacedCallOptions,
    NamespacedLocalReadOptions,
    NamespacedLocalWatchOptions,
    NamespaceOptions,
    ReadOptions,
    Unpack,
)
from consul_core.errors import BadRequest, Missing, ResponseError, UsageError
from consul_core.http import _NO_HEADERS, TOKEN_HEADER, Request, Response, _to_headers
from consul_core.meta import QueryMeta

T = TypeVar("T")
M = TypeVar("M")

Ref: TypeAlias = str | Mapping[str, Any] | M
"""What an argument that names an object of model `M` accepts: its ID (or name), a mapping
with Consul's key for it, or the model."""

READ_DEFAULTS = frozenset({"dc", "consistency"})
WRITE_DEFAULTS = frozenset({"dc"})
NO_DEFAULTS: frozenset[str] = frozenset()
# The defaults an endpoint accepts, by those of its helper, when it takes ns and partition, or
# partition alone (memoized: a frozenset union per call costs more than the rest).
_WITH_NS: dict[frozenset[str], frozenset[str]] = {}
_WITH_PARTITION: dict[frozenset[str], frozenset[str]] = {}
OK = frozenset({200})
_SCOPE_ONLY = frozenset(SCOPE)
# Texts of error bodies, and the error type each means.
ErrorTexts = Mapping[str, type[ResponseError]]


def read_params(options: ReadOptions) -> tuple[_params.Params, float | None]:
    """The query parameters every read takes (``dc``, ``consistency``, ``watch``), and the read
    timeout they need.
    """
    params: _params.Params = []
    _params.add_dc(params, options.get("dc"))
    _params.add_consistency(params, options.get("consistency"))
    timeout = _params.add_watch(params, options.get("watch"))
    return params, timeout


def scope(options: NamespaceOptions) -> NamespaceOptions:
    """The ``ns`` and ``partition`` of `options` (the keys it holds, None or not), for a helper
    that hands on only some of a builder's options.
    """
    found: NamespaceOptions = {}
    if "ns" in options:
        found["ns"] = options["ns"]
    if "partition" in options:
        found["partition"] = options["partition"]
    return found


def _accepted(defaults: frozenset[str], ns: bool) -> frozenset[str]:
    """`defaults` with ``partition``, and ``ns`` if the endpoint takes it."""
    known = _WITH_NS if ns else _WITH_PARTITION
    found = known.get(defaults)
    if found is None:
        found = known[defaults] = defaults.union(SCOPE if ns else ("partition",))
    return found


def make_call(
    method: str,
    path: str,
    decode: Callable[[Response], T],
    *,
    params: Iterable[tuple[str, str]] = (),
    body: object = None,
    raw_body: bytes | None = None,
    timeout: float | None = None,
    defaults: frozenset[str] = NO_DEFAULTS,
    expect: frozenset[int] = OK,
    error_texts: ErrorTexts | None = None,
    headers: Mapping[str, str] | None = None,
    **options: Unpack[NamespacedCallOptions],
) -> Call[T]:
    """Assemble a `Call`; `body` is JSON-encoded (models included), `raw_body` is sent as is.

    `error_texts` maps texts of error bodies to the error type they mean (see
    `map_error_texts`); `headers` are sent besides the token's. ``ns`` and ``partition``, when
    `options` holds them (even as None), are sent when given, and the client's are accepted.
    """
    if body is not None:
        raw_body = encode_json(body)
    return _assemble(
        method,
        path,
        decode,
        tuple(params),
        raw_body,
        timeout,
        defaults,
        expect,
        error_texts,
        headers,
        options,
    )


def _assemble(
    method: str,
    path: str,
    decode: Callable[[Response], T],
    query: tuple[tuple[str, str], ...],
    raw_body: bytes | None,
    timeout: float | None,
    defaults: frozenset[str],
    expect: frozenset[int],
    error_texts: ErrorTexts | None,
    headers: Mapping[str, str] | None,
    options: NamespacedCallOptions,
) -> Call[T]:
    """`make_call`'s work, for the helpers that call it on every read and write: its arguments
    positional and `options` the builder's own dict (a keyword argument costs a lookup, and
    each ``**`` a new dict). Only ``ns``, ``partition`` and ``token`` are read from `options`.
    """
    if "partition" in options:  # every bundle with ns has partition too
        ns, partition = options.get("ns"), options["partition"]
        if ns is not None or partition is not None:
            extra: _params.Params = []
            _params.add_scope(extra, ns, partition)
            query = (*query, *extra)
        defaults = _accepted(defaults, "ns" in options)
    token = options.get("token")
    if token is None and not headers:  # the usual call: no header of its own
        sent = _NO_HEADERS
    else:
        given = {} if token is None else {TOKEN_HEADER: _params.check_token(token)}
        if headers:
            given.update(headers)
        sent = _to_headers(given)
    request = Request.of(method, path, query, sent, raw_body, timeout, defaults)
    call = Call.of(request, decode, expect)
    return map_error_texts(call, error_texts) if error_texts else call


class _DcCallParts(NamespacedCallOptions, total=False):
    """What `dc_call` hands on to `make_call` as given: the call's options but ``dc``, the
    body, and the replies it expects.
    """

    body: object
    raw_body: bytes | None
    expect: frozenset[int]
    error_texts: ErrorTexts | None


def dc_call(
    method: str,
    path: str,
    decode: Callable[[Response], T],
    *,
    params: Iterable[tuple[str, str]] = (),
    dc: str | None = None,
    **parts: Unpack[_DcCallParts],
) -> Call[T]:
    """A call that takes ``dc`` (and so the client's ``dc`` default), then `params`: most writes,
    and the reads that Consul serves without an index; `parts` go to `make_call` as given.
    """
    query: _params.Params = []
    _params.add_dc(query, dc)
    body, raw_body = parts.get("body"), parts.get("raw_body")
    return _assemble(
        method,
        path,
        decode,
        (*query, *params),
        encode_json(body) if body is not None else raw_body,
        None,
        WRITE_DEFAULTS,
        parts.get("expect", OK),
        parts.get("error_texts"),
        None,
        parts,
    )


# msgspec first (a write's ``true`` is read on every write), the codec's errors otherwise.
_decode_bool = body_decoder(bool, scalar(bool))
_decode_str = body_decoder(str, scalar(str))
_decode_str_list = body_decoder(list[str])


def decode_bool(response: Response) -> bool:
    """Decode Consul's ``true``/``false`` body."""
    return _decode_bool(response.body)


def decode_ok(response: Response) -> bool:
    """A write that answers 200 with no meaningful body succeeded."""
    del response
    return True


def decode_str(response: Response) -> str:
    """Decode a JSON string body."""
    return _decode_str(response.body)


def decode_str_list(response: Response) -> list[str]:
    """Decode a JSON list of strings (null is an empty list)."""
    return _decode_str_list(response.body)


def decode_id(response: Response) -> str:
    """Decode ``{"ID": "..."}``."""
    return get_field(decode_json(response.body), "ID", str)


def with_meta(decode: Callable[[Response], T]) -> Callable[[Response], tuple[T, QueryMeta]]:
    """Wrap a decoder so that it also returns the reply's `QueryMeta`."""

    def decode_with_meta(response: Response) -> tuple[T, QueryMeta]:
        return decode(response), QueryMeta.from_headers(response.headers)

    return decode_with_meta


def typed(tp: type[T]) -> Callable[[Response], T]:
    """A decoder for a body of type `tp`: a model, or a list or map of models or of scalars."""
    decode_body = body_decoder(tp)

    def decode(response: Response) -> T:
        return decode_body(response.body)

    return decode


def model(cls: type[T]) -> Callable[[Response], T]:
    """A decoder for a body that is one JSON object of model `cls`."""
    return typed(cls)


def model_list(cls: type[T]) -> Callable[[Response], list[T]]:
    """A decoder for a body that is a JSON list of `cls` objects (null is an empty list)."""
    return typed(_list_of(cls))


def model_map(cls: type[T]) -> Callable[[Response], dict[str, T]]:
    """A decoder for a body that is a JSON object of `cls` objects by key (null is an empty
    one).
    """
    return typed(_map_of(cls))


def first_model(cls: type[T]) -> Callable[[Response], T]:
    """A decoder for a list body whose first item is the object (Consul's single reads)."""
    return _first_item(
        cls, partial(DecodeError, f"expected one {cls.__name__}, got an empty array")
    )


def first_or_missing(cls: type[T], what: str) -> Callable[[Response], T]:
    """A decoder for a list body whose first item is the object; an empty list means there is
    no such object (`Missing`, which `Call.parse` makes a `NotFound`): ``"no such <what>"``.
    """
    return _first_item(cls, partial(Missing, f"no such {what}"))


def _first_item(cls: type[T], empty: Callable[[], Exception]) -> Callable[[Response], T]:
    """A decoder for a list body whose first item is the object; `empty` makes the error that
    an empty list raises.
    """
    decode_body = body_decoder(_list_of(cls))

    def decode(response: Response) -> T:
        items = decode_body(response.body)
        if not items:
            raise empty()
        return items[0]

    return decode


def _list_of(cls: type[T]) -> type[list[T]]:
    return list[cls]  # type: ignore[valid-type]


def _map_of(cls: type[T]) -> type[dict[str, T]]:
    return dict[str, cls]  # type: ignore[valid-type]


def name_segment(value: object, name: str, key: str) -> str:
    """A node or service name as one path segment.

    Args:
        value: A str, a mapping with `key` (``"Node"``, ``"Service"``), or a model whose attribute
            ``key.lower()`` holds the name (a `Node`'s ``node``, a `NodeService`'s ``service``).
        name: The argument's name, for the error message.
        key: The mapping key of the name.

    Raises:
        UsageError: `value` names nothing.
    """
    return _params.id_segment(value, name, ((key, key.lower()),))


def _add_tags(params: _params.Params, tag: object) -> None:
    if tag is None:
        return
    tags = [tag] if isinstance(tag, str) else tag
    if not isinstance(tags, (list, tuple)):
        raise UsageError("tag must be a str or a list of str")
    for item in tags:
        params.append(("tag", _params.check_str(item, "tag")))


def indexed_read(
    path: str,
    decode: Callable[[Response], T],
    *,
    params: Iterable[tuple[str, str]] = (),
    tag: str | Sequence[str] | None = None,
    expect: frozenset[int] = OK,
    error_texts: ErrorTexts | None = None,
    **options: Unpack[InstanceHealthReadOptions],
) -> Call[tuple[T, QueryMeta]]:
    """A read that Consul serves with an index: it returns the value and the reply's `QueryMeta`,
    and takes ``dc``, ``consistency`` and ``watch`` (a blocking query), then the options that
    some reads add, then `params`.

    `near` ``"_self"`` is taken as ``"_agent"``; `tag` is one tag or a list of tags (each sent
    as a ``tag`` parameter: an instance must have all); `cached` reads through the agent's
    cache, which excludes ``consistent`` and so takes no client-wide consistency default, and
    `max_age` and `stale_if_error` travel in its ``Cache-Control`` header; a `filter` Consul
    cannot parse raises `BadRequest`.

    Raises:
        UsageError: An argument is invalid.
    """
    if tag is None and options.keys() <= _SCOPE_ONLY:
        # The usual read gives no option: no read option to check (the same call as below).
        return _assemble(
            "GET",
            path,
            with_meta(decode),
            tuple(params),
            None,
            None,
            READ_DEFAULTS,
            expect,
            error_texts,
            None,
            options,  # only ns and partition
        )
    query, timeout = read_params(options)
    near, filter, cached = options.get("near"), options.get("filter"), options.get("cached", False)
    # "_self" is aioconsul's name for the agent's own node; Consul's is "_agent".
    _params.add_near(query, "_agent" if near == "_self" else near)
    _params.add_node_meta(query, options.get("node_meta"))
    _params.add_filter(query, filter)
    _add_tags(query, tag)
    if (peer := options.get("peer")) is not None:
        query.append(("peer", _params.check_str(peer, "peer")))
    if (group := options.get("sameness_group")) is not None:
        query.append(("sg", _params.check_str(group, "sameness_group")))
    if (merge := options.get("merge_central_config")) is not None:
        _params.add_flag(query, "merge-central-config", merge)
    _params.add_flag(query, "cached", cached)
    if cached and options.get("consistency") == "consistent":
        raise UsageError("cached reads cannot be consistent")
    control = None
    if "max_age" in options or "stale_if_error" in options:
        max_age, stale_if_error = options.get("max_age"), options.get("stale_if_error")
        control = _params.cache_control(cached, max_age, stale_if_error)
    return _assemble(
        "GET",
        path,
        with_meta(decode),
        (*query, *params),
        None,
        timeout,
        WRITE_DEFAULTS if cached else READ_DEFAULTS,
        expect,
        _with_bad_filter(error_texts, filter),
        None if control is None else {"Cache-Control": control},
        options,  # its ns, partition and token are what `_assemble` reads
    )


def local_read(
    path: str, decode: Callable[[Response], T], **options: Unpack[NamespacedLocalReadOptions]
) -> Call[T]:
    """A read of the local agent's own state, which takes no ``dc``, index or consistency, and
    an optional `filter` (one Consul cannot parse raises `BadRequest`).

    Raises:
        UsageError: An argument is invalid.
    """
    params: _params.Params = []
    filter = options.get("filter")
    _params.add_filter(params, filter)
    return _assemble(
        "GET",
        path,
        decode,
        tuple(params),
        None,
        None,
        NO_DEFAULTS,
        OK,
        _with_bad_filter(None, filter),
        None,
        options,
    )


def local_watch(
    path: str,
    decode: Callable[[Response], T],
    *,
    params: Iterable[tuple[str, str]] = (),
    **options: Unpack[NamespacedLocalWatchOptions],
) -> Call[tuple[T, QueryMeta]]:
    """A read of the local agent's own state that can block (``watch``) but takes no ``dc`` or
    consistency, and so no client-wide default.

    Raises:
        UsageError: An argument is invalid.
    """
    query: _params.Params = list(params)
    timeout = _params.add_watch(query, options.get("watch"))
    return _assemble(
        "GET",
        path,
        with_meta(decode),
        tuple(query),
        None,
        timeout,
        NO_DEFAULTS,
        OK,
        None,
        None,
        options,
    )


# Consul (1.8 at least) answers a filter expression it cannot parse with a 500.
_BAD_FILTER: ErrorTexts = {"Failed to create boolean expression evaluator": BadRequest}


def _with_bad_filter(texts: ErrorTexts | None, filter: str | None) -> ErrorTexts | None:
    """`texts`, and, when the call sends a `filter`, the reply to one Consul cannot parse."""
    return texts if filter is None else {**(texts or {}), **_BAD_FILTER}


def map_error_texts(call: Call[T], texts: ErrorTexts) -> Call[T]:
    """Return `call` raising the error type of the first of `texts` its error body contains.

    Consul answers some missing objects and conflicts with a 500 (or 400) and a message; this
    gives them the error type their meaning calls for.
    """

    def on_error(request: Request, response: Response) -> ResponseError | None:
        body = response.body.decode("utf-8", "replace")
        error = next((kind for text, kind in texts.items() if text in body), None)
        return error(request, response) if error else None

    return attrs.evolve(call, on_error=on_error)
