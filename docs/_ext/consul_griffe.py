"""A griffe extension for the API reference: what griffe reads from the source, completed from
the imported code where the two differ.

- Docstrings composed at import time (shared ``Args:`` lines, a watch's preamble) are taken from
  the imported object whenever its ``__doc__`` differs from the text in the source, whatever
  form the composing takes.
- A namespace's methods are descriptors (``get = endpoint(kv.get)``, ``watch =
  watcher(kv.get)``, ``lock = holder(Lock)``), which griffe sees as plain attributes. Each
  becomes a method with the builder's (or the held class's) parameters, the descriptor's
  docstring, and what the sync client returns.
"""

from __future__ import annotations

import inspect
from typing import Any

import griffe

PACKAGES = ("consul_core", "consul_transports")
DESCRIPTORS = frozenset({"endpoint", "watcher", "holder"})


def _runtime(path: str) -> Any:
    try:
        return griffe.dynamic_import(path)
    except ImportError:
        return None


def _docstring(text: str, owner: griffe.Object, loader: griffe.GriffeLoader) -> griffe.Docstring:
    return griffe.Docstring(
        inspect.cleandoc(text),
        lineno=owner.lineno,
        endlineno=owner.endlineno,
        parent=owner,
        parser=loader.docstring_parser,
        parser_options=loader.docstring_options,
    )


def _call_result(returns: str | griffe.Expr | None) -> str | griffe.Expr | None:
    """``T`` out of a builder's ``Call[T]``."""
    if isinstance(returns, griffe.ExprSubscript) and str(returns.left) == "Call":
        return returns.slice
    return returns


def _name(name: str, scope: griffe.Object) -> griffe.ExprName:
    return griffe.ExprName(name, parent=scope)  # type: ignore[arg-type]


def _watch_result(read: str | griffe.Expr | None, scope: griffe.Object) -> griffe.Expr:
    """``WatchIterator[tuple[V | None, QueryMeta]]`` out of a read's ``tuple[V, QueryMeta]``."""
    item: str | griffe.Expr | None = read
    if isinstance(read, griffe.ExprSubscript) and isinstance(read.slice, griffe.ExprTuple):
        value, meta = read.slice.elements
        optional = griffe.ExprBinOp(value, "|", "None")
        item = griffe.ExprSubscript(read.left, griffe.ExprTuple([optional, meta], implicit=True))
    return griffe.ExprSubscript(_name("WatchIterator", scope), item or "Any")


class NamespaceMethods(griffe.Extension):
    """Runtime docstrings for the project's objects; methods for the namespaces' descriptors."""

    def on_object(self, *, obj: griffe.Object, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        """Take the imported object's docstring when it differs from the source's."""
        if not (obj.is_function or obj.is_class) or obj.package.name not in PACKAGES:
            return
        doc = getattr(_runtime(obj.path), "__doc__", None)
        if not isinstance(doc, str) or not doc.strip():
            return
        if obj.docstring is None or obj.docstring.value != inspect.cleandoc(doc):
            obj.docstring = _docstring(doc, obj, loader)

    def on_class(self, *, cls: griffe.Class, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        """Replace the class's descriptor attributes (``endpoint(...)``, ...) with methods."""
        if cls.package.name not in PACKAGES:
            return
        for name, member in list(cls.members.items()):
            value = getattr(member, "value", None)
            if isinstance(value, griffe.ExprCall) and str(value.function) in DESCRIPTORS:
                cls.set_member(name, self._method(cls, name, member, loader))

    def _method(
        self, cls: griffe.Class, name: str, attr: griffe.Object, loader: griffe.GriffeLoader
    ) -> griffe.Function:
        descriptor = vars(_runtime(cls.path))[name]
        kind = type(descriptor).__name__
        made = descriptor._make if kind == "holder" else descriptor._build
        target = loader.modules_collection.get_member(f"{made.__module__}.{made.__qualname__}")
        namespaces = loader.modules_collection.get_member("consul_core.namespaces")
        if kind == "holder":
            init = target.all_members["__init__"]
            parameters = [p for p in init.parameters if p.name != "self"]
            returns: str | griffe.Expr | None = griffe.ExprSubscript(
                _name("AbstractContextManager", namespaces), _name(target.name, target.parent)
            )
        else:
            parameters = list(target.parameters)
            returns = _call_result(target.returns)
            if kind == "watcher":
                returns = _watch_result(returns, namespaces)
        method = griffe.Function(
            name,
            lineno=attr.lineno,
            endlineno=attr.endlineno,
            parameters=griffe.Parameters(*parameters),
            returns=returns,
        )
        method.docstring = _docstring(descriptor.__doc__ or "", method, loader)
        return method
