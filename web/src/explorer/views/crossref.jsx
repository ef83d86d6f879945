import { CountryLink, InstitutionLink, KindBadge, QueryStatus } from "../components.jsx";
import { useQuery } from "../api.js";
import { useText } from "../i18n.js";
import { href, navigate } from "../router.js";
import QUERY from "./crossref.graphql?raw";

const KINDS = ["ORGANIZATION", "GROUP", "CATEGORY"];
const DEFAULT_KINDS = ["ORGANIZATION", "GROUP"];

function readParams(params) {
  const minFields = Number.parseInt(params.get("min") ?? "2", 10);
  const kinds = (params.get("kinds") ?? DEFAULT_KINDS.join(","))
    .split(",")
    .filter((kind) => KINDS.includes(kind));
  return { minFields: Number.isFinite(minFields) && minFields > 0 ? minFields : 2, kinds };
}

export function CrossReferenceView({ route }) {
  const { minFields, kinds } = readParams(route.params);
  const state = useQuery(QUERY, { minFields, kinds });
  const { t, name } = useText();
  const go = (next) =>
    navigate(href("crossref", [], { min: next.minFields, kinds: next.kinds.join(",") }), { replace: true });
  const toggle = (kind) =>
    go({ minFields, kinds: kinds.includes(kind) ? kinds.filter((k) => k !== kind) : [...kinds, kind] });
  return (
    <>
      <h1>{t("crossrefTitle")}</h1>
      <form className="controls" onSubmit={(event) => event.preventDefault()}>
        <label>
          {t("minFields")}{" "}
          <select value={minFields} onChange={(event) => go({ minFields: Number(event.target.value), kinds })}>
            {[1, 2, 3, 4, 5, 6, 7, 8].map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>{t("kinds")}</legend>
          {KINDS.map((kind) => (
            <label key={kind} className={`kind-toggle kind-${kind.toLowerCase()}`}>
              <input type="checkbox" checked={kinds.includes(kind)} onChange={() => toggle(kind)} /> {t(kind)}
            </label>
          ))}
        </fieldset>
      </form>
      <QueryStatus state={state} />
      {state.data && <Matrix data={state.data} />}
    </>
  );
}

function Matrix({ data }) {
  const { t, name } = useText();
  const { fields, sharedInstitutions } = data;
  return (
    <div className="table-scroll">
      <table className="matrix">
        <thead>
          <tr>
            <th scope="col">{t("institutions")}</th>
            <th scope="col">{t("country")}</th>
            {fields.map((field) => (
              <th scope="col" key={field.id} className="field-head">
                <a href={href("priorities", [], { field: field.id })} title={name(field)}>
                  <span>{name(field)}</span>
                </a>
              </th>
            ))}
            <th scope="col">{t("fieldCount")}</th>
          </tr>
        </thead>
        <tbody>
          {sharedInstitutions.map((institution) => {
            const own = new Set(institution.fields.map((field) => field.id));
            return (
              <tr key={institution.id} className={`row-${institution.kind.toLowerCase()}`} data-institution={institution.name}>
                <th scope="row">
                  <InstitutionLink institution={institution} /> <KindBadge kind={institution.kind} />
                </th>
                <td>
                  <CountryLink country={institution.country} />
                </td>
                {fields.map((field) => (
                  <td key={field.id} className={own.has(field.id) ? "hit" : "miss"}>
                    {own.has(field.id) ? <span aria-label={name(field)}>●</span> : ""}
                  </td>
                ))}
                <td className="number">{institution.fieldCount}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
