"""Name countries and regions: ISO 3166-1 codes and English names from pycountry.

pycountry ships the Chinese translations of ISO 3166-1; a reverse lookup over them
names most countries of the document. ``curation/countries.csv`` answers only what
pycountry cannot (欧盟, the 港澳台 regions) or names less usably (Russian Federation).
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import cache

import pycountry

from coopgraph.seed.curation import Curation


@dataclass(frozen=True, slots=True)
class CountryName:
    iso_code: str
    name_en: str


@cache
def _iso_by_chinese_name() -> dict[str, str]:
    translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    table: dict[str, str] = {}
    for country in pycountry.countries:
        # The short name first: 俄罗斯 is the translation of no official name.
        for attribute in ("name", "common_name", "official_name"):
            english = getattr(country, attribute, None)
            if english:
                table.setdefault(translation.gettext(english), country.alpha_2)
    return table


class CountryResolver:
    """Chinese country name → ISO code and English name."""

    def __init__(self, curation: Curation) -> None:
        self._overrides = curation.countries

    def resolve(self, name: str) -> CountryName | None:
        override = self._overrides.get(name)
        if override is not None:
            return CountryName(override.iso_code, override.name_en)
        code = _iso_by_chinese_name().get(name)
        if code is None:
            return None
        country = pycountry.countries.get(alpha_2=code)
        english = str(getattr(country, "common_name", None) or getattr(country, "name", code))
        return CountryName(code, english)


def alternative_names(iso_code: str | None) -> tuple[str, ...]:
    """Other names a user may type for a country: pycountry's Chinese and English ones.

    They let search find 中国台湾 from 台湾 (or 臺灣) and Russia from Russian Federation.
    """
    country = pycountry.countries.get(alpha_2=iso_code) if iso_code else None
    if country is None:
        return ()
    english = [getattr(country, a, None) for a in ("name", "common_name", "official_name")]
    translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    chinese = [translation.gettext(name) for name in english if name]
    return tuple(dict.fromkeys(name for name in (*english, *chinese) if name))
