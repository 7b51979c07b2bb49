"""The docstrings of the builders, completed at import: their ``Args:`` in signature order with
the shared options' lines, and a ``UsageError`` in ``Raises:``, optionally on the sections of
another builder's docstring or of `Sentences` (see `_options.builder`).

Docstrings are Google-style, read and written by `consul_core._docstrings`: a text, then the
sections ``Args:``, ``Returns:``, ``Yields:``, ``Raises:``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import attrs

from consul_core import _docstrings

__all__ = ["Sentences", "complete", "sentences"]

SECTIONS = ("Args:", "Returns:", "Yields:", "Raises:")
USAGE_ERROR = "    UsageError: An argument is invalid."
_NAMED = ("Args:", "Raises:")  # sections whose entries are merged by name


def complete(
    doc: str,
    parameters: Iterable[str],
    shared: Mapping[str, str],
    *,
    errors: Mapping[str, str] | None = None,
    like: str | Sequence[str] = (),
) -> str:
    """Return `doc` completed.

    Args:
        doc: A builder's own docstring, cleaned (`inspect.getdoc`).
        parameters: The names of its parameters, in order.
        shared: The description of each parameter that `doc` may leave out.
        errors: What each error that `doc` may leave out means (by its name).
        like: Another builder's docstring whose sections `doc` takes, its own entries and
            sections winning (an ``Args:`` entry of `like` only for a parameter of this one);
            or several, each later one winning over those before it.

    Returns:
        The text of `doc`, then ``Args:`` with a line for every parameter, in order, from `doc`,
        `like` or `shared`; ``Returns:``/``Yields:``; and ``Raises:`` with a ``UsageError``.
    """
    names = list(parameters)
    text, sections, after = _docstrings.split(doc, SECTIONS)
    templates = [like] if isinstance(like, str) else like
    if templates:
        base = _docstrings.split(templates[0], SECTIONS)[1]
        for template in templates[1:]:
            base = _merged(base, _docstrings.split(template, SECTIONS)[1], names)
        sections = _merged(base, sections, names)
    documented = _docstrings.entries(sections.get("Args:", []))
    args = documented.pop("")
    for name in names:
        if name in documented:
            args += documented.pop(name)
        elif name in shared:
            args.append(f"    {name}: {shared[name]}")
    sections["Args:"] = [*args, *(line for rest in documented.values() for line in rest)]
    raises = _docstrings.entries(sections.get("Raises:", []))
    for error, meaning in (errors or {}).items():
        raises.setdefault(error, [f"    {error}: {meaning}"])
    usage = raises.pop("UsageError", [USAGE_ERROR])  # last, as the catch-all
    sections["Raises:"] = [*(line for lines in raises.values() for line in lines), *usage]
    return _docstrings.join(text, [(s, sections.get(s, [])) for s in SECTIONS], after)


def _merged(
    base: Mapping[str, list[str]], own: Mapping[str, list[str]], parameters: list[str]
) -> dict[str, list[str]]:
    merged = {**base, **own}
    for section in _NAMED:
        inherited = _docstrings.entries(base.get(section, []))
        if section == "Args:":
            inherited = {k: v for k, v in inherited.items() if k in parameters}
        entries = {**inherited, **_docstrings.entries(own.get(section, []))}
        merged[section] = [line for lines in entries.values() for line in lines]
    return merged


_KEY_WORDS = {"ID": "ID", "Name": "name", "AccessorID": "accessor ID"}
# What the builders of sibling kinds of objects say of them, by the kind of builder: docstring
# sections whose words ({one}, {arg}, ...) a kind fills (see `sentences`).
_REF = 'its {key}, a mapping with ``"{field}"``, or {a} `{model}`'
_WHOLE = 'The whole {one}, with its ``"{field}"``: a mapping in Consul\'s shape or {a} `{model}`'
_NAMED_ARG = "Args:\n    {arg}: The {one}: {ref}."
_SENTENCES = {
    "named": _NAMED_ARG,
    "read": "{named}\n\nReturns:\n    The {one} and the read's metadata.\n\nRaises:\n    {missing}",
    "read_by_name": "Args:\n    name: The {one}'s name.\n\n"
    "Returns:\n    The {one} and the read's metadata.\n\nRaises:\n    {missing_name}",
    "items": "{filters}Returns:\n    The {many} and the read's metadata.",
    "delete": "{named}\n\nReturns:\n    {deleted}",
    "create": "Args:\n    {arg}: {new}; the keyword arguments override it.\n"
    "    name: The {one}'s unique name.\n    description: A human-readable description.\n\n"
    "Returns:\n    The new {one}.\n\nRaises:\n    {usage}, or the spec {new_spec}.",
    "update": "Args:\n    {arg}: {whole}; the keyword arguments override it.\n\n"
    "Returns:\n    The updated {one}.\n\nRaises:\n    {usage}, or the spec has no {key}.",
}


@attrs.frozen
class Sentences:
    """The docstring sections that the builders of one kind of object share with those of its
    siblings (ACL policies and roles, namespaces and partitions...), in this kind's words: each
    is for `_options.builder`'s ``like=``, the builder's own entries winning.

    Attributes:
        named: The ``Args:`` entry of the argument that names one.
        read: A read of one: that entry, what it returns, what a missing one raises.
        read_by_name: A read of one by its name, when it is named by an ID.
        items: A read of the list (and the filters it may take).
        delete: A delete of one.
        create: A create from a spec.
        update: A replacement of one by a spec that names it.
    """

    named: str
    read: str
    read_by_name: str
    items: str
    delete: str
    create: str
    update: str


def sentences(
    one: str,
    many: str,
    arg: str,
    model: str,
    key: str = "ID",
    *,
    missing: str = "NotFound: No {one} has that {key}.",
    missing_name: str = "NotFound: No {one} has that name.",
    deleted: str = "True.",
    new_spec: str = "has no {key}",
    new: str = "A spec in Consul's shape or {a} `{model}`",
    whole: str = _WHOLE,
    filters: str = "",
) -> Sentences:
    """The sentences of the builders of one kind of object.

    Args:
        one: The object, in words (``"binding rule"``).
        many: Its plural (``"binding rules"``).
        arg: The builders' parameter that names one (``"rule"``).
        model: The name of its model (``"ACLBindingRule"``).
        key: The key of a mapping that names one (``"ID"``, ``"Name"``, ``"AccessorID"``).
        missing: What a call that names a missing one raises, as an entry of ``Raises:``.
        missing_name: Likewise, for a read by name.
        deleted: What a delete returns.
        new_spec: What a create's spec must not be, after "the spec" (``"has an ID"``).
        new: What a create's spec argument may be (the keyword arguments override it).
        whole: What an update's spec argument must be (likewise).
        filters: The ``Args:`` entries of the filters a listing may take (only those of a
            builder's parameters count).
    """
    words = {"one": one, "many": many, "arg": arg, "model": model, "field": key}
    words.update(key=_KEY_WORDS[key], a="an" if model[0] in "AEIOU" else "a")
    words["usage"] = USAGE_ERROR.strip().removesuffix(".")
    # The phrases, filled in order (`named` takes `ref`), then the sections that take them.
    phrases = {
        "ref": _REF,
        "named": _NAMED_ARG,
        "missing": missing,
        "missing_name": missing_name,
        "deleted": deleted,
        "new_spec": new_spec,
        "new": new,
        "whole": whole,
        "filters": f"Args:\n{filters}\n\n" if filters else "",
    }
    for name, text in phrases.items():
        words[name] = text.format(**words)
    return Sentences(**{kind: text.format(**words) for kind, text in _SENTENCES.items()})
