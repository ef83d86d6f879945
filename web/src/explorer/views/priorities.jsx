import { PriorityTable, QueryStatus } from "../components.jsx";
import { useQuery } from "../api.js";
import { useText } from "../i18n.js";
import QUERY from "./priorities.graphql?raw";

const FILTERS = ["field", "continent", "direction"];

export function PrioritiesView({ route }) {
  const { t, name } = useText();
  const filter = Object.fromEntries(
    FILTERS.filter((key) => route.params.get(key)).map((key) => [key, route.params.get(key)]),
  );
  const state = useQuery(QUERY, { filter });
  if (!state.data) return <QueryStatus state={state} />;
  const { priorities, fields, continents, directions } = state.data;
  const lists = { field: fields, continent: continents, direction: directions };
  const heading = FILTERS.filter((key) => filter[key])
    .map((key) => name(lists[key].find((entity) => entity.id === filter[key])))
    .join(" · ");
  return (
    <>
      <h1>
        {t("prioritiesOf")}: {heading || t("allRows")}
      </h1>
      <p className="count">
        <strong data-testid="row-count">{priorities.totalCount}</strong> {t("rowsShown")}
        {priorities.pageInfo.hasNextPage && ` · ${t("moreRows")}`}
      </p>
      <PriorityTable
        priorities={priorities.edges.map((edge) => edge.node)}
        showField={!filter.field}
      />
    </>
  );
}
