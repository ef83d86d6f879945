import { interpolateBlues } from "d3-scale-chromatic";
import { QueryStatus } from "../components.jsx";
import { useQuery } from "../api.js";
import { useText } from "../i18n.js";
import { href } from "../router.js";
import QUERY from "./overview.graphql?raw";

export function OverviewView() {
  const state = useQuery(QUERY);
  const { t, name } = useText();
  if (!state.data) return <QueryStatus state={state} />;
  const { totalsByFieldAndContinent: cells, totalsByField, totalsByContinent } = state.data;
  const byPair = new Map(cells.map((cell) => [`${cell.field.id} ${cell.continent.id}`, cell]));
  const largest = Math.max(...cells.map((cell) => cell.priorityCount));
  const allPriorities = totalsByContinent.reduce((sum, row) => sum + row.priorityCount, 0);
  return (
    <>
      <h1>{t("heatmapTitle")}</h1>
      <p className="hint">{t("heatmapHint")}</p>
      <div className="table-scroll">
        <table className="heatmap">
          <thead>
            <tr>
              <th scope="col">{t("field")}</th>
              {totalsByContinent.map(({ continent }) => (
                <th scope="col" key={continent.id}>
                  {name(continent)}
                </th>
              ))}
              <th scope="col">{t("total")}</th>
            </tr>
          </thead>
          <tbody>
            {totalsByField.map(({ field, priorityCount }) => (
              <tr key={field.id}>
                <th scope="row">{name(field)}</th>
                {totalsByContinent.map(({ continent }) => {
                  const cell = byPair.get(`${field.id} ${continent.id}`);
                  if (!cell) return <td key={continent.id} className="empty" />;
                  const shade = cell.priorityCount / largest;
                  return (
                    <td
                      key={continent.id}
                      style={{
                        background: interpolateBlues(0.15 + 0.85 * shade),
                        color: shade > 0.5 ? "white" : "black",
                      }}
                    >
                      <a
                        href={href("priorities", [], { field: field.id, continent: continent.id })}
                        aria-label={`${name(field)} · ${name(continent)}: ${cell.priorityCount}`}
                        title={`${t("countries")} ${cell.countryCount} · ${t("institutions")} ${cell.institutionCount}`}
                      >
                        {cell.priorityCount}
                      </a>
                    </td>
                  );
                })}
                <td className="margin">
                  <a href={href("priorities", [], { field: field.id })}>{priorityCount}</a>
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t("total")}</th>
              {totalsByContinent.map(({ continent, priorityCount }) => (
                <td className="margin" key={continent.id}>
                  <a href={href("priorities", [], { continent: continent.id })}>{priorityCount}</a>
                </td>
              ))}
              <td className="margin grand">{allPriorities}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      <div className="totals">
        <TotalsTable caption={t("byField")} rows={totalsByField} group="field" />
        <TotalsTable caption={t("byContinent")} rows={totalsByContinent} group="continent" />
      </div>
    </>
  );
}

function TotalsTable({ caption, rows, group }) {
  const { t, name } = useText();
  return (
    <table className={`totals-table totals-${group}`}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t(group)}</th>
          <th scope="col">{t("priorities")}</th>
          <th scope="col">{t("countries")}</th>
          <th scope="col">{t("institutions")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row[group].id}>
            <th scope="row">
              <a href={href("priorities", [], { [group]: row[group].id })}>{name(row[group])}</a>
            </th>
            <td>{row.priorityCount}</td>
            <td>{row.countryCount}</td>
            <td>{row.institutionCount}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
