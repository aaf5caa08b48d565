"""The words around the tables: a report's title, issuing body, section headings and prose.

``report_words(rng, fmt, truth)`` draws a body, a year of the format, the six section headings
(in the variants real reports use, FORMAT.md) and a few paragraphs per section; the figures the
prose states (requests received, carried over and forward) agree with the tables.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

SECTIONS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)
HEADING_VARIANTS = {
    3: ("四、因政府信息公开工作被申请行政复议和提起行政诉讼情况", "四、政府信息公开行政复议和行政诉讼情况"),
    4: ("五、政府信息公开工作存在的主要问题及改进情况",),
}
TABLE_OF_SECTION = {1: "active", 2: "requests", 3: "appeals"}

PLACES = ("青山", "白石", "东湖", "南岭", "金川", "云溪", "临江", "北塘")
LEVELS = ("县", "区", "市", "旗")
BODIES = ("审计局", "自然资源局", "人民政府办公室", "公安分局", "教育局", "市场监督管理局", "人民政府", "司法局")

INTRO = (
    "本报告根据《中华人民共和国政府信息公开条例》(以下简称《条例》)编制，数据统计期限为{year}年1月1日至{year}年12月31日。"
    "如对本报告有疑问，请与{org}办公室联系。"
)
GENERAL = (
    "{year}年，{org}认真贯彻《中华人民共和国政府信息公开条例》，严格落实主动公开、依申请公开、政府信息管理、平台建设和监督保障各项工作。",
    "(一)主动公开情况。全年通过门户网站主动公开政府信息{published}条，及时发布政策文件和解读。",
    "(二)依申请公开情况。全年共收到政府信息公开申请{new}件，上年结转{carried}件，均在法定期限内答复。",
    "(三)政府信息管理情况。严格落实保密审查和“三审三校”制度，定期清理更新公开信息。",
    "(四)政府信息公开平台建设情况。持续优化政府网站和政务新媒体栏目设置。",
    "(五)监督保障情况。健全政府信息公开监督考核机制，定期开展内部自查。",
)
TABLE_INTROS = (
    "本年度主动公开政府信息情况见下表。",
    "本年度收到和处理政府信息公开申请情况见下表。",
    "本年度因政府信息公开工作被申请行政复议、提起行政诉讼情况见下表。",
)
PROBLEMS = (
    "一是信息公开的及时性有待提高；二是解读回应形式较为单一。下一步将加强培训，完善制度。",
    "(一)存在的主要问题。政策解读形式不够丰富，公开渠道有限。(二)改进措施。丰富解读形式，拓宽公开渠道，加强业务培训。",
)
OTHER = ("本年度未收取信息处理费。", "无。", "{year}年，无收取信息处理费情况。")


@dataclass
class Words:
    org: str
    year: int
    title: str
    date: str  # the publication date, as written at the end
    sections: list[tuple[str, list[str]]]  # heading, paragraphs (the table of 二, 三, 四 follows them)

    @property
    def iso_date(self) -> str:
        year, rest = self.date.split("年")
        month, day = rest.rstrip("日").split("月")
        return f"{year}-{int(month):02d}-{int(day):02d}"


def report_words(rng: random.Random, fmt: str, truth: dict, year: int | None = None) -> Words:
    org = rng.choice(PLACES) + rng.choice(LEVELS) + rng.choice(BODIES)
    drawn = rng.choice((2021, 2022, 2023, 2024)) if fmt == "2021" else rng.choice((2019, 2020))
    year = year or drawn
    requests = truth["requests"]
    figures = {
        "year": year,
        "org": org,
        "published": rng.randint(20, 3000),
        "new": requests[("new", "total")],
        "carried": requests[("carried_over", "total")],
    }
    sections = []
    for number, heading in enumerate(SECTIONS):
        if number in HEADING_VARIANTS and rng.random() < 0.3:
            heading = rng.choice(HEADING_VARIANTS[number])
        if number == 0:
            paragraphs = [GENERAL[0]] + ([p for p in GENERAL[1:]] if rng.random() < 0.6 else [])
        elif number in TABLE_OF_SECTION:
            paragraphs = [TABLE_INTROS[number - 1]] if rng.random() < 0.7 else []
        elif number == 4:
            paragraphs = [rng.choice(PROBLEMS)]
        else:
            paragraphs = [rng.choice(OTHER)]
        sections.append((heading, [p.format(**figures) for p in paragraphs]))
    if rng.random() < 0.5:
        sections[0] = (sections[0][0], [INTRO.format(**figures)] + sections[0][1])
    title = f"{org}{year}年政府信息公开工作年度报告" if rng.random() < 0.5 else f"{year}年{org}政府信息公开工作年度报告"
    date = f"{year + 1}年{rng.randint(1, 3)}月{rng.randint(1, 28)}日"
    return Words(org, year, title, date, sections)
