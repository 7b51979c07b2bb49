"""Property tests (no I/O): whatever a key, name or token holds, a builder either refuses it with
`UsageError` or builds one request whose target is a single valid HTTP request target, with
the value percent-encoded and decoding back to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consul_core import ClientDefaults, Request, UsageError
from consul_core.endpoints import catalog, health, kv, session, txn
from tests.hostile import DETERMINISTIC, REQUEST_TARGET, Fate, go_clean, key_fate, text_with_dangers

PROPERTY = settings(DETERMINISTIC, max_examples=300)


def _path_and_query(request: Request) -> tuple[str, list[tuple[str, str]]]:
    target = request.target
    assert REQUEST_TARGET.fullmatch(target), target
    parts = urlsplit(target)
    assert not parts.fragment and "#" not in target
    return parts.path, parse_qsl(parts.query, keep_blank_values=True, errors="strict")


@PROPERTY
@given(key=text_with_dangers())
def test_a_key_is_refused_or_travels_as_one_path_that_decodes_back(key: str) -> None:
    fate = key_fate(key)
    try:
        call = kv.get(key)
    except UsageError:
        assert fate is Fate.REFUSED
        for build in (
            lambda: kv.set(key, b""),
            lambda: kv.delete(key),
            lambda: txn.op("set", key, value=b""),
        ):
            with pytest.raises(UsageError):
                build()
        return
    assert fate is not Fate.REFUSED
    path, query = _path_and_query(call.request)
    assert query == []
    decoded = unquote(path, errors="strict")
    assert decoded == "/v1/kv/" + key
    assert go_clean(decoded) == decoded  # the agent's router will not redirect it
    for request in (kv.set(key, b"v").request, kv.delete(key).request):
        assert request.path == path
    assert txn.op("set", key, value=b"").key == key


@PROPERTY
@given(prefix=text_with_dangers())
def test_a_prefix_is_refused_or_travels_as_one_path(prefix: str) -> None:
    fate = key_fate(prefix, prefix=True)
    try:
        call = kv.keys(prefix, separator="/")
    except UsageError:
        assert fate is Fate.REFUSED
        return
    assert fate is not Fate.REFUSED
    path, query = _path_and_query(call.request)
    assert unquote(path, errors="strict") == "/v1/kv/" + prefix
    assert query == [("keys", ""), ("separator", "/")]


# Builders whose name argument becomes one path segment.
PATH_NAMES: dict[str, tuple[Callable[[str], object], str]] = {
    "catalog node": (catalog.node, "/v1/catalog/node/"),
    "health service": (health.service, "/v1/health/service/"),
    "session info": (session.info, "/v1/session/info/"),
    "session node": (session.node, "/v1/session/node/"),
}


def _encodable(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


@PROPERTY
@given(name=text_with_dangers(), dc=text_with_dangers())
def test_names_and_datacenters_are_percent_encoded_into_one_target(name: str, dc: str) -> None:
    # A name in a path is decoded and cleaned by the agent's router like a key: the same rule.
    for build, prefix in PATH_NAMES.values():
        try:
            call = build(name)
        except UsageError:
            assert key_fate(name) is Fate.REFUSED
            continue
        assert key_fate(name) is not Fate.REFUSED
        path, _ = _path_and_query(call.request)  # type: ignore[attr-defined]
        assert path.startswith(prefix)
        segment = path[len(prefix) :]
        assert "/" not in segment and unquote(segment, errors="strict") == name
    try:
        call = catalog.node("web", dc=dc)
    except UsageError:
        assert not dc or not _encodable(dc)
        return
    _, query = _path_and_query(call.request)
    assert query == [("dc", dc)]
    # The client-wide datacenter travels the same way.
    request = ClientDefaults(dc=dc).apply(catalog.node("web").request)
    assert _path_and_query(request)[1] == [("dc", dc)]


TOKEN_REFUSALS = re.compile(
    r"token (must not be empty|must be visible ASCII .*; the value is not shown"
    r"|holds a lone surrogate \(U\+D[89A-F][0-9A-F]{2}\) at position \d+, .*)"
)


@PROPERTY
@given(token=st.one_of(text_with_dangers(), st.text(alphabet=st.characters(max_codepoint=0x7F))))
def test_a_token_is_refused_unseen_or_travels_whole_in_its_header(token: str) -> None:
    try:
        request = kv.get("k", token=token).request
    except UsageError as caught:
        assert TOKEN_REFUSALS.fullmatch(str(caught))  # nothing of the token but a surrogate
        if token:  # an empty client-wide token means none
            with pytest.raises(UsageError):
                ClientDefaults(token=token)
        return
    value = request.headers["X-Consul-Token"]
    assert value == token and value == value.strip()
    assert value.isascii() and value.isprintable()  # no CR, LF, NUL, or other controls
    assert request.target == kv.get("k").request.target
    assert ClientDefaults(token=token).token == token
