"""Groups of fields that several models share, each declared once as a base of theirs.

A base's fields come before the model's own, except those of a keyword-only base (`Indexed`),
which come after them; either way a model's fields, JSON keys and repr keep the order of
Consul's objects. Each base documents its fields, and `consul_core.models._docs` lists them in
the ``Attributes:`` of the models built on it. No base is exported.
"""

from __future__ import annotations

from consul_core._codec import Model

__all__ = ["Indexed"]


class Indexed(Model, frozen=True, kw_only=True):
    """An object of Consul's state store, with the Raft indexes that Go embeds last in it
    (``structs.RaftIndex``); keyword-only, so that they stay the model's last fields.

    Attributes:
        create_index: The index that created it.
        modify_index: The index of its last change.
    """

    create_index: int = 0
    modify_index: int = 0
