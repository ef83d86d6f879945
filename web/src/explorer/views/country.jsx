import { InstitutionLink, KindBadge, PriorityTable, QueryStatus } from "../components.jsx";
import { useQuery } from "../api.js";
import { useText } from "../i18n.js";
import { href } from "../router.js";
import QUERY from "./country.graphql?raw";

export function CountryView({ route }) {
  const isoCode = route.args[0] ?? "";
  const state = useQuery(QUERY, { isoCode });
  const { t, name, otherName } = useText();
  if (!state.data) return <QueryStatus state={state} />;
  const country = state.data.country;
  if (!country) {
    return (
      <h1>
        {t("notFound")}: {isoCode}
      </h1>
    );
  }
  return (
    <>
      <h1>
        {name(country)} <span className="other-name">{otherName(country)}</span>
      </h1>
      <p className="facts">
        <a href={href("priorities", [], { continent: country.continent.id })}>{name(country.continent)}</a>
        {" · "}
        {country.isoCode}
        {" · "}
        {t("priorities")} <strong data-testid="priority-count">{country.priorityCount}</strong>
      </p>
      <section>
        <h2>{t("institutions")}</h2>
        <table className="institutions">
          <thead>
            <tr>
              <th scope="col">{t("institutions")}</th>
              <th scope="col">{t("kind")}</th>
              <th scope="col">{t("fieldCount")}</th>
            </tr>
          </thead>
          <tbody>
            {country.institutions.map((institution) => (
              <tr key={institution.id} data-institution={institution.name}>
                <th scope="row">
                  <InstitutionLink institution={institution} />
                </th>
                <td>
                  <KindBadge kind={institution.kind} />
                </td>
                <td className="number">{institution.fieldCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {country.fields.map((field) => (
        <section key={field.id} className="field-section">
          <h2>{name(field)}</h2>
          <PriorityTable
            priorities={country.priorities.filter((priority) => priority.field.id === field.id)}
            showCountry={false}
            showField={false}
          />
        </section>
      ))}
    </>
  );
}
