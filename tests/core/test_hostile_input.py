"""Hostile input refused before any request, and the agent's refusals mapped (no I/O).

Keys the agent cannot address over HTTP (see `kv.check_key`), lone surrogates in any string
argument, tokens a header cannot carry; the agent's bare 400 and its 413.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from consul_core import (
    BadRequest,
    ClientDefaults,
    Lock,
    RequestTooLarge,
    Response,
    ResponseError,
    Semaphore,
    UsageError,
)
from consul_core.call import Call
from consul_core.endpoints import catalog, health, kv, session, txn
from consul_core.http import percent_encode

# Each: how the agent's router would treat "/v1/kv/<key>" (recorded from Consul 1.8.7).
UNADDRESSABLE = [
    "app/../victim",  # 301 to /v1/kv/victim
    "./x",  # 301 to /v1/kv/x
    "a/./b",
    "a/.",  # 301 to /v1/kv/a
    "..",  # 301 to /v1
    ".",
    "a//b",  # 301 to /v1/kv/a/b
    "a//",
    "/leading",
    "a\tb",  # the rest: a bare 400
    "a\rb",
    "a\nb",
    "a\x00b",
    "a\x7fb",
    "a\x85b",  # NEL, a C1 control
    "a\u00a0b",  # no-break space: a space other than " "
    "a\u3000b",
    "a\u00adb",  # soft hyphen (format)
    "\U0001f468\u200d\U0001f469",  # a zero-width joiner (format) between two emoji
    "\ufeffa",  # BOM
    "a\u2028b",
    "a\u2029b",
    "a\ue000b",  # private use
    "a\U000f0000b",
    "a\ufffeb",  # noncharacters: unassigned forever
    "a\U0001ffffb",
    "a\ufdd0b",
    "a\ud800b",  # lone surrogates
    "a\udfffb",
]
# Keys the agent takes (the last two are its decision: code points the tables of this Python
# may not know; Consul 1.8.7 refuses both, Consul built with Go 1.21+ takes the first).
ADDRESSABLE = [
    "a/",  # a folder key: the trailing "/" survives Go's path cleaning
    "...",
    ".x",
    "x.",
    "a/..b",
    "a/.b/c",
    "with space",
    "q?h#p%+;,&=",
    "a\\b",
    "é/ключ/鍵",
    "a\u0301",  # a combining mark
    "a\ufe0f",  # a variation selector (a mark)
    "\U0001f971",  # an emoji of Unicode 12
    "\U0001fae8",  # an emoji of Unicode 15
    "a\U00050000b",  # unassigned (plane 5): the agent answers 400
]

KEY_BUILDERS: dict[str, Callable[[str], object]] = {
    "get": kv.get,
    "raw": kv.raw,
    "set": lambda key: kv.set(key, b"v"),
    "cas": lambda key: kv.cas(key, b"v", index=0),
    "lock": lambda key: kv.lock(key, b"v", session="s"),
    "unlock": lambda key: kv.unlock(key, b"v", session="s"),
    "delete": kv.delete,
    "delete_cas": lambda key: kv.delete_cas(key, index=1),
    "delete_tree": kv.delete_tree,
    "keys": kv.keys,
    "get_tree": kv.get_tree,
    "txn set": lambda key: txn.op("set", key, value=b"v"),
    "txn cas": lambda key: txn.op("cas", key, value=b"v", index=0),
    "txn lock": lambda key: txn.op("lock", key, value=b"v", session="s"),
    "Lock": Lock,
}
# A transaction's body carries its keys past the agent's HTTP router: its verbs that do not
# write reach keys that no path can (such as one another client wrote in a transaction).
TXN_REACHING: dict[str, dict[str, object]] = {
    "get": {},
    "get-tree": {},
    "check-index": {"index": 1},
    "check-not-exists": {},
    "check-session": {"session": "s"},
    "delete": {},
    "delete-cas": {"index": 1},
    "delete-tree": {},
}


@pytest.mark.parametrize("build", KEY_BUILDERS.values(), ids=list(KEY_BUILDERS))
@pytest.mark.parametrize("key", UNADDRESSABLE)
def test_unaddressable_keys_are_refused_by_every_builder(
    build: Callable[[str], object], key: str
) -> None:
    with pytest.raises(UsageError):
        build(key)


def _surrogate(text: str) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in text)


@pytest.mark.parametrize("verb", list(TXN_REACHING))
@pytest.mark.parametrize("key", [key for key in UNADDRESSABLE if not _surrogate(key)])
def test_a_transactions_other_verbs_reach_keys_no_path_can(verb: str, key: str) -> None:
    assert txn.op(verb, key, **TXN_REACHING[verb]).key == key  # type: ignore[arg-type]


@pytest.mark.parametrize("verb", list(TXN_REACHING))
@pytest.mark.parametrize("key", ["", *filter(_surrogate, UNADDRESSABLE)])
def test_no_transaction_verb_takes_an_empty_key_or_a_lone_surrogate(verb: str, key: str) -> None:
    with pytest.raises(UsageError, match=r"must not be empty|lone surrogate"):
        txn.op(verb, key, **TXN_REACHING[verb])  # type: ignore[arg-type]


@pytest.mark.parametrize("prefix", [key for key in UNADDRESSABLE if not key.endswith("/")])
def test_unaddressable_semaphore_prefixes_are_refused(prefix: str) -> None:
    with pytest.raises(UsageError):
        Semaphore(prefix, 2)


@pytest.mark.parametrize("key", ADDRESSABLE)
def test_addressable_keys_travel_percent_encoded_and_decode_back(key: str) -> None:
    for call in (kv.get(key), kv.set(key, b"v"), kv.keys(key), kv.delete(key)):
        path = call.request.path
        assert path.startswith("/v1/kv/")
        assert path.isascii() and " " not in path and "?" not in path and "#" not in path
        assert unquote(path[len("/v1/kv/") :], errors="strict") == key
    assert txn.op("set", key, value=b"").key == key


def test_a_semaphore_prefix_loses_its_trailing_slashes_before_the_check() -> None:
    assert Semaphore("jobs/render//", 2).prefix == "jobs/render"
    with pytest.raises(UsageError):
        Semaphore("jobs/./render/", 2)


def test_an_empty_prefix_is_the_whole_store_but_an_empty_key_is_refused() -> None:
    assert kv.keys("").request.target == "/v1/kv/?keys"
    assert kv.get_tree("").request.target == "/v1/kv/?recurse"
    for build in (kv.get, kv.raw, kv.delete, kv.delete_tree, KEY_BUILDERS["set"]):
        with pytest.raises(UsageError, match="must not be empty"):
            build("")


def test_the_refusal_says_why() -> None:
    with pytest.raises(UsageError, match=r"'\.' or '\.\.' segment or an empty one"):
        kv.get("app/../victim")
    with pytest.raises(UsageError, match=r"U\+2028 at position 1.*printable"):
        kv.get("a\u2028b")
    with pytest.raises(UsageError, match=r"lone surrogate \(U\+D800\) at position 1"):
        kv.get("a\ud800")


SURROGATE = "x\udc80y"  # what os.fsdecode makes of b"x\x80y"

SURROGATE_ARGUMENTS: dict[str, Callable[[], object]] = {
    "key": lambda: kv.get(SURROGATE),
    "prefix": lambda: kv.keys(SURROGATE),
    "separator": lambda: kv.keys("p/", separator=SURROGATE),
    "str value": lambda: kv.set("k", SURROGATE),
    "dc": lambda: kv.get("k", dc=SURROGATE),
    "token": lambda: kv.get("k", token=SURROGATE),
    "txn key": lambda: txn.op("get", SURROGATE),
    "txn session": lambda: txn.op("check-session", "k", session=SURROGATE),
    "lock session": lambda: kv.lock("k", b"", session=SURROGATE),
    "node name": lambda: catalog.node(SURROGATE),
    "service name": lambda: health.service(SURROGATE),
    "tag": lambda: health.service("web", tag=SURROGATE),
    "filter": lambda: catalog.nodes(filter=SURROGATE),
    "session id": lambda: session.info(SURROGATE),
    "session name": lambda: session.create(name=SURROGATE),
    "session node": lambda: session.node(SURROGATE),
    "client dc": lambda: ClientDefaults(dc=SURROGATE),
    "client token": lambda: ClientDefaults(token=SURROGATE),
}


@pytest.mark.parametrize("build", SURROGATE_ARGUMENTS.values(), ids=list(SURROGATE_ARGUMENTS))
def test_a_lone_surrogate_in_any_string_argument_is_a_usage_error(
    build: Callable[[], object],
) -> None:
    with pytest.raises(UsageError, match="lone surrogate"):
        build()


BAD_TOKENS = [
    "S3CR3T\r\nX-Injected: 1",
    "S3CR3T\n",
    "S3CR3T\x00",
    "S3CR3T\tx",
    "\x7fS3CR3T",
    " S3CR3T",
    "S3CR3T ",
    "S3CRÉT",
    "S3CR3T\u2028",
]


@pytest.mark.parametrize("token", BAD_TOKENS)
def test_a_token_a_header_cannot_carry_is_refused_without_showing_it(token: str) -> None:
    for build in (
        lambda: kv.get("k", token=token),
        lambda: txn.execute([txn.op("get", "k")], token=token),
        lambda: ClientDefaults(token=token),
    ):
        with pytest.raises(UsageError) as caught:
            build()
        assert "S3CR" not in str(caught.value)


def test_tokens_that_headers_carry_are_kept() -> None:
    for token in ("b1gs3cret-0000-4000-8000-000000000000", "legacy token with spaces", "a!~"):
        assert kv.get("k", token=token).request.headers["X-Consul-Token"] == token
        assert ClientDefaults(token=token).token == token
    assert ClientDefaults(token="").token == ""  # empty means none, as for the CLI


def _call(status: int, body: bytes) -> ResponseError:
    call: Call[object] = kv.get("k", token="secret")  # type: ignore[assignment]
    with pytest.raises(ResponseError) as caught:
        call.parse(Response(status, {}, body))
    return caught.value


def test_the_agents_bare_400_says_what_it_usually_means() -> None:
    error = _call(400, b"")
    assert type(error) is BadRequest
    assert "not count as printable" in error.text and "not count as printable" in str(error)
    other = _call(400, b"Missing key name")
    assert type(other) is BadRequest and other.text == "Missing key name"


def test_413_is_request_too_large() -> None:
    body = (
        b"Request body(524289 bytes) too large, max size: 524288 bytes. See "
        b"https://www.consul.io/docs/agent/options.html#kv_max_value_size."
    )
    error = _call(413, body)
    assert type(error) is RequestTooLarge
    assert "max size: 524288 bytes" in str(error)
    assert (error.status, error.method, error.path) == (413, "GET", "/v1/kv/k")


@given(st.text(alphabet="ab/.-~%é\t\x00 \ud800", max_size=6))
@example("/a")
@example("a//b")
@example("a/")
@example("")
@example("a/../b")
def test_a_key_has_one_path_whichever_way_it_is_checked(key: str) -> None:
    # `kv.key_path` takes the usual key without `check_key`'s calls: it must answer as they do.
    try:
        expected: str | None = "/v1/kv/" + percent_encode(kv.check_key(key), "/")
    except UsageError:
        expected = None
    try:
        found: str | None = kv.key_path(key)
    except UsageError:
        found = None
    assert found == expected
