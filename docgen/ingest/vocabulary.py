"""The words and patterns import recognises in received documents, in one place.

Numbering markers (一、 （一） 1. （1） ①, numbers of any length), 责任单位 and 完成时限 labels and
brackets, the 版头 and 版记 lines, titles and kinds, web-page frames, target sentences and the
headings that announce tasks or aims. Item numbers are printed with compose's `numbering.marker`,
the 任务分工表 headers come from `model.TASK_TABLE_ROLES` and the deadline grammar from
`deadlines` (the model's own lists), so that import reads what docgen writes.
"""

from __future__ import annotations

import functools
import re

from docgen.model import TASK_TABLE_ROLES
from docgen.numbering import MARKERS, chinese, marker

_CN = "一二三四五六七八九十百千零"


_MARKERS = (
    ("一、", re.compile(rf"^([{_CN}]{{1,8}})[、]\s*(.*)$")),
    ("（一）", re.compile(rf"^（([{_CN}]{{1,8}})）\s*(.*)$")),
    ("1.", re.compile(r"^(\d+)(?:[.、](?!\d)|\s)\s*(.*)$")),
    ("（1）", re.compile(r"^（(\d+)）\s*(.*)$")),
    ("①", re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*(.*)$")),
)


_UNIT_KEYS = r"(?:责任单位|责任部门|牵头单位|主责单位|责任主体|牵头部门|负责单位|实施单位)"


_UNITS_LINE = re.compile(rf"^[（(]?{_UNIT_KEYS}[：:](.*?)[）)]?[。；]?$")


_UNITS_TAIL = re.compile(rf"[（(]({_UNIT_KEYS}[：:][^（）]*(?:（[^（）]*）[^（）]*)*)[）)]。?$")


_SUPPORT_LINE = re.compile(r"^[（(]?(?:配合单位|配合部门|协办单位)[：:](.*?)[）)]?[。；]?$")


_DEADLINE_LINE = re.compile(r"^[（(]?(完成时限|完成时间|时间节点|时限要求|完成期限)[：:](.*?)[）)]?[。]?$")


_DEADLINE_TAIL = re.compile(r"[（(]((?:完成时限|完成时间|时间节点|完成期限)[：:][^（）]*)[）)]。?$"
                            r"|[（(](\d{4}年[^（）]{0,12}?前)(?:完成)?[）)]。?$")


#: "责任单位：…；完成时限：…" on one line or in one pair of brackets.
_DEADLINE_AFTER_UNITS = re.compile(r"[；;，,。]\s*(?:完成时限|完成时间|时间节点|完成期限)[：:](.*)$")


_LEAD_SUPPORT = re.compile(r"^(?:由)?(.+?)牵头[，,、]?(?:(.+?)(?:等)?(?:部门|单位)?配合)?(?:落实|负责|实施)?[。；]?$")


_BY = re.compile(r"^由(.+?)(?:负责|牵头)(?:落实|实施)?[。；]?$")


_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\d{1,4}号")


_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")


_NOTICE_TITLE = re.compile(r"^.{0,30}?关于印发《(.+)》的通知$")


_SUBTITLE = re.compile(r"^[（(]\d{4}\s*[—–\-－~～至]+\s*\d{4}年[）)]$")


_KIND_WORDS = (("实施方案", "实施方案"), ("工作方案", "实施方案"), ("方案", "实施方案"), ("工作要点", "工作要点"),
               ("实施意见", "实施意见"), ("意见", "工作意见"), ("要点", "工作要点"), ("通知", "通知"),
               ("安排", "工作要点"), ("部署", "工作要点"), ("计划", "工作要点"),
               # a received 通报 is one (its items headings, its tables body tables); a 挂牌督办通知 is
               # read as a 通知 unless `--kind` says so
               ("通报", "通报"), ("函", "通知"))


#: What a 通报 says of itself when its title names no kind (a web copy whose title was cut, a
#: title ending in 情况): "现将有关情况通报如下", "特此通报", "予以通报表扬/批评", "通报如下".
_BULLETIN_SAYS = re.compile(r"(?:情况|结果|有关事项|名单)?通报如下[：:。]?$|特此通报[。]?$|予以通报(?:表扬|批评|表彰)?"
                            r"|现(?:将|就).{0,40}?通报如下")


_WEB_META = re.compile(r"(发布时间|发布日期|来源[：:]|浏览次数|点击数|阅读次数|字号[：:]|索引号|【打印】|【关闭】"
                       r"|^时间[：:]\s*\d{4}[-/.年])")


#: A line of a web page's frame wherever it is (mostly below the document): links, buttons, the
#: site's footer. Never a sentence of a document.
_WEB_FRAME = re.compile(
    r"^(?:附件下载|扫一扫.{0,20}|分享到.{0,20}|相关(?:解读|链接|文章|阅读|新闻)|(?:文字|图片|视频|访谈|图文|政策)解读"
    r"|媒体报道|打印本页|关闭窗口|【?(?:打印|关闭|返回顶部|收藏)】?|上一篇.*|下一篇.*)[：:]?$"
    r"|网站标识码|ICP备\d|公网安备|网站联系电话|^(?:主办|承办)(?:单位)?[：:]|^(?:技术支持|版权所有)[：:]|保护视力色"
    r"|无障碍浏览"
    # share buttons, one a line: 分享： / 微信 / 微博
    r"|^(?:分享(?:到|至)?[：:]?|微信|微博|新浪微博|腾讯微博|QQ空间|QQ好友|朋友圈|人人网|豆瓣|复制链接|今日头条)$"
    # a link printed in the page, a 纠错/留言/举报 form and its empty fields
    r"|^(?:https?://|www\.)\S+$|^(?:我要(?:纠错|留言|咨询|投诉|评论)|纠错|提交|重置|取消|发表评论|网友评论)$"
    r"|^(?:姓\s*名|联系电话|电话|手机|邮箱|电子邮箱|留言(?:内容|标题)?|评论内容|验证码|标题|内容)[：:]$"
    r"|^举报(?:电话|邮箱|信箱|中心)[：:]|(?:手机|移动端)(?:扫码|访问|浏览|打开)|二维码"
    # a navigation bar: 网站首页 | 机构概况 | 政务公开
    r"|^(?:[^|｜]{1,12}[|｜]){3,}[^|｜]{0,12}$")


#: A line of a web page's buttons only: "【字体：大 中 小】【打印本页】【关闭窗口】", "[打印] [关闭]".
_BUTTONS = re.compile(r"^(?:[【\[［]?\s*(?:字体(?:大小)?|字号|打印(?:本页|此页)?|关闭(?:窗口|本页)?|返回(?:顶部)?|收藏|保存"
                      r"|分享|大|中|小)\s*[：:]?\s*[】\]］]?\s*)+$")


def _web_frame(text: str) -> bool:
    """A line of the web page around the document: a link, a button row, the site's footer."""
    return len(text) < 120 and bool(_WEB_FRAME.search(text) or _BUTTONS.match(text)
                                    and re.search("打印|关闭|字体|字号", text))


#: The 发文字号 among a web page's publication details: "文号：石安委〔2026〕8号".
_META_NUMBER = re.compile(r"(?:文\s*号|发文字号)\s*[：:]?\s*([\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\d{1,4}号)")


#: The publisher among a web page's publication details: "发布机构：X", "来源：X", "录入：X", "责任部门 X".
_PUBLISHER = re.compile(r"(?:发布机构|信息来源|来源|录入|责任部门|发文机关)\s*[：:]?\s*"
                        r"([\u4e00-\u9fff（）]{2,30}?(?:局|委员会|办公室|人民政府|政府|委|办|中心|街道办事处|管委会))"
                        r"(?:(?![\u4e00-\u9fff])|(?=公开|所属|发布|生成|成文|文号|索引|主题|关键词|体裁|组配|浏览|字号))")
_TITLE_END = re.compile(r"(方案|要点|意见|通知|通报|计划|办法|安排|部署|细则|措施|规划|函|决定|报告|批复|纪要|公告|通告|规定)(（\d{4}[—–\-－]\d{4}年）|[（(]第[\d一二三四五六七八九十]+期[）)])?$")


#: A figure's caption, as docgen and offices print it below a chart: "图1　2026年各月事故起数".
_FIGURE_CAPTION = re.compile(r"^图\s*\d{1,2}(?:[\s　.．、:：]+|(?=\D))(?P<title>[^。；，：:]{2,60})$")


_ATTACH_NOTE = re.compile(r"^附件[：:]\s*(.*)$")


_ATTACH_LABEL = re.compile(r"^附件\s*(\d*)$")


_CC = re.compile(r"^抄送[：:](.*)$")


_PRINTED = re.compile(r"^(.+?)\s*(\d{4}年\d{1,2}月\d{1,2}日)\s*印发$")


_ITEM = re.compile(rf"([{_CN}]{{1,3}})是")


_BASIS = re.compile(r"《([^》]+)》（([^（）]*〔\d{4}〕\d+号)）")


_VALID = re.compile(r"有效期至(\d{4}年\d{1,2}月\d{1,2}日)")


_OPS = ("不少于", "不低于", "达到", "不超过", "不高于", "控制在", "低于")


_TARGET = re.compile(
    rf"^(?P<name>[^，。；]+?)(?P<op>{'|'.join(_OPS)})(?P<value>\d+(?:\.\d+)?)(?P<unit>[^\d（），。；]{{0,4}}?)"
    r"(?P<within>以内|以上|以下)?(?:（(?P<years>\d{4}年[^（）]*)）)?$")


_YEAR_VALUE = re.compile(r"(\d{4})年(\d+(?:\.\d+)?)")


_STAGE = re.compile(r"^((?:\d{4}年)?[^，。；]{0,10}?(?:前|之前|上半年|下半年|季度))，(.+)$")


#: The columns of a 任务分工表 as import reads them, from the model's one list of their headers
#: (a 责任单位 column is read as the lead units').
TASK_TABLE_HEADERS = {
    "序号": TASK_TABLE_ROLES["序号"],
    "任务": TASK_TABLE_ROLES["任务"],
    "牵头": TASK_TABLE_ROLES["牵头"] + TASK_TABLE_ROLES["责任单位"],
    "配合": TASK_TABLE_ROLES["配合"],
    "时限": TASK_TABLE_ROLES["时限"],
}


#: How a table's title ends (…统计表, …清单, …一览表): a line above a table ending so is its title.
_TABLE_TITLE = re.compile(r"(?:表|清单|名单|名录|一览|汇总|明细)$")


@functools.cache
def _chinese_values() -> dict[str, int]:
    """Chinese numerals as headings print them (`numbering.chinese`), 一 to 九千九百九十九."""
    return {chinese(n): n for n in range(1, 10000)}


def _cn_value(text: str) -> int:
    if text in "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳" and len(text) == 1:
        return "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳".index(text) + 1
    if text.isdigit():
        return int(text)
    return _chinese_values().get(text, 0)


def marker_of(text: str) -> tuple[str, int, str] | None:
    """(marker kind, number, rest) of a numbered line, or None."""
    for kind, pattern in _MARKERS:
        m = pattern.match(text)
        if m and m.group(2):
            if kind == "1." and re.match(r"^\d+\s", text) and not re.match(r"^\d{1,4}\s+[\u4e00-\u9fff]", text):
                continue
            if kind == "1." and re.match(r"^\d+(月|日|年|%|个|家|项|次)", text):
                continue
            return kind, _cn_value(m.group(1)), m.group(2)
    return None


_CLOSING_SENTENCE = re.compile(r"^本(?:实施)?(?:方案|意见|要点|通知|办法|计划).{0,20}(?:施行|有效期|解释|执行)"
                               r"|^(?:联系人|联系电话|联\s*系\s*人)[：:]")  # the contact line closing a notice


_PHASED = re.compile(rf"^(?P<name>[^，。；：]+?)分批(?P<op>{'|'.join(_OPS)})(?P<value>\d+(?:\.\d+)?)"
                     r"(?P<unit>[^\d（），。；：]{0,4}?)：(?P<phases>.+)$")


_DATED_TARGET = re.compile(r"^(?P<name>[^，。；]+?)(?P<deadline>\d{4}年[^，。；]{0,10}?(?:前|底|末))(?P<rest>(?:"
                           + "|".join(_OPS) + r").+)$")


_TASK_HEADINGS = ("任务", "重点", "工作措施", "主要措施", "具体措施", "行动")


_OTHER_HEADINGS = ("总体要求", "指导思想", "目标", "基本原则", "保障", "工作要求", "组织领导", "实施步骤",
                   "工作步骤", "时间安排", "方法步骤", "总体思路")


#: Headings whose items state aims, not work to be done by a date.
_AIM_HEADINGS = ("总体要求", "指导思想", "目标", "基本原则", "总体思路")


#: Kinds whose numbered items with a lead sentence are tasks even without 责任单位 lines.
_PLAN_KINDS = ("实施方案", "工作要点", "工作意见", "实施意见")


#: Words that stand alone as a 一、 heading; text copied from a web page may run them into the
#: paragraph that follows ("一、工作目标通过专项整治，…").
_HEADING_WORDS = ("总体要求", "指导思想", "总体目标", "工作目标", "主要目标", "目标任务", "基本原则", "总体思路",
                  "主要任务", "重点任务", "工作任务", "工作重点", "工作措施", "主要措施", "保障措施", "工作要求",
                  "组织领导", "实施步骤", "工作步骤", "方法步骤", "时间安排", "阶段安排", "进度安排", "实施范围",
                  "整治范围", "排查范围", "排查重点", "报送要求", "任务分工")


def _label(kind: str, n: int) -> str:
    """The number `n` as printed in the marker kind `kind` (compose's own numbering)."""
    return marker(kind, n) if kind in MARKERS else str(n)


def _short(text: str, n: int = 30) -> str:
    return text if len(text) <= n else text[:n] + "…"
