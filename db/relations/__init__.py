"""The relations the API traverses: their names and their one definition each.

``names`` keeps a misspelt relation a type error instead of a missing statistics row;
``registry`` defines each relation once, as SQLAlchemy Core; ``lists`` the root lists'
filters and orders. Every path that reads a relation builds its statements from here.
"""

from coopgraph.db.relations.names import Relation

__all__ = ["Relation"]
