"""Received documents the importer had not seen, made here from specs of our own (no sentence of a
real document): a WPS-like red-head PDF (标志 over two lines, a 发文字号 in full-width digits broken
over two lines, 版记 with 印发机关 and 印发日期 on one line, other margins, the producer WPS writes),
a joint red head with "文件" set beside the two organs, a web copy with its frame, a 实施意见 with no
责任单位 lines (units as the sentences' subjects, quotas phased by town and rates by year), and a plan
from a city the registry does not know.

Each `Received` knows what an import must recover (`expected`, a `fidelity.Summary`) because the
document is printed from the same spec. PDFs are set with Typst (the fonts docgen's Typst engine
uses), then given WPS's producer and creator with pypdf.

Used by tests/ingest/test_received.py and bench/roundtrip.py.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from tests.ingest.fidelity import Summary

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHIQIAO = FIXTURES / "registry"

_FULL = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass
class Item:
    """A numbered item that is a task: "（一）lead。text", then its lines (`lines`: 责任单位/牵头单位
    lines and 完成时限, as written). `units` and `deadline`: what the import must find."""

    lead: str
    text: str
    units: tuple[str, ...] = ()
    deadline: str | None = None
    targets: tuple[tuple[str, float], ...] = ()
    lines: tuple[str, ...] = ()


@dataclass
class Group:
    title: str
    items: list[Item | Group] = field(default_factory=list)


@dataclass
class Received:
    name: str
    marks: list[str]  # the 发文机关标志 as printed, a line each ([] for a web copy)
    number: list[str]  # the 发文字号 as printed, a line each
    number_value: str | None  # what the import must read
    title: list[str]  # the title's printed lines
    recipients: list[str]
    opening: list[str]
    groups: list[Group]
    closing: list[str]
    signature: list[str]
    date: str
    cc: str = ""
    printed: str = ""  # 印发机关 and 印发日期 on one line
    joint: bool = False
    registry: Path = SHIQIAO
    #: item markers from the outer level in (一、 then （一） then 1.)
    markers: tuple[str, ...] = ("一、", "（一）", "1.")
    restart: bool = True  # 1. restarts under each （一）
    heading_stop: bool = False  # group headings end with 。 ("一、工作要求。")

    @property
    def title_value(self) -> str:
        return "".join(self.title)

    def body_lines(self) -> list[str]:
        out = list(self.opening)

        def walk(groups: list, depth: int) -> None:
            for n, g in enumerate(groups, start=1):
                marker = _marker(self.markers[depth], n)
                if isinstance(g, Group):
                    out.append(f"{marker}{g.title}{'。' if self.heading_stop else ''}")
                    walk(g.items, depth + 1)
                else:
                    out.append(f"{marker}{g.lead}。{g.text}")
                    out.extend(g.lines)
        walk(self.groups, 0)
        return out + list(self.closing)

    def expected(self) -> Summary:
        sections: list[str] = []
        tasks = []

        def walk(groups: list) -> None:
            for g in groups:
                if isinstance(g, Group):
                    sections.append(g.title)
                    walk(g.items)
                else:
                    tasks.append((g.lead, g.units, g.deadline, g.targets))
        walk(self.groups)
        return Summary(self.title_value, self.number_value, sections, [], tasks)

    # -- as printed -------------------------------------------------------------------------------
    def text(self, frame: bool = False) -> str:
        """The document as plain text (a web copy's text with its frame when `frame`)."""
        lines: list[str] = []
        if frame:
            lines += ["网站首页 | 政务公开 | 政策文件 | 办事服务 | 互动交流", "当前位置：首页 > 政务公开 > 政策文件"]
        lines += self.marks + self.number + [self.title_value]
        if frame:
            lines += [f"发布时间：{_iso(self.date)} 16:05　来源：{self.signature[0]}　浏览次数：1024",
                      f"文号：{self.number_value}", "【字体：大 中 小】【打印】【关闭】", "分享到：", "微信", "微博"]
        lines += ["".join(self.recipients)] + self.body_lines() + self.signature + [self.date]
        if self.cc:
            lines += [self.cc, self.printed]
        if frame:
            lines += ["扫一扫在手机打开当前页", "上一篇：关于公布2024年度安全生产考核结果的通报", "下一篇：无",
                      "【打印本页】【关闭窗口】", "主办单位：澄湖市石桥区人民政府办公室　技术支持：石桥区数据中心",
                      "网站标识码：3301050000　浙ICP备00000002号"]
        return "\n".join(lines) + "\n"

    def flat(self) -> str:
        """The text as some sites publish it: the body's paragraphs run together on one line and its
        punctuation half-width (the head, title and foot keep their lines)."""
        half = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")"})
        head = self.marks + self.number + [self.title_value, "".join(self.recipients).translate(half)]
        foot = self.signature + [self.date] + ([self.cc, self.printed] if self.cc else [])
        return "\n".join(head + ["".join(self.body_lines()).translate(half)] + foot) + "\n"

    def typst(self) -> str:
        """The red-head document as a WPS-like template sets it: 25 mm left, 22 mm right margins,
        30 lines of 16 pt, 标志 in red, the 发文字号 and title as printed, the 版记 between rules."""
        def esc(text: str) -> str:
            return re.sub(r'([\\#\[\]*_`$<>@"])', r"\\\1", text)

        body = "\n\n".join(f"#h(2em){esc(line)}" for line in self.body_lines())
        out = ['#set page(paper: "a4", margin: (left: 25mm, right: 22mm, top: 32mm, bottom: 30mm), '
               'footer: context align(center)[#text(size: 14pt)[— #counter(page).display() —]])',
               '#set text(font: ("Liberation Serif", "FandolFang R"), size: 16pt, lang: "zh")',
               '#set par(leading: 0.78em, spacing: 0.78em, justify: true)']
        if self.joint:
            organs = "\\ ".join(esc(m) for m in self.marks[:-1])
            out.append('#align(center)[#text(fill: rgb("#e00000"), size: 26pt, font: "Noto Serif CJK SC", '
                       f'weight: "bold")[#grid(columns: 2, align: horizon, column-gutter: 6pt, [{organs}], '
                       f'text(size: 36pt)[{esc(self.marks[-1])}])]]')
        else:
            for m in self.marks:
                out.append(f'#align(center)[#text(fill: rgb("#e00000"), size: 34pt, font: "Noto Serif CJK SC", '
                           f'weight: "bold")[{esc(m)}]]')
        out.append("#v(12pt)")
        for line in self.number:
            out.append(f"#align(center)[{esc(line)}]")
        out.append('#line(length: 100%, stroke: 1.5pt + rgb("#e00000"))\n#v(18pt)')
        for line in self.title:
            out.append(f'#align(center)[#text(size: 22pt, font: "Noto Serif CJK SC", weight: "bold")[{esc(line)}]]')
        out.append("#v(12pt)")
        out.append("#par(first-line-indent: 0pt)[" + esc("".join(self.recipients)) + "]")
        out.append(body)
        out.append("#v(30pt)")
        out.append("#align(right)[" + "#h(2em)".join(esc(s) for s in self.signature) + "#h(3em)]")
        out.append(f"#align(right)[{esc(self.date)}#h(4em)]")
        if self.cc:
            out.append("#v(1fr)\n#line(length: 100%, stroke: 0.75pt)")
            out.append(f"#text(size: 14pt)[#h(1em){esc(self.cc)}]")
            out.append("#line(length: 100%, stroke: 0.5pt)")
            organ, day = self.printed.split("　", 1)
            out.append(f"#text(size: 14pt)[#h(1em){esc(organ)}#h(1fr){esc(day.strip())}#h(1em)]")
            out.append("#line(length: 100%, stroke: 0.75pt)")
        return "\n".join(out) + "\n"

    def pdf(self, path: Path) -> Path:
        import typst
        from pypdf import PdfReader, PdfWriter

        from docgen.render.typeset import FONT_DIRS

        data = typst.compile(self.typst().encode("utf-8"), font_paths=[str(d) for d in FONT_DIRS if d.is_dir()],
                             ignore_system_fonts=True)
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        writer.add_metadata({"/Producer": "WPS 文字", "/Creator": "WPS Office", "/Title": self.title_value})
        with path.open("wb") as f:
            writer.write(f)
        return path


def _marker(kind: str, n: int) -> str:
    from docgen.numbering import marker

    return marker(kind, n) if kind not in ("1.",) else f"{n}."


def _iso(date: str) -> str:
    y, m, d = re.match(r"(\d{4})年(\d{1,2})月(\d{1,2})日", date).groups()
    return f"{y}-{int(m):02d}-{int(d):02d}"


# -- the documents --------------------------------------------------------------------------------

def flood_notice() -> Received:
    """A district 安委办 notice from a WPS template: 标志 over two lines, 文号 broken over two lines in
    full-width digits, title over two lines, 主送 over two lines, 版记 on one line."""
    lines = lambda units, due: (f"责任单位：{units}", f"完成时限：{due}")  # noqa: E731
    return Received(
        "flood-notice",
        marks=["澄湖市石桥区安全生产", "委员会办公室文件"],
        number=["石安委办〔", "2025〕7 号".translate(_FULL)], number_value="石安委办〔2025〕7号",
        title=["澄湖市石桥区安全生产委员会办公室关于做好", "2025年汛期安全防范工作的通知"],
        recipients=["各街道办事处、镇人民政府，石桥经济开发区管委会，", "区安委会各成员单位："],
        opening=["入汛以来，我区降雨明显偏多，局地短时强降雨频发，山洪、城市内涝和地质灾害风险上升。为切实做好汛期"
                 "各项安全防范工作，保障人民群众生命财产安全，现将有关事项通知如下："],
        groups=[
            Group("压紧压实防汛责任", [
                Item("落实包保责任", "明确每处风险点的包保责任人和联系人，建立名册并动态更新。",
                     ("各街道（镇）",), "2025年5月20日前", lines=lines("各街道（镇）", "2025年5月20日前")),
                Item("开展汛前检查", "对水库、山塘、堤防、在建工地和地下空间逐一检查，发现问题当场交办、限期整改。",
                     ("区水利局", "区住房和城乡建设局", "区城市管理局"), "2025年5月31日前",
                     lines=("牵头单位：区水利局", "配合单位：区住房和城乡建设局、区城市管理局", "完成时限：2025年5月31日前")),
            ]),
            Group("抓好重点领域防范", [
                Item("加强在建工地管理", "督促施工单位落实临时设施抗风加固和基坑排水措施，遇强降雨及时停工撤人。",
                     ("区住房和城乡建设局",), "2025年9月30日前", lines=lines("区住房和城乡建设局", "2025年9月30日前")),
                Item("强化地下空间防倒灌", "对地下车库、下穿通道设置挡水设施，配足抽排设备，地下车库挡水设施配备率达到100%。",
                     ("区城市管理局", "各街道（镇）"), "2025年6月15日前", (("地下车库挡水设施配备率", 100.0),),
                     lines=lines("区城市管理局、各街道（镇）", "2025年6月15日前")),
                Item("做好地质灾害隐患点监测", "对全区地质灾害隐患点落实专人巡查，强降雨期间加密巡查频次。",
                     ("区自然资源分局",), "主汛期前", lines=lines("区自然资源分局", "主汛期前")),
            ]),
            Group("严格值班值守", [
                Item("落实领导带班制度", "汛期实行24小时值班和领导带班，确保信息畅通、指令直达。",
                     ("区安委会各成员单位",), "2025年9月30日前", lines=lines("区安委会各成员单位", "2025年9月30日前")),
                Item("及时报送险情信息", "发生险情灾情后30分钟内电话报告、1小时内书面报告区应急管理局，不得迟报漏报。",
                     ("区安委会各成员单位", "各街道（镇）"), "2025年9月30日前",
                     lines=lines("区安委会各成员单位、各街道（镇）", "2025年9月30日前")),
            ]),
        ],
        closing=["请各单位于2025年10月10日前将汛期安全防范工作总结报区安委办。"],
        signature=["澄湖市石桥区安全生产委员会办公室"], date="2025年5月8日",
        cc="抄送：区委办公室，区人大常委会办公室，区政府办公室。",
        printed="澄湖市石桥区安全生产委员会办公室　2025年5月8日印发",
        markers=("一、", "（一）"),
    )


def gas_joint_notice() -> Received:
    """A joint notice of two organs: their 标志 stacked with one "文件" beside them, the 发文字号 in
    full-width digits on one line, two signatures side by side."""
    lines = lambda units, due: (f"责任单位：{units}", f"完成时限：{due}")  # noqa: E731
    return Received(
        "gas-joint-notice",
        marks=["澄湖市石桥区安全生产委员会", "澄湖市石桥区人民政府办公室", "文件"],
        number=["石安委〔2025〕15号".translate(_FULL)], number_value="石安委〔2025〕15号",
        title=["关于开展城镇燃气安全隐患", "集中排查整治的通知"],
        recipients=["各街道办事处、镇人民政府，区安委会各成员单位："],
        opening=["为从根本上消除城镇燃气安全隐患，经区政府同意，决定在全区开展城镇燃气安全隐患集中排查整治。现将有关事项通知如下："],
        groups=[
            Group("排查整治重点", [
                Item("排查燃气经营企业", "对辖区燃气经营企业的储配站、供应站逐一检查，重点查处违规充装和超量储存。",
                     ("区城市管理局",), "2025年6月30日前", lines=lines("区城市管理局", "2025年6月30日前")),
                Item("排查餐饮用气场所", "对餐饮场所用气设施逐户检查，餐饮场所燃气报警器安装率达到100%。",
                     ("区市场监督管理局", "各街道（镇）"), "2025年7月31日前", (("餐饮场所燃气报警器安装率", 100.0),),
                     lines=lines("区市场监督管理局、各街道（镇）", "2025年7月31日前")),
                Item("整治老旧燃气管网", "对使用年限超过二十年的老旧管网制定改造计划，分批实施。",
                     ("区住房和城乡建设局",), "2025年12月31日前", lines=lines("区住房和城乡建设局", "2025年12月31日前")),
            ]),
            Group("工作要求", [
                Item("建立问题清单", "对排查发现的问题建立清单，明确整改责任人和时限，逐项销号。",
                     ("区安委会各成员单位",), "2025年8月31日前", lines=lines("区安委会各成员单位", "2025年8月31日前")),
            ]),
        ],
        closing=["各街道（镇）、各有关部门要于每月5日前将上月排查整治情况报区安委办。"],
        signature=["澄湖市石桥区安全生产委员会", "澄湖市石桥区人民政府办公室"], date="2025年5月26日",
        cc="抄送：区委办公室，区人大常委会办公室。",
        printed="澄湖市石桥区安全生产委员会办公室　2025年5月27日印发",
        joint=True, markers=("一、", "（一）"),
    )


def street_points_web() -> Received:
    """A street office's 工作要点 copied from its website, frame and all: the 发文字号 only in the page's
    metadata row, share and print buttons, a QR hint, the previous and next links, the footer."""
    return Received(
        "street-points-web",
        marks=[], number=[], number_value="枫林街办〔2025〕6号",
        title=["枫林街道2025年安全生产工作要点"],
        recipients=["各社区居委会，街道各科室、直属单位："],
        opening=["2025年全街道安全生产工作的总体要求是：坚持安全第一、预防为主、综合治理，压实各方责任，"
                 "深化隐患排查整治，坚决防范遏制生产安全事故。现将工作要点印发如下。"],
        groups=[
            Group("压实安全生产责任", [
                Item("签订安全生产责任书", "与各社区、辖区重点企业签订年度安全生产责任书，明确年度目标。",
                     ("党政办",), "2025年3月31日前", lines=("责任单位：党政办", "完成时限：2025年3月31日前")),
                Item("落实网格化管理", "将安全生产纳入社区网格员日常巡查内容，网格巡查覆盖率达到100%。",
                     ("应急管理办", "各社区"), "2025年6月30日前", (("网格巡查覆盖率", 100.0),),
                     lines=("责任单位：应急管理办、各社区", "完成时限：2025年6月30日前")),
            ]),
            Group("深化重点领域整治", [
                Item("整治电动自行车充电隐患", "对居民小区楼道停放充电问题开展集中清理，新建集中充电设施。",
                     ("消防工作站", "城市管理办"), "2025年9月30日前",
                     lines=("牵头单位：消防工作站", "配合单位：城市管理办", "完成时限：2025年9月30日前")),
                Item("检查九小场所", "对辖区九小场所开展消防安全检查，发现隐患当场督促整改。",
                     ("消防工作站",), "2025年11月30日前", lines=("责任单位：消防工作站", "完成时限：2025年11月30日前")),
                Item("排查出租房屋", "结合流动人口管理排查出租房屋安全隐患，建立台账。",
                     ("枫林派出所", "各社区"), "2025年10月31日前",
                     lines=("责任单位：枫林派出所、各社区", "完成时限：2025年10月31日前")),
            ]),
        ],
        closing=[],
        signature=["澄湖市石桥区枫林街道办事处"], date="2025年3月12日",
        markers=("一、", "（一）"),
    )


def opinion_by_subjects() -> Received:
    """A 实施意见 whose items name no 责任单位 line: units are the sentences' subjects, 1. restarts
    under each （一）, quotas are phased by town and rates by year."""
    return Received(
        "opinion-by-subjects",
        marks=["澄湖市石桥区人民政府办公室文件"], number=["石政办〔2025〕21号"], number_value="石政办〔2025〕21号",
        title=["澄湖市石桥区人民政府办公室关于推进", "小微企业安全生产标准化建设的实施意见"],
        recipients=["各街道办事处、镇人民政府，区政府各部门："],
        opening=["为夯实小微企业安全生产基础，提升本质安全水平，结合我区实际，提出如下实施意见。"],
        groups=[
            Group("推进达标创建", [
                Group("分步推进达标创建", [
                    Item("推进达标创建", "区应急管理局牵头，区市场监督管理局配合，组织小微企业开展标准化达标创建，小微企业标准化达标率2025年底前达到50%，2026年底前达到80%，2027年底前达到100%。",
                         ("区应急管理局", "区市场监督管理局"), "2025年底前、2026年底前、2027年底前",
                         (("小微企业标准化达标率", 100.0),)),
                    Item("分批完成镇街覆盖", "各街道（镇）要组织辖区小微企业分批完成标准化建设。2025年底前，枫林街道、石桥街道完成辖区小微企业标准化建设全覆盖；2026年底前，青溪镇、石桥经济开发区完成辖区小微企业标准化建设全覆盖。",
                         ("各街道（镇）",), "2025年底前、2026年底前", (("完成辖区小微企业标准化建设全覆盖的街道（镇）", 4.0),)),
                ]),
            ]),
            Group("强化日常监管", [
                Group("夯实企业基础管理", [
                    Item("健全安全管理制度", "由区应急管理局负责，指导企业建立安全生产责任制和岗位操作规程，做到一岗一责。",
                         ("区应急管理局",), None),
                    Item("开展从业人员培训", "区人力资源和社会保障局牵头，区应急管理局配合，每年组织小微企业主要负责人和安全管理人员集中培训。",
                         ("区人力资源和社会保障局", "区应急管理局"), None),
                ]),
                Group("强化监管执法", [
                    Item("实施分级分类监管", "区应急管理局要根据企业风险等级确定检查频次，对高风险企业每季度至少检查1次。",
                         ("区应急管理局",), None),
                    Item("加大执法检查力度", "负有安全生产监督管理职责的部门要将标准化建设情况纳入日常执法检查内容。",
                         ("负有安全生产监督管理职责的部门",), None),
                ]),
            ]),
        ],
        closing=["本意见自印发之日起施行，有效期至2027年12月31日。"],
        signature=["澄湖市石桥区人民政府办公室"], date="2025年4月18日",
        cc="抄送：区委办公室，区人大常委会办公室。", printed="澄湖市石桥区人民政府办公室　2025年4月18日印发",
    )


def other_city_plan() -> Received:
    """A 工作方案 of a city the registry does not know (its organs and towns unregistered)."""
    lines = lambda units, due: (f"责任单位：{units}", f"完成时限：{due}")  # noqa: E731
    return Received(
        "other-city-plan",
        marks=["江陵市安全生产委员会文件"], number=["江安委〔2025〕4号"], number_value="江安委〔2025〕4号",
        title=["江陵市2025年危险化学品安全专项整治工作方案"],
        recipients=["各县（市、区）安委会，市安委会各成员单位："],
        opening=["为有效防范化解危险化学品安全风险，制定本方案。"],
        groups=[
            Group("排查整治", [
                Item("摸清企业底数", "全面排查危险化学品生产、储存、使用企业，建立一企一档。",
                     ("市应急管理局",), "2025年6月30日前", lines=lines("市应急管理局", "2025年6月30日前")),
                Item("整治重大危险源", "对重大危险源企业逐一开展安全评估，重大危险源在线监测接入率达到100%。",
                     ("市应急管理局", "各县（市、区）安委会"), "2025年10月31日前", (("重大危险源在线监测接入率", 100.0),),
                     lines=lines("市应急管理局、各县（市、区）安委会", "2025年10月31日前")),
                Item("规范危化品运输", "加强危险化学品运输车辆动态监控，严查超载和违规停放。",
                     ("市交通运输局", "市公安局"), "2025年12月31日前", lines=lines("市交通运输局、市公安局", "2025年12月31日前")),
            ]),
        ],
        closing=[],
        signature=["江陵市安全生产委员会"], date="2025年3月20日",
        cc="抄送：市委办公室，市政府办公室。", printed="江陵市安全生产委员会办公室　2025年3月21日印发",
        markers=("一、", "（一）"),
    )


def campaign_notice() -> Received:
    """A 通知 that asks in sentences: units as the subject ("区应急管理局要…", "由…负责", "…牵头，…配合"),
    deadlines inline ("8月31日前完成", "每月5日前报送"), the title over three lines, headings ending in
    。, 1. restarting under each （一）, a contact line closing it."""
    return Received(
        "campaign-notice",
        marks=["澄湖市石桥区安全生产委员会文件"], number=["石安委〔2025〕18号"], number_value="石安委〔2025〕18号",
        title=["澄湖市石桥区安全生产委员会", "关于开展重点行业领域安全隐患", "大排查大整治行动的通知"],
        recipients=["各街道办事处、镇人民政府，石桥经济开发区管委会，区安委会各成员单位："],
        opening=["为深入排查整治重点行业领域安全隐患，区安委会决定于2025年6月至11月在全区开展安全隐患大排查大整治"
                 "行动。现将有关事项通知如下："],
        groups=[
            Group("排查整治重点", [
                Group("危险化学品和工贸企业", [
                    Item("排查企业主体责任落实情况", "区应急管理局要组织对危险化学品企业逐一检查，2025年7月31日前完成首轮检查。",
                         ("区应急管理局",), "2025年7月31日前"),
                    Item("整治粉尘涉爆企业", "由区应急管理局负责，对粉尘涉爆企业除尘系统开展专项整治，10月31日前完成整改。",
                         ("区应急管理局",), "2025年10月31日前"),
                ]),
                Group("城镇燃气和建筑施工", [
                    Item("排查燃气使用场所", "区城市管理局牵头，区市场监督管理局配合，对餐饮场所用气安全开展检查，8月31日前完成。",
                         ("区城市管理局", "区市场监督管理局"), "2025年8月31日前"),
                    Item("整治在建工地隐患", "区住房和城乡建设局要对在建工地深基坑、高支模、起重机械开展检查，9月30日前完成。",
                         ("区住房和城乡建设局",), "2025年9月30日前"),
                ]),
            ]),
            Group("工作要求", [
                Item("加强组织领导", "各街道（镇）要成立工作专班，6月15日前将专班名单报区安委办。",
                     ("各街道（镇）",), "2025年6月15日前"),
                Item("强化督导检查", "区安委办要对各地行动开展情况进行督导，对工作不力的单位予以通报。",
                     ("区安委办",), None),
                Item("按月报送进展", "各街道（镇）要明确一名联络员，每月5日前报送上月排查整治进展。",
                     ("各街道（镇）",), "每月5日前"),
                Item("及时总结报送", "区安委会各成员单位要于11月20日前将行动总结报区安委办。",
                     ("区安委会各成员单位",), "2025年11月20日前"),
            ]),
        ],
        heading_stop=True,
        closing=["联系人：区应急管理局综合科，电话：0000-87650021。"],
        signature=["澄湖市石桥区安全生产委员会"], date="2025年6月3日",
        cc="抄送：区委办公室，区政府办公室。", printed="澄湖市石桥区安全生产委员会办公室　2025年6月3日印发",
    )


#: Every document, and the forms it is received in.
DOCUMENTS = {
    "flood-notice": (flood_notice, ("pdf", "txt", "flat")),
    "gas-joint-notice": (gas_joint_notice, ("pdf",)),
    "street-points-web": (street_points_web, ("web",)),
    "opinion-by-subjects": (opinion_by_subjects, ("txt", "pdf", "flat")),
    "other-city-plan": (other_city_plan, ("txt", "pdf")),
    "campaign-notice": (campaign_notice, ("pdf", "flat")),
}


def write(name: str, form: str, folder: Path) -> Path:
    """The document `name` as received in `form` in `folder`: "pdf" (the WPS-like red head), "txt"
    (its text), "web" (with the web page's frame), "flat" (paragraphs run together, half-width)."""
    doc = DOCUMENTS[name][0]()
    if form == "pdf":
        return doc.pdf(folder / f"{name}.pdf")
    path = folder / f"{name}.{'' if form == 'txt' else form + '.'}txt"
    path.write_text(doc.flat() if form == "flat" else doc.text(frame=form == "web"), encoding="utf-8")
    return path
