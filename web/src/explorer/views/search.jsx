import { QueryStatus, KindBadge } from "../components.jsx";
import { useQuery } from "../api.js";
import { useText } from "../i18n.js";
import { href } from "../router.js";
import QUERY from "./search.graphql?raw";

export function SearchView({ route }) {
  const text = (route.params.get("q") ?? "").trim();
  const { t } = useText();
  return (
    <>
      <h1>{t("searchTitle")}</h1>
      {text ? <Hits text={text} /> : <p className="hint">{t("typeToSearch")}</p>}
    </>
  );
}

function Hits({ text }) {
  const state = useQuery(QUERY, { text });
  const { t } = useText();
  if (!state.data) return <QueryStatus state={state} />;
  const hits = state.data.search;
  if (hits.length === 0) return <p className="hint">{t("noHits")}</p>;
  return (
    <ol className="hits" aria-live="polite" aria-busy={state.loading}>
      {hits.map((hit) => (
        <Hit key={`${hit.result.__typename} ${hit.result.id}`} hit={hit} />
      ))}
    </ol>
  );
}

function Hit({ hit }) {
  const { t, name, otherName } = useText();
  const result = hit.result;
  return (
    <li className="hit" data-type={result.__typename}>
      <span className="type">{t(result.__typename)}</span>{" "}
      <a href={target(result)}>{name(result)}</a> <span className="other-name">{otherName(result)}</span>
      {result.kind && (
        <>
          {" "}
          <KindBadge kind={result.kind} />
        </>
      )}
      {result.country && <span className="context"> · {name(result.country)}</span>}
      {result.field && <span className="context"> · {name(result.field)}</span>}
      <div className="why">
        {t("matchedBecause")}: <mark>{hit.matched}</mark> ({t(hit.matchedBy)}, {t(hit.match)})
      </div>
    </li>
  );
}

function target(result) {
  switch (result.__typename) {
    case "Country":
      return href("country", [result.isoCode]);
    case "Institution":
      return href("institution", [result.id]);
    case "Field":
      return href("priorities", [], { field: result.id });
    case "Continent":
      return href("priorities", [], { continent: result.id });
    default:
      return href("priorities", [], { direction: result.id });
  }
}
