"""Facts of the shipped 2020 document, stated once for every test package."""

from __future__ import annotations

COUNTRIES_BY_CONTINENT = {
    "亚洲": ["日本", "韩国", "印度", "以色列", "新加坡", "科威特"],
    "非洲": ["埃及", "南非"],
    "美洲": ["美国", "加拿大"],
    "大洋洲": ["澳大利亚", "新西兰"],
    "拉丁美洲": [
        "巴西", "阿根廷", "智利", "古巴", "墨西哥", "哥伦比亚",
        "秘鲁", "玻利维亚", "哥斯达黎加", "厄瓜多尔", "乌拉圭", "巴拿马",
    ],
    "欧洲": [
        "法国", "葡萄牙", "希腊", "英国", "挪威", "瑞典", "意大利", "俄罗斯", "白俄罗斯",
        "乌克兰", "乌兹别克斯坦", "哈萨克斯坦", "格鲁吉亚", "德国", "欧盟", "塞尔维亚", "保加利亚",
    ],
    "港澳台": ["中国香港", "中国澳门", "中国台湾"],
}  # fmt: skip

COUNTRIES_PER_CONTINENT = {
    "亚洲": 6, "非洲": 2, "美洲": 2, "大洋洲": 2, "拉丁美洲": 12, "欧洲": 17, "港澳台": 3,
}  # fmt: skip

ROWS_PER_FIELD = {
    "生命与健康领域": 28,
    "资源生态环境领域": 21,
    "先进材料领域": 16,
    "基础前沿交叉领域": 12,
    "能源领域": 12,
    "光电空间领域": 11,
    "信息领域": 8,
    "海洋领域": 6,
    "重大科技基础设施平台": 1,
}

ENTITY_COUNTS = {
    "editions": 1,
    "continents": 7,
    "countries": 44,
    "fields": 9,
    "directions": 14,
    "institutions": 102,
    "priorities": 115,
}

#: Institution mentions across the rows: one per partner a row names (the second
#: reading splits 及相关大学 and 等大学 into a partner of their own).
MENTIONS = 200

TITLE = "2020年度对外合作重点项目资助重点"
#: The first data row starts on this line; lines before it are the title and headers.
FIRST_DATA_LINE = 12


def institution_lines(lines: list[str]) -> list[int]:
    """The file's own answer: a row's last cell is the tabbed line before a blank line."""
    return [
        number
        for number in range(FIRST_DATA_LINE, len(lines))
        if lines[number - 1].startswith("\t") and lines[number] == ""
    ]
