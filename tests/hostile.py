"""Hypothesis strategies for hostile input, and an oracle of what the agent makes of a KV key.

The oracle is written from the agent's behaviour, not from `kv.check_key`: Go's `path.Clean`
(its router redirects a path that cleaning changes) is `posixpath.normpath` with the trailing
slash kept, and go-cleanhttp's printable check is Go's `unicode.IsPrint`, i.e.
`str.isprintable()`.
"""

from __future__ import annotations

import enum
import posixpath
import re
import unicodedata

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Deterministic runs: a fixed seed per test and no example database, so CI sees the same inputs.
DETERMINISTIC = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# A request target as HTTP/1.1 carries it: visible ASCII from a "/", no space, CR or LF.
REQUEST_TARGET = re.compile(r"/[\x21-\x7e]*")

# Pieces of keys and names that have broken clients: path syntax, URL syntax, percent-escapes,
# characters a header or a request line cannot carry, characters Go does not count as printable,
# lone surrogates, and ordinary non-ASCII text.
DANGEROUS = [
    "/", "//", ".", "..", "./", "../", "/.", "/..", "%", "%2F", "%2e", "%00", "?", "#", "&",
    "=", "+", ";", " ", "\\", "\r", "\n", "\r\n", "\x00", "\t", "\x7f", "\x85", "\u00a0",
    "\u00ad", "\u200d", "\u2028", "\u2029", "\ufeff", "\ue000", "\ufffe", "\U00050000",
    "\ud800", "\udfff", "\udc80", "é", "ключ", "鍵", "\U0001f971", "a\u0301",
    " HTTP/1.1\r\nHost: evil\r\n\r\nGET /",
]  # fmt: skip


# Printable text from every plane: what keys usually hold.
PRINTABLE = st.text(
    alphabet=st.characters(codec=None, categories=("L", "M", "N", "P", "S")), max_size=3
)


def text_with_dangers(*, danger_percent: int = 67) -> st.SearchStrategy[str]:
    """Text assembled from pieces: dangerous ones and arbitrary characters (surrogates included)
    for `danger_percent` of them, printable text for the rest.
    """
    dangerous = st.one_of(
        st.sampled_from(DANGEROUS), st.text(alphabet=st.characters(codec=None), max_size=3)
    )
    piece = st.integers(1, 100).flatmap(lambda n: dangerous if n <= danger_percent else PRINTABLE)
    return st.lists(piece, max_size=8).map("".join)


class Fate(enum.Enum):
    """What becomes of a KV key."""

    REFUSED = "refused before any request"
    AGENTS_CALL = "left to the agent's Unicode tables"
    ADDRESSABLE = "addressable"


def _is_noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def go_clean(path: str) -> str:
    """Go's `http.ServeMux` cleaning of a request path (`cleanPath`)."""
    cleaned = posixpath.normpath(path)
    return cleaned + "/" if path.endswith("/") and cleaned != "/" else cleaned


def key_fate(key: str, *, prefix: bool = False) -> Fate:
    """What the agent makes of ``/v1/kv/<key>``, and so what the client must do."""
    try:
        key.encode()
    except UnicodeEncodeError:
        return Fate.REFUSED
    path = "/v1/kv/" + key
    if (not key and not prefix) or key.startswith("/") or go_clean(path) != path:
        return Fate.REFUSED
    fate = Fate.ADDRESSABLE
    for char in key:
        if not char.isprintable():
            if unicodedata.category(char) != "Cn" or _is_noncharacter(ord(char)):
                return Fate.REFUSED
            fate = Fate.AGENTS_CALL
        elif unicodedata.ucd_3_2_0.category(char) == "Cn":
            # Assigned after Unicode 3.2: an agent whose Go is older than that may not know it
            # (Consul 1.8.7 knows Unicode 12.0).
            fate = Fate.AGENTS_CALL
    return fate
