"""The fast paths of the core's per-call work give what the general paths give."""

from __future__ import annotations

from collections.abc import Callable
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
)
from consul_core.endpoints import catalog, health, kv, status
from consul_core.http import percent_encode

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
