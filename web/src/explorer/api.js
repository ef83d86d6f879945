// The explorer is a client of the public GraphQL endpoint like any other: one POST per
// view, the operation text taken verbatim from the view's .graphql file.
import { useEffect, useState } from "react";

export const ENDPOINT = "/graphql";

export async function runQuery(query, variables = {}) {
  const response = await fetch(ENDPOINT, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/graphql-response+json, application/json",
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors?.length) {
    throw new Error(body.errors.map((error) => error.message).join("; "));
  }
  return body.data;
}

// State of one view's query: {data, error, loading}. A newer request wins over a
// slower older one, so fast typing in the search box never shows stale hits.
export function useQuery(query, variables) {
  const key = JSON.stringify(variables ?? {});
  const [state, setState] = useState({ data: null, error: null, loading: true });
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true, error: null }));
    runQuery(query, JSON.parse(key)).then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error) => current && setState({ data: null, error, loading: false }),
    );
    return () => {
      current = false;
    };
  }, [query, key]);
  return state;
}
