// GraphiQL with the Explorer plugin, bootstrapped from a served module so the page needs
// no inline script under the Content-Security-Policy. The server passes its settings as
// a JSON data block (#graphiql-config), which the policy allows because it is not code.
import { explorerPlugin } from "@graphiql/plugin-explorer";
import { createGraphiQLFetcher, createLocalStorage } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import { createElement } from "react";
import { createRoot } from "react-dom/client";
import "graphiql/graphiql.css";
import "@graphiql/plugin-explorer/dist/style.css";

const config = JSON.parse(document.getElementById("graphiql-config").textContent);

createRoot(document.getElementById("graphiql")).render(
  createElement(GraphiQL, {
    fetcher: createGraphiQLFetcher({ url: new URL(config.endpoint, window.location.href).href }),
    defaultTabs: config.tabs,
    plugins: [explorerPlugin()],
    // Saved tabs override defaultTabs, so a namespace tied to the example set lets
    // returning visitors keep their edits until the examples themselves change.
    storage: createLocalStorage({ namespace: config.storageNamespace }),
  }),
);
