"""The fast paths of the core's per-call work give what the general paths give."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from consul_core import (
    Call,
    ClientDefaults,
    Headers,
    QueryMeta,
    Request,
    Response,
    UnexpectedResponse,
    UsageError,
    _kept,
)
from consul_core.endpoints import _options, catalog, health, kv, status
from consul_core.http import _GO_SPELLED, percent_encode

SAFE = st.sampled_from(["", "/", ":[]"])


@given(st.text(), SAFE)
def test_percent_encode_is_quote(text: str, safe: str) -> None:
    assert percent_encode(text, safe) == quote(text, safe=safe)


@pytest.mark.parametrize("text", ["", "app/config", "a b", "caf\u00e9", "x?y#z", "100%", "~_.-"])
def test_percent_encode_escapes_what_quote_escapes(text: str) -> None:
    assert percent_encode(text, "/") == quote(text, safe="/")
    assert percent_encode(text) == quote(text, safe="")


def test_a_lone_surrogate_still_fails_to_encode() -> None:
    with pytest.raises(UnicodeEncodeError):
        percent_encode("a\udc80")


def test_header_items_are_the_names_as_written_in_order() -> None:
    headers = Headers({"X-Consul-Token": "t", "accept": "a", "X-CONSUL-TOKEN": "u"})
    assert list(headers.items()) == [("X-CONSUL-TOKEN", "u"), ("accept", "a")]
    assert ("x-consul-token", "u") in headers.items()  # as the mapping: any case
    assert len(headers.items()) == 2
    fields = Headers.from_fields({b"X-Consul-Index": b"7", b"Date": b"d"})
    assert list(fields.items()) == [("X-Consul-Index", "7"), ("Date", "d")]


# Header fields as a parser hands them over: token names in any case (some repeated, whatever
# their case), latin-1 values without NUL.
FIELDS = st.dictionaries(
    st.sampled_from([b"X-Consul-Index", b"x-consul-index", b"Date", b"Age", b"X-Cache", b"A"]),
    st.binary(max_size=8).filter(lambda value: b"\0" not in value),
)
# Names as Go writes them: a reply's fields spelled so are looked up without being decoded.
PICKED = (b"X-Consul-Index", b"Date", b"Age", b"X-Cache", b"A", b"Absent")
READS_OF_HEADERS: list[Callable[[Headers], object]] = [
    lambda h: h.raw_values(PICKED),
    lambda h: h.get("x-consul-index"),
    lambda h: h.get("AGE", "none"),
    lambda h: "date" in h,
    len,
    list,
    lambda h: list(h.items()),
    repr,
    hash,
    lambda h: h.merged({"Accept": "a"}).raw_values((b"Accept", *PICKED)),
]


@given(FIELDS, st.sampled_from(READS_OF_HEADERS))
def test_a_replys_headers_read_first_in_any_way_are_the_decoded_ones(
    fields: dict[bytes, bytes], read: Callable[[Headers], object]
) -> None:
    # from_fields defers the decoding to the first read: whichever read comes first sees what
    # headers built from the decoded fields, in order, give.
    decoded = Headers(
        (name.decode("latin-1"), value.decode("latin-1")) for name, value in fields.items()
    )
    headers = Headers.from_fields(fields)
    assert read(headers) == read(decoded)
    assert headers == decoded


def test_a_replys_headers_are_decoded_once_and_hold_no_copy_of_the_parsers_fields() -> None:
    fields = {b"X-Consul-Index": b"7"}
    headers = Headers.from_fields(fields)
    fields.clear()  # a parser reuses its dict for the next response
    assert headers.get("x-consul-index") == "7"
    assert headers.raw_values((b"X-Consul-Index",)) == [b"7"]


def test_merging_into_no_headers_gives_the_added_ones() -> None:
    added = Headers({"X-Consul-Token": "t"})
    assert Headers().merged(added) is added
    assert Headers().merged({"Accept": "a"}) == {"accept": "a"}
    own = Headers({"x-consul-token": "mine", "Cache-Control": "max-age=1"})
    merged = own.merged(Headers({"X-Consul-Token": "client", "X-Extra": "e"}))
    assert merged == {"x-consul-token": "mine", "cache-control": "max-age=1", "x-extra": "e"}
    assert list(merged) == ["x-consul-token", "Cache-Control", "X-Extra"]
    assert own.merged({"X-CONSUL-TOKEN": "client"}) is own


ENTRY = b'[{"Key": "app/a", "Value": "dg==", "CreateIndex": 1, "ModifyIndex": 2}]'
READS: list[tuple[Callable[..., Call[Any]], bytes]] = [
    (lambda **o: kv.get("app/a", **o), ENTRY),
    (lambda **o: kv.get_tree("app/", **o), ENTRY),
    (lambda **o: kv.keys("app/", separator="/", **o), b'["app/a"]'),
    (lambda **o: catalog.service("web", **o), b"[]"),
    (lambda **o: health.service("web", **o), b"[]"),
]


@pytest.mark.parametrize(("read", "body"), READS)
def test_a_read_without_options_is_the_read_with_every_option_left_out(
    read: Callable[..., Call[Any]], body: bytes
) -> None:
    plain = read()
    spelled = read(dc=None, consistency=None, watch=None, token=None)
    assert plain.request == spelled.request
    assert plain.expect == spelled.expect
    assert (plain.on_error is None) == (spelled.on_error is None)
    reply = Response(200, {"X-Consul-Index": "5"}, body)
    assert plain.parse(reply) == spelled.parse(reply)
    assert plain.parse(reply)[1].index == 5


def test_a_read_s_options_still_reach_the_request() -> None:
    request = kv.get("app/a", dc="dc2", consistency="stale", watch=(3, "10s")).request
    assert request.target == "/v1/kv/app/a?dc=dc2&stale&index=3&wait=10s"
    assert request.timeout is not None


def test_defaults_changed_by_evolve_apply_their_new_values() -> None:
    defaults = ClientDefaults(dc="dc1", consistency="stale", token="a" * 8)
    read = kv.get("k").request
    assert defaults.apply(read).target == "/v1/kv/k?dc=dc1&stale"
    changed = attrs.evolve(defaults, dc="dc2", consistency="default", namespace="team")
    assert changed.apply(read).target == "/v1/kv/k?dc=dc2&ns=team"
    assert changed.apply(read).headers == {"x-consul-token": "a" * 8}
    assert ClientDefaults(dc="", consistency="default").apply(read) is read


@pytest.mark.parametrize(
    ("body", "result"), [(b"true", True), (b"false", False), (b" true\n", True)]
)
def test_a_write_s_boolean_reply(body: bytes, result: bool) -> None:
    assert kv.set("k", b"v").parse(Response(200, {}, body)) is result


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"1", "expected a boolean, got a number"),
        (b'"true"', "expected a boolean, got a string"),
        (b"tru", "the body is not JSON"),
        (b"", "the body is not JSON"),
    ],
)
def test_a_write_s_reply_that_is_not_a_boolean(body: bytes, detail: str) -> None:
    with pytest.raises(UnexpectedResponse, match=detail):
        kv.set("k", b"v").parse(Response(200, {}, body))


def test_a_string_reply() -> None:
    assert status.leader().parse(Response(200, {}, b'"10.0.0.1:8300"')) == "10.0.0.1:8300"
    with pytest.raises(UnexpectedResponse, match="expected a string, got a boolean"):
        status.leader().parse(Response(200, {}, b"true"))


@pytest.mark.parametrize(
    ("value", "contact"),
    [("0", timedelta(0)), ("250", timedelta(milliseconds=250)), ("x", timedelta(0))],
)
def test_last_contact(value: str, contact: timedelta) -> None:
    meta = QueryMeta.from_headers(Headers({"X-Consul-LastContact": value}))
    assert meta.last_contact == contact
    assert QueryMeta.from_headers({}).last_contact == timedelta(0)


def test_a_request_with_no_parameters_does_not_block() -> None:
    assert not Request("GET", "/v1/kv/a").blocking
    assert Request("GET", "/v1/kv/a", (("index", "3"),)).blocking
    assert not Request("PUT", "/v1/kv/a", (("index", "3"),)).blocking


# Fields of a request as the core builds them.
REQUEST_FIELDS = st.tuples(
    st.sampled_from(["GET", "PUT", "DELETE"]),
    st.from_regex(r"/v1/[a-z/]{0,12}", fullmatch=True),
    st.lists(st.tuples(st.sampled_from(["dc", "index", "recurse"]), st.text(max_size=4))).map(
        tuple
    ),
    st.dictionaries(st.sampled_from(["X-Consul-Token", "Accept"]), st.text(max_size=4)).map(
        Headers
    ),
    st.none() | st.binary(max_size=8),
    st.none() | st.floats(min_value=0.1, max_value=600),
    st.frozensets(st.sampled_from(["dc", "consistency", "ns", "partition"])),
    st.lists(st.text(min_size=1, max_size=4), max_size=2).map(tuple),
)


@given(REQUEST_FIELDS)
def test_request_of_is_the_request_that_attrs_builds(fields: tuple[Any, ...]) -> None:
    fast, built = Request.of(*fields), Request(*fields)
    assert type(fast) is Request
    assert fast == built and hash(fast) == hash(built) and repr(fast) == repr(built)
    assert attrs.astuple(fast, recurse=False) == attrs.astuple(built, recurse=False)
    assert fast.target == built.target and fast.shown_path == built.shown_path


@given(st.integers(100, 599), FIELDS, st.binary(max_size=16))
def test_response_of_is_the_response_that_attrs_builds(
    status: int, fields: dict[bytes, bytes], body: bytes
) -> None:
    fast = Response.of(status, Headers.from_fields(fields), body)
    built = Response(status, Headers.from_fields(fields), body)
    assert type(fast) is Response
    assert fast == built and hash(fast) == hash(built) and repr(fast) == repr(built)


def _body(response: Response) -> bytes:
    return response.body


def test_call_of_is_the_call_that_attrs_builds() -> None:
    request = Request.of("GET", "/v1/kv/k", (), Headers(), None, None, frozenset())
    fast = Call.of(request, _body, frozenset({200, 404}))
    assert type(fast) is Call
    assert fast == Call(request, _body, frozenset({200, 404}))
    assert fast.on_error is None


@pytest.mark.parametrize(
    "made",
    [
        lambda: Request.of("GET", "/v1/kv/k", (("dc", "a"),), Headers(), None, 5.0, frozenset()),
        lambda: Response.of(200, Headers({"X-Consul-Index": "3"}), b"[]"),
        lambda: Call.of(Request("GET", "/v1/status/leader"), _body),
    ],
    ids=["request", "response", "call"],
)
def test_what_the_fast_constructors_make_is_frozen_and_evolves_and_pickles(
    made: Callable[[], Any],
) -> None:
    value = made()
    field = attrs.fields(type(value))[0].name
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(value, field, None)
    assert attrs.evolve(value) == value
    assert pickle.loads(pickle.dumps(value)) == value


@pytest.mark.parametrize(
    "headers",
    [
        Headers(),
        Headers({"X-Consul-Index": "3", "accept": "a"}),
        Headers.from_fields({b"X-Consul-Index": b"3"}),
        Headers.from_fields({}),  # the shared empty headers
    ],
    ids=["empty", "by-hand", "fields", "no-fields"],
)
def test_headers_pickle_and_copy_unchanged(headers: Headers) -> None:
    before = dict(headers)
    assert pickle.loads(pickle.dumps(headers)) == before
    assert copy.copy(headers) == before
    assert dict(headers) == before  # (pickling once decoded hand-built headers as no fields)
    assert list(pickle.loads(pickle.dumps(headers)).items()) == list(headers.items())
    assert Headers.from_fields({}) == {}


def test_the_names_taken_as_go_spelled_without_a_scan_are_so() -> None:
    assert all(name.istitle() for name in _GO_SPELLED)
    assert b"X-Consul-Index" in _GO_SPELLED and b"Content-Type" in _GO_SPELLED


@pytest.mark.parametrize(
    ("sent", "index"),
    [
        (b"42", 42),
        (b"9999999999999999999", 9_999_999_999_999_999_999),  # 19 digits: the short way
        (b"18446744073709551615", 2**64 - 1),  # 20 digits, the largest uint64
        (b"18446744073709551616", 0),  # past uint64
        (b"000000000000000000042", 0),  # 21 digits
        (b"+1", 0),
        (b" 1", 0),
        (b"1_0", 0),
        (b"", 0),
        (b"\xd9\xa1", 0),  # not an ASCII digit
    ],
)
def test_the_index_of_a_reply_is_a_decimal_uint64_or_0(sent: bytes, index: int) -> None:
    fields = {b"X-Consul-Index": sent, b"X-Consul-Knownleader": b"true"}
    assert QueryMeta.from_headers(Headers.from_fields(fields)).index == index
    spelled_otherwise = {b"x-consul-index": sent}  # through the general path
    assert QueryMeta.from_headers(Headers.from_fields(spelled_otherwise)).index == index


_USUAL_REPLY = {
    b"Content-Type": b"application/json",
    b"Vary": b"Accept-Encoding",
    b"X-Consul-Index": b"12",
    b"X-Consul-Knownleader": b"true",
    b"X-Consul-Lastcontact": b"25",
    b"Date": b"Fri, 04 Dec 2026 05:20:15 GMT",
    b"Content-Length": b"298",
}
_RARER = {
    b"X-Consul-Effective-Consistency": b"leader",
    b"X-Consul-Default-Acl-Policy": b"deny",
    b"X-Consul-Results-Filtered-By-Acls": b"true",
    b"X-Cache": b"HIT",
    b"Age": b"30",
    b"X-Consul-Query-Backend": b"streaming",
    b"X-Consul-Contenthash": b"a1b2",
    b"X-Consul-Translate-Addresses": b"true",
    b"X-Unknown": b"x",  # a name QueryMeta does not read, outside the usual reply's
}


@pytest.mark.parametrize("extra", [None, *_RARER])
def test_a_replys_metadata_reads_alike_whichever_headers_it_holds(extra: bytes | None) -> None:
    # A usual reply is read from the three headers it holds; one more name of any kind takes
    # the path that looks up every header. Both read what the decoded headers read.
    fields = dict(_USUAL_REPLY)
    if extra is not None:
        fields[extra] = _RARER[extra]
    decoded = {name.decode(): value.decode() for name, value in fields.items()}
    meta = QueryMeta.from_headers(Headers.from_fields(fields))
    assert meta == QueryMeta.from_headers(Headers(decoded))
    usual_only = QueryMeta(12, True, timedelta(milliseconds=25))
    # Each of QueryMeta's rarer headers shows in it; a name it does not read changes nothing.
    assert (meta == usual_only) == (extra in (None, b"X-Unknown"))


def test_fields_within_answers_only_for_a_reply_of_those_names() -> None:
    within = frozenset({b"X-Consul-Index", b"Date"})
    usual = Headers.from_fields({b"X-Consul-Index": b"7", b"Date": b"d"})
    assert usual.fields_within(within) == {b"X-Consul-Index": b"7", b"Date": b"d"}
    other = Headers.from_fields({b"X-Consul-Index": b"7", b"Age": b"3"})
    assert other.fields_within(within) is None
    by_hand = Headers({"X-Consul-Index": "7"})  # not a parser's fields
    assert by_hand.fields_within(within) is None


def _forget_kept_calls() -> None:
    for kept in _options._BUILT.values():
        kept.clear()


def _kept_calls() -> list[Call[Any]]:
    return [call for kept in _options._BUILT.values() for call in kept.values()]


@pytest.fixture
def no_kept_calls() -> Iterator[None]:
    """No call kept by the builders before and after the test (`_options._BUILT`)."""
    _forget_kept_calls()
    yield
    _forget_kept_calls()


def _built_anew(build: Callable[[], Call[Any]]) -> Call[Any]:
    _forget_kept_calls()
    return build()


@pytest.mark.usefixtures("no_kept_calls")
@given(
    key=st.text("abz09-_: é", min_size=1, max_size=8),
    dc=st.none() | st.sampled_from(["dc1", "dc2"]),
    consistency=st.sampled_from([None, "stale", "consistent"]),
)
def test_a_repeated_read_is_the_call_its_builder_builds(
    key: str, dc: str | None, consistency: Any
) -> None:
    def read() -> Call[Any]:
        return kv.get(key, dc=dc, consistency=consistency)

    first = read()
    assert read() is first  # kept: built once
    anew = _built_anew(read)
    assert anew is not first
    assert anew.request == first.request
    reply = Response(200, {"X-Consul-Index": "5"}, ENTRY)
    assert anew.parse(reply) == first.parse(reply)


@pytest.mark.usefixtures("no_kept_calls")
def test_reads_with_other_arguments_are_other_calls() -> None:
    calls = [kv.get("a"), kv.get("b"), kv.get("a", dc="dc2"), kv.get_tree("a")]
    assert len({id(call) for call in calls}) == len({call.request for call in calls}) == 4
    assert health.service("web", passing=True) is health.service("web", passing=True)
    assert health.service("web", passing=True) is not health.service("web", passing=False)


@pytest.mark.usefixtures("no_kept_calls")
@pytest.mark.parametrize(
    "build",
    [
        lambda: kv.get("a", token="secret"),  # a token: no call holding it is kept
        lambda: health.service("web", cached=True, max_age="5s"),  # a header of its own
        lambda: kv.delete("a"),  # a write
        lambda: kv.get("a", watch=(3, "10s")),  # not a str, bool or None
        lambda: health.service("web", tag=["a"]),  # a list may change in place
    ],
)
def test_calls_with_a_header_or_a_write_or_other_arguments_are_built_anew(
    build: Callable[[], Call[Any]],
) -> None:
    assert build() is not build()
    assert _kept_calls() == []


@pytest.mark.usefixtures("no_kept_calls")
def test_a_sole_argument_of_a_type_not_plain_is_built_anew() -> None:
    class Key(str):
        """Equal to the plain key, and hashed alike."""

    first = kv.get("a")
    assert kv.get(Key("a")) is not first
    assert kv.get(Key("a")) is not kv.get(Key("a"))
    assert _kept_calls() == [first]


@pytest.mark.usefixtures("no_kept_calls")
def test_a_value_equal_to_a_kept_one_of_another_type_is_checked() -> None:
    health.service("web", passing=True)
    with pytest.raises(UsageError, match="passing must be a bool, not int"):
        health.service("web", passing=1)  # type: ignore[arg-type]  # == True


@pytest.mark.usefixtures("no_kept_calls")
def test_bad_input_is_refused_each_time() -> None:
    for _ in range(2):
        with pytest.raises(UsageError, match="must not begin with '/'"):
            kv.get("/a")
        with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
            kv.get("a", colour="red")  # type: ignore[call-arg]
    assert _kept_calls() == []


@pytest.mark.usefixtures("no_kept_calls")
def test_the_kept_calls_are_bounded_and_each_builder_keeps_its_own() -> None:
    for number in range(_kept.LIMIT + 10):
        kv.get(f"k{number}")
    kv.get_tree("k0")
    assert 0 < len(_options._BUILT[kv.get.__wrapped__]) <= _kept.LIMIT
    assert list(_options._BUILT[kv.get_tree.__wrapped__]) == [("k0",)]


@given(
    key=st.text("abz09-_: é", min_size=1, max_size=8),
    dc=st.none() | st.sampled_from(["dc1", "dc2"]),
    prefix=st.sampled_from(["", "/consul"]),
    token=st.none() | st.just("b" * 36),
)
def test_defaults_complete_a_repeated_read_as_they_completed_it(
    key: str, dc: str | None, prefix: str, token: str | None
) -> None:
    defaults = ClientDefaults(dc=dc, token=token, path_prefix=prefix, consistency="stale")
    read = kv.get(key).request
    completed = defaults.apply(read)
    assert defaults.apply(read) is completed  # kept: completed once
    anew = ClientDefaults(dc=dc, token=token, path_prefix=prefix, consistency="stale").apply(read)
    assert anew == completed
    assert completed.path == f"{prefix}/v1/kv/{quote(key, safe='/')}"
    assert ("dc", dc) in completed.params if dc else "dc" not in dict(completed.params)
    assert completed.headers.get("x-consul-token") == token


@pytest.mark.parametrize(
    "request_",
    [
        kv.get("a", token="secret").request,  # a header of its own
        kv.set("a", b"v").request,  # a write
        Request("GET", "/v1/kv/a", headers={"Cache-Control": "max-age=5"}),
    ],
)
def test_defaults_keep_only_the_reads_a_builder_keeps(request_: Request) -> None:
    defaults = ClientDefaults(token="c" * 36, dc="dc1")
    assert defaults.apply(request_) == defaults.apply(request_)
    assert defaults._completed == {}


def test_the_requests_defaults_completed_are_bounded_and_each_client_keeps_its_own() -> None:
    one, other = ClientDefaults(dc="dc1"), ClientDefaults(dc="dc2")
    reads = [
        Request("GET", f"/v1/kv/k{number}", defaults=frozenset({"dc"})) for number in range(40)
    ]
    for read in reads:
        assert one.apply(read).param("dc") == "dc1"
    assert 0 < len(one._completed) <= _kept.LIMIT
    assert other.apply(reads[-1]).param("dc") == "dc2"  # not one's completion
    assert one.apply(reads[-1]).param("dc") == "dc1"


@pytest.mark.parametrize("copied", [copy.deepcopy, lambda d: pickle.loads(pickle.dumps(d))])
def test_a_copy_of_defaults_completes_each_request_as_its_own(
    copied: Callable[[ClientDefaults], ClientDefaults],
) -> None:
    defaults = ClientDefaults(dc="dc1")
    read = kv.get("one").request
    defaults.apply(read)
    copy_ = copied(defaults)
    # A request at the address the copied entry was made for: not the request of that entry.
    other = kv.get("two").request
    copy_._completed[id(other)] = copy_._completed.pop(id(read))
    assert copy_.apply(other).path == "/v1/kv/two"
    assert copy_.apply(read).path == "/v1/kv/one"
