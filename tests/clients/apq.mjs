// Automatic Persisted Queries through Apollo Client's own link, against a live server.
//
// Usage: node apq.mjs GRAPHQL_URL QUERY
//
// Three clients, each with its own cache and link, run QUERY in turn: the first over
// POST (hash only, then the retry with the text), the second over POST (hash only),
// the third with useGETForHashedQueries (hash only, in the URL). Every HTTP exchange is
// recorded through the fetch the links are given, and printed as one JSON document on
// stdout for the Python test to judge; this script asserts nothing itself.
import { createHash } from "node:crypto";

import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";

const [url, queryText] = process.argv.slice(2);
if (!url || !queryText) {
  process.stderr.write("usage: node apq.mjs GRAPHQL_URL QUERY\n");
  process.exit(2);
}

const sha256 = (text) => createHash("sha256").update(text).digest("hex");

function recordingFetch(exchanges) {
  return async (input, init = {}) => {
    const response = await fetch(input, init);
    const body = await response.clone().text();
    exchanges.push({
      method: init.method ?? "GET",
      url: String(input),
      requestBody: typeof init.body === "string" ? JSON.parse(init.body) : null,
      status: response.status,
      etag: response.headers.get("etag"),
      responseBody: JSON.parse(body),
    });
    return response;
  };
}

async function run(useGETForHashedQueries) {
  const exchanges = [];
  const link = new PersistedQueryLink({ sha256, useGETForHashedQueries }).concat(
    new HttpLink({ uri: url, fetch: recordingFetch(exchanges) }),
  );
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  try {
    const result = await client.query({ query: gql(queryText), fetchPolicy: "network-only" });
    return { data: result.data ?? null, error: result.error ? String(result.error) : null, exchanges };
  } catch (error) {
    return { data: null, error: String(error), exchanges };
  } finally {
    client.stop();
  }
}

const report = {
  first: await run(false),
  second: await run(false),
  get: await run(true),
};
process.stdout.write(`${JSON.stringify(report)}\n`);
