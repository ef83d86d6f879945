import { useEffect, useRef, useState } from "react";
import { LanguageContext, storedLanguage, storeLanguage, useText } from "./i18n.js";
import { href, navigate, parseRoute, useRoute } from "./router.js";
import { CountryView } from "./views/country.jsx";
import { CrossReferenceView } from "./views/crossref.jsx";
import { InstitutionView } from "./views/institution.jsx";
import { MapView } from "./views/map.jsx";
import { OverviewView } from "./views/overview.jsx";
import { PrioritiesView } from "./views/priorities.jsx";
import { SearchView } from "./views/search.jsx";

const VIEWS = {
  overview: OverviewView,
  priorities: PrioritiesView,
  map: MapView,
  country: CountryView,
  institution: InstitutionView,
  crossref: CrossReferenceView,
  search: SearchView,
};

export function App() {
  const [language, setLanguage] = useState(storedLanguage);
  const route = useRoute();
  useEffect(() => {
    document.documentElement.lang = language === "zh" ? "zh-Hans" : "en";
    storeLanguage(language);
  }, [language]);
  const View = VIEWS[route.view] ?? OverviewView;
  return (
    <LanguageContext.Provider value={language}>
      <Header route={route} onLanguage={() => setLanguage(language === "zh" ? "en" : "zh")} />
      <main id="main" tabIndex={-1}>
        <View key={route.view} route={route} />
      </main>
    </LanguageContext.Provider>
  );
}

function Header({ route, onLanguage }) {
  const { t } = useText();
  const links = [
    ["overview", t("overview")],
    ["map", t("map")],
    ["crossref", t("crossref")],
  ];
  return (
    <header className="site-header">
      <a className="skip" href="#main" onClick={skipToMain}>
        {t("skipToContent")}
      </a>
      <a className="brand" href={href("overview")}>
        coopgraph
      </a>
      <span className="subtitle">{t("title")}</span>
      <nav aria-label={t("views")}>
        {links.map(([view, label]) => (
          <a
            key={view}
            href={href(view)}
            aria-current={route.view === view ? "page" : undefined}
          >
            {label}
          </a>
        ))}
        <a href="/graphql">{t("graphiql")}</a>
      </nav>
      <SearchBox route={route} />
      <button type="button" className="language" onClick={onLanguage} aria-label={t("switchLanguageLabel")}>
        {t("switchLanguage")}
      </button>
    </header>
  );
}

function skipToMain(event) {
  // The hash is the router's, so the skip link moves focus itself.
  event.preventDefault();
  document.getElementById("main")?.focus();
}

function SearchBox({ route }) {
  const { t } = useText();
  const routed = route.view === "search" ? (route.params.get("q") ?? "") : "";
  const [text, setText] = useState(routed);
  const input = useRef(null);
  useEffect(() => {
    // Back and forward restore the search the URL names.
    if (document.activeElement !== input.current) setText(routed);
  }, [routed]);
  const change = (event) => {
    const value = event.target.value;
    setText(value);
    // The first keystroke opens the search view as a new history entry; later ones
    // refine it in place, so back leaves the search instead of undoing letters. The
    // URL, not the rendered route, says whether the view is open: a fast typist's
    // second key can arrive before React has rendered the first one's route.
    const searching = parseRoute(window.location.hash).view === "search";
    navigate(href("search", [], { q: value }), { replace: searching });
  };
  return (
    <form className="search" role="search" onSubmit={(event) => event.preventDefault()}>
      <label htmlFor="search-input" className="visually-hidden">
        {t("search")}
      </label>
      <input
        id="search-input"
        ref={input}
        type="search"
        value={text}
        onChange={change}
        placeholder={t("searchPlaceholder")}
        autoComplete="off"
      />
    </form>
  );
}
