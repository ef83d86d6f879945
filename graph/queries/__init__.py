"""The root ``Query`` type, one module per group of root fields, merged in ``graph.schema``."""
