"""coopgraph: the 2020 international science-cooperation priorities as a GraphQL API."""
