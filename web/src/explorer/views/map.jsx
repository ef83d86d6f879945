import { geoNaturalEarth1, geoPath } from "d3-geo";
import { interpolateOranges } from "d3-scale-chromatic";
import countryCodes from "i18n-iso-countries";
import { useEffect, useMemo, useState } from "react";
import { feature } from "topojson-client";
import atlasUrl from "world-atlas/countries-110m.json?url";
import { QueryStatus } from "../components.jsx";
import { useQuery } from "../api.js";
import { useText } from "../i18n.js";
import { href } from "../router.js";
import QUERY from "./map.graphql?raw";

const WIDTH = 960;
const HEIGHT = 500;

// Natural Earth geometry keyed by ISO 3166-1 numeric code, as world-atlas ships it.
function useWorld() {
  const [world, setWorld] = useState(null);
  useEffect(() => {
    let current = true;
    fetch(atlasUrl)
      .then((response) => response.json())
      .then((topology) => current && setWorld(feature(topology, topology.objects.countries)));
    return () => {
      current = false;
    };
  }, []);
  return world;
}

export function MapView() {
  const state = useQuery(QUERY);
  const world = useWorld();
  const { t, name } = useText();
  const path = useMemo(() => {
    if (!world) return null;
    return geoPath(geoNaturalEarth1().fitSize([WIDTH, HEIGHT], world));
  }, [world]);
  if (!state.data) return <QueryStatus state={state} />;
  const countries = state.data.continents.flatMap((continent) => continent.countries);
  const byNumeric = new Map(
    countries
      .filter((country) => countryCodes.alpha2ToNumeric(country.isoCode))
      .map((country) => [countryCodes.alpha2ToNumeric(country.isoCode), country]),
  );
  const drawn = new Set(world?.features.map((shape) => shape.id) ?? []);
  const largest = Math.max(...countries.map((country) => country.priorityCount));
  const shade = (count) => interpolateOranges(0.2 + (0.8 * count) / largest);
  return (
    <>
      <h1>{t("mapTitle")}</h1>
      <p className="hint">{t("mapHint")}</p>
      <div className="map-layout">
        <figure className="map">
          {path ? (
            <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="group" aria-label={t("mapTitle")}>
              {world.features.map((shape) => {
                const country = byNumeric.get(shape.id);
                if (!country) {
                  return <path key={shape.id ?? shape.properties.name} d={path(shape)} className="land" />;
                }
                return (
                  <a
                    key={shape.id}
                    href={href("country", [country.isoCode])}
                    aria-label={`${name(country)}: ${country.priorityCount}`}
                    data-iso={country.isoCode}
                  >
                    <title>{`${name(country)}: ${country.priorityCount}`}</title>
                    <path d={path(shape)} className="listed" style={{ fill: shade(country.priorityCount) }} />
                  </a>
                );
              })}
            </svg>
          ) : (
            <p className="loading">{t("loading")}</p>
          )}
          <figcaption className="legend">
            <span style={{ background: shade(1) }}>1</span>
            <span style={{ background: shade(largest / 2) }}>{Math.round(largest / 2)}</span>
            <span style={{ background: shade(largest) }}>{largest}</span>
            {t("priorities")}
          </figcaption>
        </figure>
        <nav className="country-list" aria-label={t("countries")}>
          {state.data.continents.map((continent) => (
            <section key={continent.id}>
              <h2>{name(continent)}</h2>
              <ul>
                {continent.countries.map((country) => {
                  const numeric = countryCodes.alpha2ToNumeric(country.isoCode);
                  const onMap = world === null || (numeric !== undefined && drawn.has(numeric));
                  return (
                    <li key={country.id}>
                      <a href={href("country", [country.isoCode])}>
                        <span className="swatch" style={{ background: shade(country.priorityCount) }} />
                        {name(country)} <span className="number">{country.priorityCount}</span>
                      </a>
                      {!onMap && <span className="off-map"> · {t("notOnMap")}</span>}
                    </li>
                  );
                })}
              </ul>
            </section>
          ))}
        </nav>
      </div>
    </>
  );
}
