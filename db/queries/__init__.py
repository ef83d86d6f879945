"""Batched read queries for the API.

Every function takes many parent IDs at once and answers with one statement, so the
number of statements a GraphQL request issues depends on the shape of the query and
never on the number of rows. Functions return plain frozen records rather than ORM
objects: they are cheap to build, safe to share across a request, and independent of
a session's lifetime.
"""
