"""How the names of the 2020 document resolve to curated entities."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from coopgraph.db.kinds import InstitutionKind
from coopgraph.seed.curation import load_curation
from coopgraph.seed.institutions import InstitutionResolver, UnresolvedInstitutionError
from coopgraph.seed.parse import parse_document
from coopgraph.seed.resolve import (
    ResolvedCountry,
    ResolvedEdition,
    ResolvedInstitution,
    ResolvedPriority,
    resolve_document,
)

ORG = InstitutionKind.ORGANIZATION
GROUP = InstitutionKind.GROUP
CATEGORY = InstitutionKind.CATEGORY


@pytest.fixture(scope="module")
def edition(document_path: Path) -> ResolvedEdition:
    data = document_path.read_bytes()
    return resolve_document(parse_document(data, str(document_path)), load_curation(), data)


@pytest.fixture(scope="module")
def resolver() -> InstitutionResolver:
    return InstitutionResolver(load_curation())


def country(edition: ResolvedEdition, name: str) -> ResolvedCountry:
    (found,) = (c for c in edition.countries if c.name == name)
    return found


def institution(edition: ResolvedEdition, country_name: str, name: str) -> ResolvedInstitution:
    key = country(edition, country_name).key
    (found,) = (i for i in edition.institutions if i.country_key == key and i.name == name)
    return found


def priority(edition: ResolvedEdition, source_line: int) -> ResolvedPriority:
    (found,) = (p for p in edition.priorities if p.source_line == source_line)
    return found


def mentions(edition: ResolvedEdition, source_line: int) -> list[tuple[str, str, bool]]:
    """(institution key, text as written, and_others) of one row, in order."""
    return [
        (m.institution_key, m.text, m.and_others) for m in priority(edition, source_line).mentions
    ]


def test_entity_totals(edition: ResolvedEdition) -> None:
    totals = {
        name: len(getattr(edition, name))
        for name in (
            "continents",
            "countries",
            "fields",
            "directions",
            "institutions",
            "priorities",
        )
    }
    assert totals == {
        "continents": 7,
        "countries": 44,
        "fields": 9,
        "directions": 14,
        "institutions": 102,
        "priorities": 115,
    }


def test_edition_header(edition: ResolvedEdition, document_path: Path) -> None:
    assert edition.year == 2020
    assert edition.title == "2020年度对外合作重点项目资助重点"
    assert edition.source_name == str(document_path)
    assert edition.source_sha256 == hashlib.sha256(document_path.read_bytes()).hexdigest()


def test_priority_keys_name_year_country_field_and_ordinal(edition: ResolvedEdition) -> None:
    assert priority(edition, 17).key == "2020.jp.frontier-interdisciplinary.1"
    assert priority(edition, 711).key == "2020.tw.resources-environment.1"
    # 法国 has three 生命与健康领域 rows; 俄罗斯 two 资源生态环境领域 rows.
    assert [priority(edition, line).key for line in (445, 457, 469)] == [
        "2020.fr.life-health.1",
        "2020.fr.life-health.2",
        "2020.fr.life-health.3",
    ]
    assert [priority(edition, line).key for line in (523, 535)] == [
        "2020.ru.resources-environment.1",
        "2020.ru.resources-environment.2",
    ]
    assert len({p.key for p in edition.priorities}) == 115


def test_priority_positions_follow_the_document(edition: ResolvedEdition) -> None:
    positions = [p.position for p in edition.priorities]
    assert positions == sorted(set(positions))
    assert [p.source_line for p in edition.priorities] == sorted(
        p.source_line for p in edition.priorities
    )


# Acronyms in brackets, matched or not.


def test_doe_is_one_institution_of_the_united_states(edition: ResolvedEdition) -> None:
    doe = institution(edition, "美国", "美国能源部")
    assert (doe.key, doe.acronym, doe.kind) == ("us.doe", "DOE", ORG)
    assert doe.name_en == "United States Department of Energy"
    assert [i for i in edition.institutions if i.acronym == "DOE"] == [doe]
    assert mentions(edition, 217)[0] == ("us.doe", "美国能源部（DOE）", False)
    assert mentions(edition, 223)[1] == ("us.doe", "DOE", False)


def test_noaa_with_and_without_its_name(edition: ResolvedEdition) -> None:
    noaa = institution(edition, "美国", "国家大气海洋局")
    assert noaa.acronym == "NOAA"
    assert mentions(edition, 229)[0] == (noaa.key, "国家大气海洋局（NOAA)", False)
    assert mentions(edition, 235)[0] == (noaa.key, "NOAA", False)


def test_csiro_with_and_without_its_name(edition: ResolvedEdition) -> None:
    csiro = institution(edition, "澳大利亚", "联邦科工组织")
    assert (csiro.key, csiro.acronym) == ("au.csiro", "CSIRO")
    assert mentions(edition, 291)[2] == ("au.csiro", "联邦科工组织（CSIRO）", False)
    assert mentions(edition, 315)[0] == ("au.csiro", "CSIRO", False)


def test_nist_from_mismatched_brackets(
    edition: ResolvedEdition, resolver: InstitutionResolver
) -> None:
    assert mentions(edition, 223)[0] == ("us.nist", "国家标准技术研究院（NIST)", False)
    entry = resolver.lookup("美国", "国家标准技术研究院（NIST)")
    assert entry is not None
    assert (entry.name, entry.acronym) == ("国家标准技术研究院", "NIST")


def test_name_and_acronym_of_different_institutions_resolve_to_nothing(
    resolver: InstitutionResolver,
) -> None:
    assert resolver.lookup("美国", "国家标准技术研究院（NOAA）") is None


# Groups named with and without their country.


def test_top50_with_and_without_the_country(edition: ResolvedEdition) -> None:
    top50 = institution(edition, "美国", "top50大学")
    assert top50.kind == GROUP
    assert mentions(edition, 211)[1] == (top50.key, "top50大学", False)
    assert mentions(edition, 241) == [(top50.key, "美国top50大学", False)]


def test_u15_with_and_without_the_country(edition: ResolvedEdition) -> None:
    u15 = institution(edition, "加拿大", "U15大学")
    assert (u15.key, u15.kind, u15.acronym) == ("ca.u15", GROUP, "U15")
    assert mentions(edition, 247)[1] == ("ca.u15", "U15大学", False)
    assert mentions(edition, 271) == [("ca.u15", "加拿大U15大学", False)]


def test_toronto_and_others_of_the_u15(edition: ResolvedEdition) -> None:
    assert mentions(edition, 253) == [
        ("ca.nrc", "国家研究理事会（NRC）", False),
        ("ca.university-of-toronto", "多伦多大学", True),
        ("ca.u15", "U15大学", False),
    ]
    assert mentions(edition, 259) == [
        ("ca.university-of-waterloo", "滑铁卢大学", True),
        ("ca.u15", "U15大学", False),
    ]


def test_g8_with_and_without_the_country(edition: ResolvedEdition) -> None:
    go8 = institution(edition, "澳大利亚", "G8大学")
    assert (go8.key, go8.kind, go8.name_en) == ("au.go8", GROUP, "Group of Eight")
    assert mentions(edition, 279) == [("au.go8", "澳大利亚G8大学", False)]
    assert mentions(edition, 297) == [("au.go8", "G8大学", False)]


def test_taiwan_universities_and_key_universities(edition: ResolvedEdition) -> None:
    assert mentions(edition, 711) == [
        ("tw.ntu", "台大", False),
        ("tw.nthu", "清华", True),
        ("tw.key-universities", "重点高校", False),
    ]
    assert institution(edition, "中国台湾", "台湾大学").name_en == "National Taiwan University"
    assert institution(edition, "中国台湾", "重点高校").kind == CATEGORY


def test_taiwan_tsinghua_is_not_named_as_the_beijing_university(
    edition: ResolvedEdition,
) -> None:
    # Lines 693-711 write 清华 in 中国台湾 rows: 國立清華大學, which mainland usage calls
    # 台湾清华大学; 清华大学 is the Beijing university.
    nthu = institution(edition, "中国台湾", "台湾清华大学")
    assert (nthu.key, nthu.name_en, nthu.acronym) == (
        "tw.nthu",
        "National Tsing Hua University",
        "NTHU",
    )
    assert not [i for i in edition.institutions if i.name == "清华大学"]
    assert {
        m.text for p in edition.priorities for m in p.mentions if m.institution_key == "tw.nthu"
    } == {"清华"}
    assert nthu.inferred_basis is not None
    assert "國立清華大學" in [other.name for other in nthu.other_names]


@pytest.mark.parametrize(
    ("country_name", "name", "name_en"),
    [
        ("巴西", "里约热内卢大学", "Federal University of Rio de Janeiro"),  # line 348
        ("新西兰", "基督城大学", "University of Canterbury"),  # line 327
        (  # line 457
            "法国",
            "法国农业科学研究院",
            "French National Research Institute for Agriculture, Food and Environment",
        ),
        ("智利", "天主教大学", "Pontifical Catholic University of Chile"),  # line 366
        ("厄瓜多尔", "天主教大学", "Pontifical Catholic University of Ecuador"),  # line 426
        ("秘鲁", "亚马逊研究所", "Research Institute of the Peruvian Amazon"),  # line 408
    ],
)
def test_inferred_identifications_carry_their_basis(
    edition: ResolvedEdition, country_name: str, name: str, name_en: str
) -> None:
    found = institution(edition, country_name, name)
    assert found.name_en == name_en
    assert found.inferred_basis


def test_identifications_the_document_spells_out_are_not_inferred(
    edition: ResolvedEdition,
) -> None:
    for country_name, name in [
        ("美国", "美国能源部"),  # line 217: 美国能源部（DOE）
        ("科威特", "科威特科学研究院"),  # line 167: 科威特科学研究院（KISR）
        ("日本", "大学"),
        ("中国澳门", "澳门大学"),
    ]:
        assert institution(edition, country_name, name).inferred_basis is None
    inferred = sorted(i.key for i in edition.institutions if i.inferred_basis)
    assert inferred == [
        "br.embrapa", "br.ufrj", "cl.inach", "cl.puc", "ec.puce", "fr.inrae",
        "mx.cinvestav", "nz.university-of-canterbury", "pe.iiap", "tw.nthu", "uy.inia",
    ]  # fmt: skip


def test_curated_names_are_apart_from_the_document_spellings(edition: ResolvedEdition) -> None:
    canterbury = institution(edition, "新西兰", "基督城大学")
    assert [(o.name, o.kind.name) for o in canterbury.other_names] == [
        ("坎特伯雷大学", "STANDARD_NAME")
    ]
    sinica = institution(edition, "中国台湾", "台湾中央研究院")
    assert [(o.name, o.kind.name) for o in sinica.other_names] == [
        ("中央研究院", "STANDARD_NAME"),
        ("中研院", "SHORT_FORM"),
    ]
    document = {m.text for p in edition.priorities for m in p.mentions}
    for found in edition.institutions:
        assert not {o.name for o in found.other_names} & document, found.name


def test_acronyms_added_in_common_use_keep_the_ids(edition: ResolvedEdition) -> None:
    crown = institution(edition, "新西兰", "新西兰皇家研究院")
    assert (crown.key, crown.acronym) == ("nz.crown-research-institutes", "CRI")
    fraunhofer = institution(edition, "德国", "德国弗朗霍夫协会")
    assert (fraunhofer.key, fraunhofer.acronym) == ("de.fraunhofer-society", "FhG")


def test_the_header_basis_belongs_to_the_edition(edition: ResolvedEdition) -> None:
    # Line 3: 重点合作领域（以8+2为依据）.
    assert edition.field_basis == "以8+2为依据"


def test_taiwan_row_with_four_entries(edition: ResolvedEdition) -> None:
    assert [key for key, _, _ in mentions(edition, 693)] == [
        "tw.academia-sinica",
        "tw.ntu",
        "tw.nthu",
        "tw.key-universities",
        "tw.itri",
    ]


# "X等": X and others like it. "X及相关大学": X and the category of related universities.
# "X等大学": X, one of the category of universities.


@pytest.mark.parametrize(
    ("source_line", "expected"),
    [
        (348, [("br.ufrj", "里约热内卢大学", True)]),
        (342, [("br.inpe", "INPE", False), ("br.related-universities", "相关大学", False)]),
        (408, [("pe.iiap", "亚马逊研究所", False), ("pe.related-universities", "相关大学", False)]),
        (
            360,
            [
                ("ar.conicet", "CONICET", False),
                ("ar.uba", "布宜诺斯艾利斯大学", True),
                ("ar.universities", "大学", False),
            ],
        ),
        (
            366,
            [
                ("cl.university-of-chile", "智利大学", False),
                ("cl.puc", "天主教大学", True),
                ("cl.universities", "大学", False),
            ],
        ),
        (378, [("cu.cneuro", "古巴国家神经科学中心", True)]),
        (432, [("uy.inia", "乌拉圭农科院", False), ("uy.udelar", "乌拉圭共和国大学", True)]),
    ],
)
def test_trailing_qualifier_keeps_the_institution_with_and_others(
    edition: ResolvedEdition, source_line: int, expected: list[tuple[str, str, bool]]
) -> None:
    assert mentions(edition, source_line) == expected


def test_entries_without_qualifier_are_not_and_others(edition: ResolvedEdition) -> None:
    assert mentions(edition, 17) == [
        ("jp.national-research-institutes", "国立研究机构", False),
        ("jp.universities", "大学", False),
    ]


def test_egypt_ministries_qualify_the_research_institutes(edition: ResolvedEdition) -> None:
    # Line 186: 教育科研部、农业部、水资源与灌溉部等部委下属国立研究机构、大学. The ministries
    # say whose institutes are meant; they are not partners.
    assert mentions(edition, 186) == [
        (
            "eg.national-research-institutes",
            "教育科研部、农业部、水资源与灌溉部等部委下属国立研究机构",
            False,
        ),
        ("eg.universities", "大学", False),
    ]
    assert priority(edition, 186).mentions[0].qualified_by == (
        ("教育科研部", "Ministry of Higher Education and Scientific Research"),
        ("农业部", "Ministry of Agriculture and Land Reclamation"),
        ("水资源与灌溉部", "Ministry of Water Resources and Irrigation"),
    )
    assert institution(edition, "埃及", "国立研究机构").kind == CATEGORY
    egypt = country(edition, "埃及").key
    assert [i.name for i in edition.institutions if i.country_key == egypt] == [
        "国立研究机构",
        "大学",
    ]


def test_only_the_egypt_row_has_qualifying_bodies(edition: ResolvedEdition) -> None:
    qualified = [
        (p.source_line, m.institution_key)
        for p in edition.priorities
        for m in p.mentions
        if m.qualified_by
    ]
    assert qualified == [(186, "eg.national-research-institutes")]


def test_a_qualified_category_needs_curated_bodies(resolver: InstitutionResolver) -> None:
    # A body the qualifying table does not know is not silently dropped.
    with pytest.raises(UnresolvedInstitutionError) as caught:
        resolver.resolve_cell("埃及", "卫生部、农业部等部委下属国立研究机构")
    assert caught.value.text == "卫生部"


# Kinds.


@pytest.mark.parametrize(
    ("country_name", "name", "kind"),
    [
        ("日本", "国立研究机构", CATEGORY),
        ("日本", "企业", CATEGORY),
        ("新西兰", "新西兰皇家研究院", GROUP),
        ("中国香港", "香港六所主要大学", GROUP),
        ("美国", "国立卫生研究院", ORG),
        ("玻利维亚", "相关大学", CATEGORY),
    ],
)
def test_institution_kinds(
    edition: ResolvedEdition, country_name: str, name: str, kind: InstitutionKind
) -> None:
    assert institution(edition, country_name, name).kind == kind


def test_crown_institutes_is_spelled_in_english(edition: ResolvedEdition) -> None:
    crown = institution(edition, "新西兰", "新西兰皇家研究院")
    assert crown.name_en == "Crown Research Institutes"
    assert mentions(edition, 333)[0] == (crown.key, "Crown Institutes", False)


def test_kind_totals(edition: ResolvedEdition) -> None:
    kinds = [i.kind for i in edition.institutions]
    assert (kinds.count(ORG), kinds.count(GROUP), kinds.count(CATEGORY)) == (73, 5, 24)


# Scoping by country.


def test_catholic_universities_of_chile_and_ecuador_are_two(edition: ResolvedEdition) -> None:
    chile = institution(edition, "智利", "天主教大学")
    ecuador = institution(edition, "厄瓜多尔", "天主教大学")
    assert chile.key == "cl.puc"
    assert ecuador.key == "ec.puce"
    assert chile.name_en == "Pontifical Catholic University of Chile"
    assert ecuador.name_en == "Pontifical Catholic University of Ecuador"
    assert mentions(edition, 426) == [("ec.puce", "天主教大学", True)]


def test_same_category_name_is_one_institution_per_country(edition: ResolvedEdition) -> None:
    universities = [i.key for i in edition.institutions if i.name == "大学"]
    assert universities == [
        "jp.universities",
        "kr.universities",
        "in.universities",
        "il.universities",
        "sg.universities",
        "eg.universities",
        "za.universities",
        "ar.universities",
        "cl.universities",
    ]
    related = [i.key for i in edition.institutions if i.name == "相关大学"]
    assert related == [
        "br.related-universities",
        "pe.related-universities",
        "bo.related-universities",
        "pa.related-universities",
    ]


def test_lookup_is_scoped_by_country(resolver: InstitutionResolver) -> None:
    assert resolver.lookup("法国", "DOE") is None
    with pytest.raises(UnresolvedInstitutionError) as caught:
        resolver.resolve_cell("法国", "美国能源部（DOE）")
    assert caught.value.country == "法国"


# Misspellings kept as written.


def test_misspelled_scripps_and_woods_hole(edition: ResolvedEdition) -> None:
    assert mentions(edition, 229) == [
        ("us.noaa", "国家大气海洋局（NOAA)", False),
        ("us.sio", "Scipps", False),
        ("us.whoi", "Woodswhole", False),
        ("us.top-50-universities-of-the-united-states", "top50大学", False),
    ]
    assert institution(edition, "美国", "斯克里普斯海洋研究所").name_en == (
        "Scripps Institution of Oceanography"
    )
    assert institution(edition, "美国", "伍兹霍尔海洋研究所").name_en == (
        "Woods Hole Oceanographic Institution"
    )


def test_lookup_ignores_case(resolver: InstitutionResolver) -> None:
    entry = resolver.lookup("美国", "scipps")
    assert entry is not None
    assert entry.name == "斯克里普斯海洋研究所"


def test_cell_repeating_an_institution_names_it_once(resolver: InstitutionResolver) -> None:
    found = resolver.resolve_cell("美国", "美国能源部（DOE）、DOE")
    assert [(m.entry.name, m.text) for m in found] == [("美国能源部", "美国能源部（DOE）")]


# Directions.


def test_two_directions_in_one_cell(edition: ResolvedEdition) -> None:
    brazil = priority(edition, 354)
    assert brazil.directions_text == "现代农业、健康"
    assert brazil.direction_keys == ("life-health.modern-agriculture", "life-health.health")
    assert brazil.field_key == "life-health"


def test_blank_direction_is_none(edition: ResolvedEdition) -> None:
    first = priority(edition, 17)
    assert first.directions_text is None
    assert first.direction_keys == ()


def test_directions_belong_to_their_field(edition: ResolvedEdition) -> None:
    directions = {d.key: d for d in edition.directions}
    for p in edition.priorities:
        for key in p.direction_keys:
            assert directions[key].field_key == p.field_key
    assert directions["information.intelligent-manufacturing"].name == "智能制造"
    assert sum(len(p.direction_keys) for p in edition.priorities) == 55


# Countries.


@pytest.mark.parametrize(
    ("name", "iso_code", "name_en"),
    [
        ("日本", "JP", "Japan"),
        ("韩国", "KR", "South Korea"),
        ("俄罗斯", "RU", "Russia"),
        ("欧盟", "EU", "European Union"),
        ("中国香港", "HK", "Hong Kong, China"),
        ("中国澳门", "MO", "Macao, China"),
        ("中国台湾", "TW", "Taiwan, China"),
        ("玻利维亚", "BO", "Bolivia"),
        ("英国", "GB", "United Kingdom"),
    ],
)
def test_country_codes_and_english_names(
    edition: ResolvedEdition, name: str, iso_code: str, name_en: str
) -> None:
    found = country(edition, name)
    assert (found.key, found.name_en) == (iso_code, name_en)


def test_country_continents(edition: ResolvedEdition) -> None:
    assert country(edition, "欧盟").continent_key == "europe"
    assert country(edition, "中国台湾").continent_key == "hong-kong-macao-taiwan"
    assert country(edition, "美国").continent_key == "north-america"
    assert country(edition, "巴西").continent_key == "latin-america"


def test_entities_in_document_order(edition: ResolvedEdition) -> None:
    assert [c.key for c in edition.continents] == [
        "asia",
        "africa",
        "north-america",
        "oceania",
        "latin-america",
        "europe",
        "hong-kong-macao-taiwan",
    ]
    assert [f.key for f in edition.fields][:3] == [
        "frontier-interdisciplinary",
        "advanced-materials",
        "energy",
    ]
    assert edition.countries[0].key == "JP"
    assert edition.countries[-1].key == "TW"
    assert edition.institutions[0].key == "jp.national-research-institutes"
