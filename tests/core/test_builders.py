"""Every builder as @builder completes it: the options spelled out in its signature, every
parameter documented in its docstring (as help() and API documentation tools read them), and
a keyword it does not take refused as Python refuses one."""

from __future__ import annotations

import inspect
import json
import pydoc
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import griffe
import pytest

import consul_core.endpoints
from consul_core.call import Call
from consul_core.endpoints import _docs, acl_policies, checks, health, kv
from consul_core.endpoints._options import DESCRIPTIONS, ReadOptions, builder

if TYPE_CHECKING:
    from typing_extensions import Unpack


def _builders() -> Iterator[tuple[str, Callable[..., Any]]]:
    for module_name in consul_core.endpoints.__all__:
        module = getattr(consul_core.endpoints, module_name)
        for name in module.__all__:
            value = getattr(module, name)
            if inspect.isfunction(value) and "Call[" in str(
                inspect.signature(value).return_annotation
            ):
                yield f"{module_name}.{name}", value


BUILDERS = dict(_builders())
ENTRY = re.compile(r"^    (\w+)(?: \(.*\))?:", re.MULTILINE)


def _section(doc: str, header: str) -> str:
    after = doc.split(f"\n{header}\n", 1)[1] if f"\n{header}\n" in doc else ""
    return re.split(r"\n\n[A-Z][a-z]+:\n", after, maxsplit=1)[0]


def test_the_builders_are_found() -> None:
    assert len(BUILDERS) > 150
    assert {"kv.get", "health.service", "acl_tokens.create", "txn.execute"} <= BUILDERS.keys()


@pytest.mark.parametrize("qualified", sorted(BUILDERS))
def test_each_builder_spells_out_its_options_and_documents_every_parameter(
    qualified: str,
) -> None:
    build = BUILDERS[qualified]
    parameters = inspect.signature(build).parameters
    assert "token" in parameters
    assert all(p.kind is not p.VAR_KEYWORD for p in parameters.values()), "options not spelled"
    doc = inspect.getdoc(build) or ""
    assert ENTRY.findall(_section(doc, "Args:")) == list(parameters), "Args: not in order"
    errors = ENTRY.findall(_section(doc, "Raises:"))
    assert errors[-1] == "UsageError"
    if "filter" in parameters:
        assert "BadRequest" in errors
    assert _section(doc, "Returns:").strip()
    assert doc == build.__doc__


@pytest.mark.parametrize("qualified", sorted(BUILDERS))
def test_each_builder_refuses_a_keyword_it_does_not_take(qualified: str) -> None:
    with pytest.raises(TypeError, match=rf"^{qualified.split('.')[1]}\(\) got an unexpected "):
        BUILDERS[qualified](no_such_option=1)


def test_an_option_a_builder_lacks_is_refused_even_where_others_take_it() -> None:
    with pytest.raises(TypeError, match="'filter'"):
        kv.get("k", filter="Key == 'k'")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="'dc'"):
        checks.deregister("c", dc="dc2")  # type: ignore[call-arg]


def test_options_reach_the_request_by_keyword() -> None:
    request = health.service("web", True, "v1", near="_self", cached=True, dc="dc2").request
    assert request.params == (
        ("dc", "dc2"),
        ("near", "_agent"),
        ("tag", "v1"),
        ("cached", ""),
        ("passing", ""),
    )
    request = acl_policies.update({"ID": "1"}, name="n", token="secret").request
    assert request.headers["X-Consul-Token"] == "secret"
    assert json.loads(request.body or b"")["Name"] == "n"


def test_the_shared_lines_come_from_the_table_and_a_builder_may_say_more() -> None:
    doc = kv.get.__doc__ or ""
    for option in ("dc", "watch", "consistency", "token"):
        assert f"    {option}: {DESCRIPTIONS[option]}" in doc
    assert "token: An ACL token for this call only (needs ``acl:read``)." in (
        acl_policies.read.__doc__ or ""
    )
    assert "filter: A filter expression (``'Status == \"critical\"'``)." in (
        checks.items.__doc__ or ""
    )


def test_a_builder_like_another_takes_its_sections_and_keeps_its_own() -> None:
    warning = checks.warning.__doc__ or ""
    assert warning.startswith("Report a TTL check as warning.\n")
    assert "    note: A note to store as the check's output." in warning
    assert "    ServerError: The check is not a TTL check." in warning
    update = acl_policies.update.__doc__ or ""
    assert "    rules: Its rules, in HCL or JSON" in update  # from create
    assert "    The updated policy." in update  # its own
    assert "the spec has no ID" in update


def test_help_shows_the_completed_docstring_and_signature() -> None:
    text = _render_help(kv.get)
    assert "get(key: 'str', *, dc: 'str | None' = None, ns: 'str | None' = None, " in text
    assert 'consistency: ``"default"``, ``"consistent"`` or ``"stale"``' in text


def test_api_documentation_sees_the_completed_builders() -> None:
    # What mkdocstrings shows with `force_inspection: true` (griffe's dynamic analysis).
    module = griffe.load("consul_core.endpoints.health", force_inspection=True)
    service = module["service"]
    assert str(service.filepath).endswith("health.py")  # its source, not the decorator's
    assert [p.name for p in service.parameters][:3] == ["name", "passing", "tag"]
    assert [p.name for p in service.parameters][-2:] == ["consistency", "token"]
    assert service.docstring is not None
    (args,) = [s for s in service.docstring.parse("google") if s.kind.value == "parameters"]
    assert [p.name for p in args.value] == [p.name for p in service.parameters]


def _render_help(function: Callable[..., Any]) -> str:
    # Python 3.13's pydoc puts each parameter of a long signature on a line of its own.
    text = pydoc.render_doc(function, renderer=pydoc.plaintext)
    return re.sub(r"\(\s+", "(", re.sub(r",\n\s+", ", ", text))


class _Extra(ReadOptions, total=False):
    limit: int


def test_the_bundle_s_own_fields_come_first_then_the_shared_options() -> None:
    @builder
    def read(key: str, **options: Unpack[_Extra]) -> Call[int]:
        """Read.

        Args:
            key: The key.
            limit: At most this many.

        Returns:
            A number.
        """
        raise NotImplementedError

    assert list(inspect.signature(read).parameters) == [
        "key",
        "limit",
        "dc",
        "watch",
        "consistency",
        "token",
    ]


def test_a_builder_without_a_bundle_or_with_a_clash_is_refused_at_import() -> None:
    with pytest.raises(TypeError, match="must be \\*\\*options: Unpack"):

        @builder
        def plain(key: str) -> Call[int]:
            raise NotImplementedError

    with pytest.raises(TypeError, match="\\['dc'\\] are both parameters and options"):

        @builder
        def twice(dc: str, **options: Unpack[ReadOptions]) -> Call[int]:
            raise NotImplementedError

    class NotADict:
        pass

    with pytest.raises(TypeError, match="must be \\*\\*options: Unpack"):

        @builder
        def odd(**options: Unpack[NotADict]) -> Call[int]:  # type: ignore[misc]
            raise NotImplementedError


def test_complete_makes_missing_sections_and_keeps_a_specific_usage_error() -> None:
    assert _docs.complete("Do it.", ["x", "token"], {"token": "T."}) == (
        "Do it.\n\nArgs:\n    token: T.\n\nRaises:\n    UsageError: An argument is invalid."
    )
    doc = "Do it.\n\nRaises:\n    UsageError: `x` is odd.\n    NotFound: No x."
    assert _docs.complete(doc, [], {}).endswith("NotFound: No x.\n    UsageError: `x` is odd.")


def test_complete_merges_like_by_entry_and_drops_what_is_not_a_parameter() -> None:
    like = (
        "Base.\n\nArgs:\n    a: A.\n    b: B,\n        long.\n\n"
        "Returns:\n    R.\n\nRaises:\n    E: e."
    )
    doc = _docs.complete("Mine.\n\nArgs:\n    a: Mine.\n", ["a", "c"], {"c": "C."}, like=like)
    assert doc == (
        "Mine.\n\nArgs:\n    a: Mine.\n    c: C.\n\nReturns:\n    R.\n\n"
        "Raises:\n    E: e.\n    UsageError: An argument is invalid."
    )


def test_complete_takes_several_templates_each_later_one_winning() -> None:
    first = "Args:\n    a: First.\n    b: B.\n\nReturns:\n    First."
    second = "Returns:\n    Second.\n\nRaises:\n    E: e."
    doc = _docs.complete("Mine.", ["a", "b"], {}, like=(first, second))
    assert doc == (
        "Mine.\n\nArgs:\n    a: First.\n    b: B.\n\nReturns:\n    Second.\n\n"
        "Raises:\n    E: e.\n    UsageError: An argument is invalid."
    )


def test_sentences_speak_of_a_kind_in_its_words() -> None:
    rules = _docs.sentences("binding rule", "binding rules", "rule", "ACLBindingRule")
    assert rules.read.startswith(
        'Args:\n    rule: The binding rule: its ID, a mapping with ``"ID"``, or an '
        "`ACLBindingRule`.\n\nReturns:\n    The binding rule and the read's metadata."
    )
    assert rules.read.endswith("Raises:\n    NotFound: No binding rule has that ID.")
    assert rules.items == "Returns:\n    The binding rules and the read's metadata."
    peers = _docs.sentences("peering", "peerings", "peering", "Peering", "Name")
    assert 'peering: The peering: its name, a mapping with ``"Name"``, or a `Peering`.' in (
        peers.delete
    )
    assert peers.update.endswith("UsageError: An argument is invalid, or the spec has no name.")


def test_a_builder_takes_a_kind_s_sentences_and_the_rule_its_token_needs() -> None:
    doc = acl_policies.delete.__doc__ or ""
    assert '    policy: The policy: its ID, a mapping with ``"ID"``, or an `ACLPolicy`.' in doc
    assert "    True (Consul 1.8 also answers True when there is no such policy)." in doc
    assert "    PermissionDenied: The call's token lacks ``acl:write``." in doc
