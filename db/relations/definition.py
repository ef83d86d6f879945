"""The shapes a relation of the API is defined in, and the statements derived from them.

A relation is written once, as SQLAlchemy Core: the child table, the joins that reach
the parent's key, the order of the children and the arguments that filter them. The
standard path's loaders, the compiled path's statements, the seed's fan-out
statistics and the count fields all build their statements from that one definition,
so adding an argument or changing an order is one edit that every path follows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import InstrumentedAttribute

from coopgraph.db.models import Base
from coopgraph.db.relations.names import Relation

#: A column as definitions name it: a mapped attribute (``Country.id``) or an expression.
Column = ColumnElement[Any] | InstrumentedAttribute[Any]
#: A join: the table joined and the condition it is joined on.
Join = tuple[type[Base], ColumnElement[bool]]


def _joined(query: Select[Any], child: type[Base], joins: Sequence[Join]) -> Select[Any]:
    query = query.select_from(child)
    for target, condition in joins:
        query = query.join(target, condition)
    return query


@dataclass(frozen=True, slots=True)
class Children:
    """A to-many relation: the rows of ``child`` each parent reaches, in ``order``.

    ``key`` is where the joined rows carry the parent's ID; the parent row's own
    column holding that ID is ``parent_column`` (its ``id`` for every to-many relation).
    """

    relation: Relation
    child: type[Base]
    key: Column
    order: Column
    joins: tuple[Join, ...] = ()
    #: Whether a child reached along several links is listed once.
    distinct: bool = False
    #: The ``…Count`` field of the parent type that counts these children, if any.
    count_field: str | None = None
    #: The field's arguments: each lists values that ``column`` must be one of.
    arguments: Mapping[str, Column] = field(default_factory=dict)
    parent_column: str = "id"

    @property
    def field(self) -> tuple[str, str]:
        """The schema field, as (parent type, field name)."""
        parent, _, name = self.relation.value.partition(".")
        return parent, name

    @property
    def one_parent(self) -> bool:
        """Each child has exactly one parent: the child's own non-null foreign key.

        Then children of distinct parents are distinct, and the relation without its
        parent filter lists every row of the child's table.
        """
        return not self.joins

    def statement(
        self,
        columns: Sequence[Column],
        *,
        parents: ColumnElement[bool] | None,
        conditions: Sequence[ColumnElement[bool]] = (),
    ) -> Select[Any]:
        """``SELECT key, columns…`` of the children of the parents ``parents`` selects.

        With ``parents`` None the statement reads the relation whole, for a parent level
        that holds every row of its table: matching every parent's key would cost
        several times the statement's own scan. Ordered by the child's position alone,
        the database then reads that position's index in order instead of sorting;
        rows are grouped per parent as they come. Link ordinals have no such index, so
        an order by them keeps the parent key first.
        """
        query = _joined(select(self.key, *columns), self.child, self.joins)
        if self.distinct:
            query = query.distinct()
        if parents is not None:
            query = query.where(parents)
        query = query.where(*conditions)
        by_position = parents is None and getattr(self.order, "key", None) == "position"
        return query.order_by(*((self.order,) if by_position else (self.key, self.order)))

    def fanout(self) -> Select[Any]:
        """Children per parent: ``SELECT key AS parent, COUNT(DISTINCT child) AS n``."""
        counted = func.count(func.distinct(self.child.__table__.c.id)).label("n")
        selected: list[Any] = [self.key.label("parent"), counted]
        query = _joined(select(*selected), self.child, self.joins)
        return query.group_by(self.key)


@dataclass(frozen=True, slots=True)
class Reference:
    """A to-one relation: the row a parent's foreign key ``parent_column`` points at.

    ``key`` is where the joined rows carry that foreign key's value: the child's ID,
    unless the reference goes through another table (a priority's continent, through
    its country).
    """

    child: type[Base]
    parent_column: str
    key: Column | None = None
    joins: tuple[Join, ...] = ()
    #: Answered as a one-item list (``Institution.countries``).
    as_list: bool = False

    @property
    def key_column(self) -> Column:
        return self.child.__table__.c.id if self.key is None else self.key

    @property
    def one_parent(self) -> bool:
        """Whether the reference without its filter lists every row it can point at."""
        return not self.joins

    def statement(
        self, columns: Sequence[Column], *, parents: ColumnElement[bool] | None
    ) -> Select[Any]:
        query = _joined(select(self.key_column, *columns), self.child, self.joins)
        return query if parents is None else query.where(parents)


@dataclass(frozen=True, slots=True)
class Strings:
    """A list of strings per parent, grouped from link rows (``Institution.aliases``)."""

    key: Column
    value: Column
    #: The order of a parent's strings, an aggregate over each string's rows.
    order: ColumnElement[Any]
    child: type[Base]
    joins: tuple[Join, ...] = ()

    def statement(self, *, parents: ColumnElement[bool] | None) -> Select[Any]:
        query = _joined(select(self.key, self.value), self.child, self.joins)
        if parents is not None:
            query = query.where(parents)
        return query.group_by(self.key, self.value).order_by(self.key, self.order)


__all__ = ["Children", "Column", "Join", "Reference", "Strings"]
