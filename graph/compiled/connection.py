"""Planning a root connection: its edges, cursors, page info and total as one builder.

The connection's rows come from the root statement (``graph.compiled.roots``); its
builder reads ``(rows, has_next, has_previous, total)`` and the node plan's builder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coopgraph.graph.compiled.catalog import ENTITIES
from coopgraph.graph.compiled.plan import ObjectPlan, RootField, Unsupported

if TYPE_CHECKING:
    from coopgraph.graph.compiled.planner import Build, Details


def _page_info(build: Build, type_name: str, position: int, details: Details) -> str:
    info = []
    for key, info_details in build.collect(build.object_type("PageInfo"), details).items():
        expression = {
            "__typename": repr("PageInfo"),
            "hasNextPage": "r[1]",
            "hasPreviousPage": "r[2]",
            "startCursor": f"(cur({type_name!r}, r[0][0][{position}]) if r[0] else None)",
            "endCursor": f"(cur({type_name!r}, r[0][-1][{position}]) if r[0] else None)",
        }.get(info_details[0].node.name.value)
        if expression is None:
            raise Unsupported
        info.append(f"{key!r}: {expression}")
    return "{" + ", ".join(info) + "}"


def _edges(build: Build, field: RootField, type_name: str, position: int, details: Details) -> str:
    edge_type = build.object_type(f"{type_name}Edge")
    parts = []
    for key, edge_details in build.collect(edge_type, details).items():
        name = edge_details[0].node.name.value
        if name == "__typename":
            parts.append(f"{key!r}: {edge_type.name!r}")
        elif name == "cursor":
            parts.append(f"{key!r}: cur({type_name!r}, r[{position}])")
        elif name == "node":
            node_plan = build.object_plan(type_name, edge_details)
            field.objects.setdefault(type_name, node_plan)
            if field.objects[type_name] is not node_plan:
                # Two node selections under two aliases of edges: each needs its own
                # rows; not worth planning.
                raise Unsupported
            parts.append(f"{key!r}: {build.name_of(node_plan)}(r, s)")
        else:
            raise Unsupported
    edge = build.generated.function("{" + ", ".join(parts) + "}")
    return f"[{edge}(x, s) for x in r[0]]"


def plan_connection(build: Build, field: RootField, type_name: str, details: Details) -> None:
    """Plan the connection ``field`` of ``type_name`` nodes; bind its builder when compiled."""
    connection_type = build.object_type(f"{type_name}Connection")
    entity = ENTITIES[type_name]
    position = entity.index("position")
    parts = []
    for key, field_details in build.collect(connection_type, details).items():
        name = field_details[0].node.name.value
        if name == "__typename":
            parts.append(f"{key!r}: {connection_type.name!r}")
        elif name == "totalCount":
            field.wants_total = True
            parts.append(f"{key!r}: r[3]")
        elif name == "pageInfo":
            field.wants_page = True
            parts.append(f"{key!r}: {_page_info(build, type_name, position, field_details)}")
        elif name == "edges":
            field.wants_page = True
            parts.append(f"{key!r}: {_edges(build, field, type_name, position, field_details)}")
        else:
            raise Unsupported
    if type_name not in field.objects:
        # Rows are still fetched for pageInfo; they need no children.
        field.objects[type_name] = ObjectPlan(entity)
    name = build.generated.function("{" + ", ".join(parts) + "}")
    build.bindings.append((field, "connection", name))


__all__ = ["plan_connection"]
