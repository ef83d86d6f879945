// Labels in Chinese and English. The data carries both (name, nameEn); the chosen
// language is remembered in localStorage so a returning visitor keeps it.
import { createContext, useContext } from "react";

export const LANGUAGES = ["zh", "en"];
const STORAGE_KEY = "coopgraph-explorer-language";

const LABELS = {
  title: { zh: "对外合作重点项目资助重点 · 2020", en: "Cooperation priorities · 2020" },
  overview: { zh: "概览", en: "Overview" },
  skipToContent: { zh: "跳到正文", en: "Skip to content" },
  views: { zh: "视图", en: "Views" },
  map: { zh: "地图", en: "Map" },
  crossref: { zh: "交叉引用", en: "Cross-reference" },
  graphiql: { zh: "GraphiQL", en: "GraphiQL" },
  search: { zh: "搜索", en: "Search" },
  searchPlaceholder: {
    zh: "中文、英文、拼音或缩写：能源、riben、DOE",
    en: "Chinese, English, pinyin or acronym: 能源, riben, DOE",
  },
  switchLanguage: { zh: "English", en: "中文" },
  switchLanguageLabel: { zh: "Switch to English", en: "切换到中文" },
  loading: { zh: "加载中…", en: "Loading…" },
  error: { zh: "查询失败", en: "The query failed" },
  heatmapTitle: { zh: "领域 × 大洲：重点项目数", en: "Fields × continents: priorities" },
  heatmapHint: {
    zh: "点击单元格查看其中的重点项目。",
    en: "Select a cell to list the priorities behind it.",
  },
  field: { zh: "领域", en: "Field" },
  continent: { zh: "大洲/地区", en: "Continent or region" },
  total: { zh: "合计", en: "Total" },
  byField: { zh: "按领域", en: "By field" },
  byContinent: { zh: "按大洲/地区", en: "By continent or region" },
  priorities: { zh: "重点项目", en: "Priorities" },
  countries: { zh: "国家/地区", en: "Countries and regions" },
  institutions: { zh: "合作机构", en: "Institutions" },
  country: { zh: "国家/地区", en: "Country or region" },
  directions: { zh: "研究方向", en: "Directions" },
  partners: { zh: "重点合作机构", en: "Key partner institutions" },
  source: { zh: "原文", en: "Document" },
  line: { zh: "行", en: "line" },
  andOthers: { zh: "等", en: "and others" },
  prioritiesOf: { zh: "重点项目列表", en: "Priorities" },
  allRows: { zh: "全部", en: "All" },
  rowsShown: { zh: "条", en: "rows" },
  moreRows: { zh: "仅显示前 100 条", en: "Only the first 100 are shown" },
  mapTitle: { zh: "各国家/地区的重点项目数", en: "Priorities per country or region" },
  mapHint: {
    zh: "点击国家打开其页面；欧盟、中国香港、中国澳门、新加坡等在右侧列表中。",
    en: "Select a country to open its page; the EU, Hong Kong, Macao, Singapore and the rest are in the list.",
  },
  notOnMap: { zh: "地图上无法显示", en: "not shown on the map" },
  notFound: { zh: "未找到", en: "Not found" },
  fields: { zh: "领域", en: "Fields" },
  spellings: { zh: "文中写法", en: "Spellings in the document" },
  acronym: { zh: "缩写", en: "Acronym" },
  kind: { zh: "类型", en: "Kind" },
  sharingFields: { zh: "在相同领域出现的其他机构", en: "Other institutions in the same fields" },
  sharedFields: { zh: "共同领域", en: "Shared fields" },
  fieldCount: { zh: "领域数", en: "Fields" },
  minFields: { zh: "至少领域数", en: "At least this many fields" },
  kinds: { zh: "类型", en: "Kinds" },
  crossrefTitle: {
    zh: "跨领域的合作机构：机构 × 领域",
    en: "Institutions across fields: institutions × fields",
  },
  searchTitle: { zh: "搜索结果", en: "Search results" },
  typeToSearch: { zh: "请输入要搜索的内容。", en: "Type something to search for." },
  noHits: { zh: "没有结果。", en: "No hits." },
  matchedBecause: { zh: "匹配原因", en: "Why it matched" },
  Continent: { zh: "大洲/地区", en: "Continent" },
  Country: { zh: "国家/地区", en: "Country" },
  Field: { zh: "领域", en: "Field" },
  Direction: { zh: "研究方向", en: "Direction" },
  Institution: { zh: "机构", en: "Institution" },
  ORGANIZATION: { zh: "单一机构", en: "Organisation" },
  GROUP: { zh: "机构群体", en: "Group" },
  CATEGORY: { zh: "机构类别", en: "Category" },
  EXACT: { zh: "完全匹配", en: "exact" },
  PREFIX: { zh: "前缀匹配", en: "prefix" },
  SUBSTRING: { zh: "包含", en: "substring" },
  NAME: { zh: "中文名称", en: "Chinese name" },
  NAME_EN: { zh: "英文名称", en: "English name" },
  ACRONYM: { zh: "缩写或代码", en: "acronym or code" },
  ALIAS: { zh: "其他写法", en: "another spelling" },
  PINYIN: { zh: "拼音", en: "pinyin" },
  INITIALS: { zh: "拼音首字母", en: "pinyin initials" },
};

export const LanguageContext = createContext("zh");

export function storedLanguage() {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return LANGUAGES.includes(stored) ? stored : "zh";
  } catch {
    return "zh";
  }
}

export function storeLanguage(language) {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Private windows may refuse storage; the switch still works for this visit.
  }
}

export function useText() {
  const language = useContext(LanguageContext);
  const t = (key) => LABELS[key]?.[language] ?? key;
  // The name in the chosen language first; the other one is shown beside it where
  // space allows, since readers of either language may know an entity by both.
  const name = (entity) => (entity ? (language === "en" ? entity.nameEn : entity.name) : "");
  const otherName = (entity) => (entity ? (language === "en" ? entity.name : entity.nameEn) : "");
  return { language, t, name, otherName };
}
