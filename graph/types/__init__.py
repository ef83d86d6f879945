"""The schema's object types, one per module.

Types are thin: each is built from a ``db.queries`` record and resolves its relations
through the request's loaders, never by querying on its own.
"""
