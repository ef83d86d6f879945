import { useText } from "./i18n.js";
import { href } from "./router.js";

export function QueryStatus({ state }) {
  const { t } = useText();
  if (state.error) {
    return (
      <p className="error" role="alert">
        {t("error")}: {state.error.message}
      </p>
    );
  }
  if (state.loading && !state.data) {
    return (
      <p className="loading" role="status">
        {t("loading")}
      </p>
    );
  }
  return null;
}

export function KindBadge({ kind }) {
  const { t } = useText();
  return <span className={`kind kind-${kind.toLowerCase()}`}>{t(kind)}</span>;
}

export function CountryLink({ country }) {
  const { name } = useText();
  return <a href={href("country", [country.isoCode])}>{name(country)}</a>;
}

export function InstitutionLink({ institution }) {
  const { name } = useText();
  return (
    <a href={href("institution", [institution.id])}>
      {name(institution)}
      {institution.acronym ? ` (${institution.acronym})` : ""}
    </a>
  );
}

// One row per priority, each with the line and the text of the document it came
// from, so a reader can check the resolution against what was written.
export function PriorityTable({ priorities, showCountry = true, showField = true }) {
  const { t, name } = useText();
  return (
    <div className="table-scroll">
      <table className="priorities">
        <thead>
          <tr>
            {showCountry && <th scope="col">{t("country")}</th>}
            {showField && <th scope="col">{t("field")}</th>}
            <th scope="col">{t("directions")}</th>
            <th scope="col">{t("partners")}</th>
            <th scope="col">{t("source")}</th>
          </tr>
        </thead>
        <tbody>
          {priorities.map((priority) => (
            <tr key={priority.id} data-priority={priority.id}>
              {showCountry && (
                <td>
                  <CountryLink country={priority.country} />
                </td>
              )}
              {showField && <td>{name(priority.field)}</td>}
              <td>{priority.directions.map((direction) => name(direction)).join("、") || "—"}</td>
              <td>
                <ul className="mentions">
                  {priority.mentions.map((mention) => (
                    <li key={mention.institution.id}>
                      <InstitutionLink institution={mention.institution} />
                      {mention.andOthers && <span className="and-others"> {t("andOthers")}</span>}{" "}
                      <KindBadge kind={mention.institution.kind} />
                    </li>
                  ))}
                </ul>
              </td>
              <td className="source">
                <span className="line">
                  {t("line")} {priority.sourceLine}
                </span>
                <q lang="zh-Hans">{priority.sourceText}</q>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
