"""What the tests and the benchmark both run against: servers and databases.

A real server on a loopback port (in a thread, or as ``coopgraph serve``), throw-away
PostgreSQL databases, and which error codes are a limit's refusal. Both ``tests`` and
``bench`` import it, so neither imports the other for these (an import-linter contract
in pyproject.toml keeps it so); it is not part of the installed package.
"""
