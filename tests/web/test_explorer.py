"""The explorer in headless Chromium, offline but for loopback, under the CSP.

Each test follows what a person would do and checks the numbers against the document,
read by the tests' own reader. The app runs on SQLite only: the API tests cover both
backends, and the browser adds nothing a second database would change.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import PageWatch, screenshot_path
from tests.graph.queries import Row, read_rows
from tests.web.conftest import PHONE, open_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("seeded_url", ["sqlite"], indirect=True),
]


@pytest.fixture
def rows(document_lines: list[str]) -> list[Row]:
    return read_rows(document_lines)


def heading(page: Page) -> str:
    return page.locator("main h1").first.inner_text()


def test_overview_heatmap_counts_each_field_and_continent_from_the_document(
    browser: Browser, watch: PageWatch, live_url: str, rows: list[Row], tmp_path: Path
) -> None:
    page = open_page(browser, watch, f"{live_url}/")
    expect(page.locator("table.heatmap")).to_be_visible()

    per_cell = Counter((row.field, row.continent) for row in rows)
    for (field, continent), count in per_cell.items():
        cell = page.get_by_role("link", name=f"{field} · {continent}: {count}", exact=True)
        expect(cell).to_have_text(str(count))
    # Pairs the document has no row for are empty cells, not zeros.
    fields = {row.field for row in rows}
    continents = {row.continent for row in rows}
    links = page.locator("table.heatmap tbody td:not(.margin) a")
    expect(links).to_have_count(len(per_cell))
    assert len(per_cell) < len(fields) * len(continents)
    expect(page.locator("table.heatmap .grand")).to_have_text(str(len(rows)))
    # The whole overview, heatmap and margins, is one GraphQL request.
    assert watch.graphql_requests(live_url) == 1

    by_field = page.locator("table.totals-field tbody tr", has_text="生命与健康领域")
    expect(by_field.locator("td").first).to_have_text(
        str(sum(row.field == "生命与健康领域" for row in rows))
    )
    page.screenshot(path=str(screenshot_path("explorer-overview.png", tmp_path)), full_page=True)


def test_from_a_heatmap_cell_to_a_country_and_on_to_an_institution(
    browser: Browser, watch: PageWatch, live_url: str, rows: list[Row], tmp_path: Path
) -> None:
    page = open_page(browser, watch, f"{live_url}/")
    energy_oceania = [row for row in rows if row.field == "能源领域" and row.continent == "大洋洲"]
    page.get_by_role("link", name=f"能源领域 · 大洋洲: {len(energy_oceania)}").click()

    expect(page).to_have_url(re.compile(r"#/priorities\?field=.+&continent=.+"))
    expect(page.get_by_test_id("row-count")).to_have_text(str(len(energy_oceania)))
    listed = page.locator("table.priorities tbody tr")
    expect(listed).to_have_count(len(energy_oceania))
    for row in energy_oceania:
        expect(page.locator("table.priorities")).to_contain_text(f"行 {row.source_line}")
        expect(page.locator("table.priorities")).to_contain_text(row.source_text)
    page.screenshot(path=str(screenshot_path("explorer-priorities.png", tmp_path)), full_page=True)

    page.locator("table.priorities").get_by_role("link", name="澳大利亚").first.click()
    expect(page).to_have_url(re.compile(r"#/country/AU$"))
    australia = [row for row in rows if row.country == "澳大利亚"]
    expect(page.get_by_test_id("priority-count")).to_have_text(str(len(australia)))
    expect(page.locator("table.priorities tbody tr")).to_have_count(len(australia))
    sources = page.locator("td.source").all_inner_texts()
    assert sorted(sources) == sorted(
        f"行 {row.source_line}\n{row.source_text}" for row in australia
    )
    # The issue's example: 澳大利亚's G8大学 in 8 fields.
    g8 = page.locator("table.institutions tr[data-institution='G8大学']")
    expect(g8.locator("td.number")).to_have_text("8")
    # One request per view: the overview, the cell's list, the country page.
    assert watch.graphql_requests(live_url) == 3
    page.screenshot(path=str(screenshot_path("explorer-country.png", tmp_path)), full_page=True)

    g8.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"#/institution/"))
    assert heading(page).startswith("G8大学")
    expect(page.get_by_test_id("field-count")).to_have_text("8")
    g8_rows = [row for row in australia if "G8" in row.source_text]
    expect(page.locator("ul.field-list li")).to_have_count(len({row.field for row in g8_rows}))
    expect(page.locator("ul.aliases li")).to_have_text(["澳大利亚G8大学", "G8大学"])
    expect(page.locator("ul.source-rows li")).to_have_count(len(g8_rows))
    # CSIRO is named in three of Australia's fields, all of which G8 shares.
    csiro = page.locator("table.sharing tr", has_text="联邦科工组织")
    expect(csiro.locator("td .number")).to_have_text("3")
    # The first screenful: the full list of sharing institutions is a hundred rows long.
    page.screenshot(path=str(screenshot_path("explorer-institution.png", tmp_path)))

    # The back button walks the views back.
    page.go_back()
    expect(page).to_have_url(re.compile(r"#/country/AU$"))
    expect(page.get_by_test_id("priority-count")).to_have_text(str(len(australia)))
    page.go_back()
    expect(page.get_by_test_id("row-count")).to_have_text(str(len(energy_oceania)))


def test_map_shades_countries_and_lists_the_ones_it_cannot_draw(
    browser: Browser, watch: PageWatch, live_url: str, rows: list[Row], tmp_path: Path
) -> None:
    page = open_page(browser, watch, f"{live_url}/#/map")
    per_country = Counter(row.country for row in rows)
    list_links = page.locator("nav.country-list li a")
    expect(list_links).to_have_count(len(per_country))
    expect(page.locator("svg a[data-iso='AU'] path")).to_be_visible()
    # Natural Earth's 1:110m countries leave out the smallest: they are in the list.
    off_map = page.locator("nav.country-list li", has_text="地图上无法显示")
    expect(off_map).to_have_count(4)
    for name in ("欧盟", "中国香港", "中国澳门", "新加坡"):
        expect(off_map.filter(has_text=name)).to_have_count(1)
    expect(page.locator("svg a[data-iso]")).to_have_count(len(per_country) - 4)
    expect(page.locator("svg a[data-iso='TW']")).to_have_attribute(
        "aria-label", f"中国台湾: {per_country['中国台湾']}"
    )
    page.screenshot(path=str(screenshot_path("explorer-map.png", tmp_path)), full_page=True)

    # Keyboard: a shape is a link that takes focus and opens on Enter.
    page.locator("svg a[data-iso='JP']").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#/country/JP$"))
    expect(page.get_by_test_id("priority-count")).to_have_text(str(per_country["日本"]))

    page.go_back()
    page.locator("nav.country-list").get_by_role("link", name=re.compile("^欧盟")).click()
    expect(page).to_have_url(re.compile(r"#/country/EU$"))
    expect(page.get_by_test_id("priority-count")).to_have_text(str(per_country["欧盟"]))


def test_cross_reference_tells_kinds_apart_and_marks_each_field(
    browser: Browser, watch: PageWatch, live_url: str, tmp_path: Path
) -> None:
    page = open_page(browser, watch, f"{live_url}/#/crossref")
    g8 = page.locator("table.matrix tr[data-institution='G8大学']")
    expect(g8).to_have_class(re.compile("row-group"))
    expect(g8.locator("td.hit")).to_have_count(8)
    expect(page.locator("table.matrix tr[data-institution='美国能源部']")).to_have_class(
        re.compile("row-organization")
    )
    # Categories are left out by default, as the API's sharedInstitutions does.
    expect(page.locator("table.matrix tbody tr.row-category")).to_have_count(0)
    page.screenshot(path=str(screenshot_path("explorer-crossref.png", tmp_path)), full_page=True)

    page.get_by_label("机构类别").check()
    expect(page).to_have_url(re.compile(r"kinds=ORGANIZATION%2CGROUP%2CCATEGORY"))
    expect(page.locator("table.matrix tbody tr.row-category").first).to_be_visible()
    page.get_by_label("至少领域数").select_option("8")
    expect(page.locator("table.matrix tbody tr")).to_have_count(1)
    expect(page.locator("table.matrix tbody tr")).to_have_attribute("data-institution", "G8大学")


def test_search_as_you_type_says_why_each_hit_matched(
    browser: Browser, watch: PageWatch, live_url: str, tmp_path: Path
) -> None:
    page = open_page(browser, watch, f"{live_url}/#/map")
    box = page.get_by_role("searchbox")
    box.focus()
    page.keyboard.type("rb")
    expect(page).to_have_url(re.compile(r"#/search\?q=rb$"))
    first = page.locator("ol.hits li").first
    expect(first).to_contain_text("日本")
    expect(first.locator(".why")).to_have_text("匹配原因: rb (拼音首字母, 完全匹配)")

    box.fill("")
    page.keyboard.type("DOE")
    expect(page).to_have_url(re.compile(r"#/search\?q=DOE$"))
    hit = page.locator("ol.hits li").first
    expect(hit).to_contain_text("美国能源部")
    expect(hit.locator(".why")).to_have_text("匹配原因: DOE (缩写或代码, 完全匹配)")

    box.fill("臺灣")
    hit = page.locator("ol.hits li").first
    expect(hit).to_contain_text("中国台湾")
    expect(hit.locator(".why")).to_contain_text("台湾 (其他写法")
    page.screenshot(path=str(screenshot_path("explorer-search.png", tmp_path)), full_page=True)

    # Typing refined one history entry, so back leaves the search for the map.
    page.go_back()
    expect(page).to_have_url(re.compile(r"#/map$"))
    hit_link = page.locator("nav.country-list").get_by_role("link", name=re.compile("^中国台湾"))
    expect(hit_link).to_be_visible()


def test_english_labels_are_remembered_across_visits(
    browser: Browser, watch: PageWatch, live_url: str
) -> None:
    page = open_page(browser, watch, f"{live_url}/")
    expect(page.locator("main h1")).to_have_text("领域 × 大洲：重点项目数")
    page.get_by_role("button", name="Switch to English").click()
    expect(page.locator("main h1")).to_have_text("Fields × continents: priorities")
    expect(page.locator("table.heatmap thead")).to_contain_text("Oceania")
    assert page.evaluate("document.documentElement.lang") == "en"

    page.goto(f"{live_url}/#/search?q=riben", wait_until="load")
    page.reload()
    hit = page.locator("ol.hits li").first
    expect(hit).to_contain_text("Japan")
    expect(hit.locator(".why")).to_have_text("Why it matched: ri ben (pinyin, exact)")
    page.get_by_role("button", name="切换到中文").click()
    expect(hit).to_contain_text("日本")


def test_readable_on_a_phone_sized_screen(
    browser: Browser, watch: PageWatch, live_url: str, tmp_path: Path
) -> None:
    page = open_page(browser, watch, f"{live_url}/", viewport=PHONE)
    expect(page.locator("table.heatmap")).to_be_visible()
    for view in ("#/", "#/map", "#/country/AU", "#/crossref"):
        page.goto(f"{live_url}/{view}", wait_until="load")
        expect(page.locator("main h1")).to_be_visible()
        # Wide tables scroll inside their own box; the page itself never scrolls sideways.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{view} is {width}px wide"
        if view == "#/country/AU":
            page.screenshot(path=str(screenshot_path("explorer-phone.png", tmp_path)))
