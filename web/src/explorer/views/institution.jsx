import { CountryLink, InstitutionLink, KindBadge, QueryStatus } from "../components.jsx";
import { useQuery } from "../api.js";
import { useText } from "../i18n.js";
import { href } from "../router.js";
import QUERY from "./institution.graphql?raw";

export function InstitutionView({ route }) {
  const id = route.args[0] ?? "";
  const state = useQuery(QUERY, { id });
  const { t, name, otherName } = useText();
  if (!state.data) return <QueryStatus state={state} />;
  const institution = state.data.node;
  if (!institution?.fields) {
    return (
      <h1>
        {t("notFound")}: {id}
      </h1>
    );
  }
  const others = sharingFields(institution);
  return (
    <>
      <h1>
        {name(institution)} <span className="other-name">{otherName(institution)}</span>
      </h1>
      <p className="facts">
        <KindBadge kind={institution.kind} />
        {institution.acronym && ` · ${t("acronym")} ${institution.acronym}`}
        {" · "}
        <CountryLink country={institution.country} />
        {" · "}
        {t("priorities")} {institution.priorityCount}
      </p>
      <div className="columns">
        <section>
          <h2>
            {t("fields")} <span className="number" data-testid="field-count">{institution.fields.length}</span>
          </h2>
          <ul className="field-list">
            {institution.fields.map((field) => (
              <li key={field.id}>
                <a href={href("priorities", [], { field: field.id })}>{name(field)}</a>
              </li>
            ))}
          </ul>
        </section>
        <section>
          <h2>{t("countries")}</h2>
          <ul>
            {institution.countries.map((country) => (
              <li key={country.id}>
                <CountryLink country={country} />
              </li>
            ))}
          </ul>
          <h2>{t("spellings")}</h2>
          <ul className="aliases">
            {institution.aliases.map((alias) => (
              <li key={alias} lang="zh-Hans">
                {alias}
              </li>
            ))}
          </ul>
        </section>
      </div>
      <section>
        <h2>{t("source")}</h2>
        <ul className="source-rows">
          {institution.priorities.map((priority) => (
            <li key={priority.id}>
              <span className="line">
                {t("line")} {priority.sourceLine}
              </span>{" "}
              {name(priority.field)} · {name(priority.country)}: <q lang="zh-Hans">{priority.sourceText}</q>
            </li>
          ))}
        </ul>
      </section>
      <section>
        <h2>{t("sharingFields")}</h2>
        <div className="table-scroll">
          <table className="sharing">
            <thead>
              <tr>
                <th scope="col">{t("institutions")}</th>
                <th scope="col">{t("kind")}</th>
                <th scope="col">{t("country")}</th>
                <th scope="col">{t("sharedFields")}</th>
              </tr>
            </thead>
            <tbody>
              {others.map(({ other, fields }) => (
                <tr key={other.id}>
                  <th scope="row">
                    <InstitutionLink institution={other} />
                  </th>
                  <td>
                    <KindBadge kind={other.kind} />
                  </td>
                  <td>
                    <CountryLink country={other.country} />
                  </td>
                  <td>
                    <span className="number">{fields.length}</span> {fields.map((field) => name(field)).join("、")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

// Every other institution named in one of this one's fields, with the fields both
// share, most shared first (then in the API's document order).
function sharingFields(institution) {
  const shared = new Map();
  for (const field of institution.fields) {
    for (const other of field.institutions) {
      if (other.id === institution.id) continue;
      if (!shared.has(other.id)) shared.set(other.id, { other, fields: [] });
      shared.get(other.id).fields.push(field);
    }
  }
  return [...shared.values()].sort((a, b) => b.fields.length - a.fields.length);
}
