"""`docgen report`'s draft: a plan's progress as a 通报 file and its data file.

The data file (`data_text`) holds every number — task counts by state and by action, each unit's
completion, the overdue and lagging tasks, the office statistics of the progress file — and is
rewritten on every run. The 通报 file (`draft_text`) holds the sentences, which name those numbers
by placeholder (``已完成{已完成任务}``); it is written once and then belongs to the drafter, so that a
rerun with new ledgers updates figures and tables and keeps the drafter's words.

Progress is summarised, never copied: counts by action (a table and a chart), one short paragraph
naming the overdue tasks with their units (the first `NAMED` of them), and the overdue and lagging
tasks with their units as an attachment table; each unit's completion as the second attachment.
"""

from __future__ import annotations

import datetime as dt
import re

import yaml

from docgen import wording
from docgen.model import Plan
from docgen.progress.model import Progress
from docgen.progress.stats import DONE_STATE, LAGGING, ONGOING, OVERDUE, Figures

#: Overdue tasks named in the text; the rest are in 附件1.
NAMED = 8
#: How each office statistic of a progress file is phrased: (words before the figure, measure word).
STAT_WORDS = {
    "事故起数": ("发生生产安全事故", "起"), "死亡人数": ("死亡", "人"), "受伤人数": ("受伤", "人"),
    "检查企业家次": ("检查企业", "家次"), "排查隐患": ("排查风险隐患", "条"), "已整改": ("已整改", "条"),
    "行政处罚": ("行政处罚", "起"), "罚款万元": ("罚款", "万元"),
}
ACCIDENTS = ("事故起数", "死亡人数", "受伤人数")
ACTIONS, UNITS, BEHIND = "分行动进展", "各单位完成情况", "逾期滞后任务"
NOT_REPORTED, MOST_OVERDUE, OVERDUE_NAMED = "未报送台账单位", "逾期任务最多的单位", "逾期任务"
TASK_TABLE, UNIT_TABLE = "逾期和进度滞后任务清单", "各单位任务完成情况统计表"
ACTION_COLUMNS = ["行动", "任务数", "已完成", "推进中", "逾期", "滞后"]
UNIT_COLUMNS = ["单位", "承担分工", "已完成", "完成率", "逾期", "滞后"]
BEHIND_COLUMNS = ["任务编号", "工作任务", "未完成单位", "完成时限", "状态"]


def short_title(plan: Plan) -> str:
    """清溪市安全生产治本攻坚三年行动 from 清溪市安全生产治本攻坚三年行动实施方案."""
    return re.sub(r"(的)?(实施方案|工作方案|行动方案|工作要点|方案)$", "", plan.title.value) or plan.title.value


def level(plan: Plan) -> str:
    m = re.match(r"^.+?(市|县|区|乡|镇|街道|省)", plan.title.value)
    return m.group(1) if m else "市"


def _fig(measure: str, current, previous=None, last=None) -> dict:
    out = {"量词": measure, "本期": current}
    if previous is not None:
        out["上年同期"] = previous
    if last is not None:
        out["上月"] = last
    return out


def _n(value):
    """Numbers as YAML writes them back: ints stay ints."""
    return int(value) if float(value).is_integer() else float(value)


def data(plan: Plan, progress: Progress, f: Figures, previous: Figures | None, names: dict[str, str]) -> dict:
    """The data file's content (module docstring)."""
    states = {s: f.count(s) for s in (DONE_STATE, ONGOING, OVERDUE, LAGGING)}
    figures = {
        "任务总数": _fig("项", len(f.tasks)),
        "已完成任务": _fig("项", states[DONE_STATE], last=previous.done if previous else None),
        "推进中任务": _fig("项", states[ONGOING]),
        "逾期任务": _fig("项", states[OVERDUE]),
        "滞后任务": _fig("项", states[LAGGING]),
        "责任单位": _fig("个", len(f.units)),
        "报送单位": _fig("个", sum(1 for u in f.units if u.reported)),
        "分工总数": _fig("项", len(f.assignments)),
        "已完成分工": _fig("项", sum(u.done for u in f.units)),
        "超期完成分工": _fig("项", sum(1 for a in f.assignments if a.late)),
        "未完成任务": _fig("项", len(f.tasks) - states[DONE_STATE]),
    }
    for name, stat in progress.stats.items():
        measure = STAT_WORDS.get(name, (name, ""))[1]
        figures[name] = _fig(measure, _n(stat.current), _n(stat.previous) if stat.previous is not None else None)
    actions: dict[str, dict[str, int]] = {}
    for t in f.tasks:
        title = t.task.sections[-1].title.value if t.task.sections else "其他任务"
        title = title[2:] if title.startswith("开展") and len(title) > 2 else title
        row = actions.setdefault(title, {"行动": title, "任务数": 0, "已完成": 0, "推进中": 0, "逾期": 0, "滞后": 0})
        row["任务数"] += 1
        row[{DONE_STATE: "已完成", ONGOING: "推进中", OVERDUE: "逾期", LAGGING: "滞后"}[t.state]] += 1
    units = [{"单位": u.full_name, "承担分工": u.total, "已完成": u.done,
              "完成率": wording.rate(u.done, u.total), "逾期": u.overdue, "滞后": u.lagging}
             for u in f.units]
    behind = []
    for t in f.tasks:
        if t.state not in (OVERDUE, LAGGING):
            continue
        state = f"逾期{(f.as_of - t.deadline).days}天" if t.state == OVERDUE else "进度滞后"
        behind.append({"任务编号": t.task.id, "工作任务": t.task.lead.value,
                       "未完成单位": wording.names(names.get(u, u) for u in t.behind),
                       "完成时限": wording.date(t.deadline) if t.deadline else "", "状态": state})
    overdue = [t for t in f.tasks if t.state == OVERDUE]
    named = [f"{t.task.id}“{t.task.lead.value}”（{wording.names(names.get(u, u) for u in t.behind)}，完成时限"
             f"{wording.date(t.deadline)}，已逾期{(f.as_of - t.deadline).days}天）" for t in overdue[:NAMED]]
    most = max((u.overdue for u in f.units), default=0)
    return {
        "文字": {"截止日期": wording.date(f.as_of), "方案标题": plan.title.value},
        "指标": figures,
        # the columns are written out: a table may have no row (every task done) and still be named
        "表格": {ACTIONS: {"列": ACTION_COLUMNS, "行": list(actions.values())},
                 UNITS: {"列": UNIT_COLUMNS, "行": units}, BEHIND: {"列": BEHIND_COLUMNS, "行": behind}},
        "名单": {NOT_REPORTED: [u.full_name for u in f.units if not u.reported],
                 MOST_OVERDUE: [u.full_name for u in f.units if most and u.overdue == most],
                 OVERDUE_NAMED: named},
    }


def data_text(content: dict, schema: str) -> str:
    header = (f"# yaml-language-server: $schema={schema}\n#\n"
              "# docgen report 写出的通报数据：每次运行都会重写，请不要在这里改文字（文字在通报文件中）。\n")
    # libyaml's emitter (the same text as yaml.safe_dump's pure-Python one, 4x faster at 3,000 units)
    return header + yaml.dump(content, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=1000,
                              default_flow_style=None)


def draft(plan: Plan, progress: Progress, f: Figures, previous: Figures | None, *, data_name: str, signature: str,
          number: str, recipients: list[str]) -> dict:
    """The 通报 file's content: the drafter's sentences around the data (module docstring)."""
    where = level(plan)
    opening = []
    accidents = [f"{STAT_WORDS[k][0]}{{{k}}}" + (f"，{{{k}.同比}}" if progress.stats[k].previous is not None else "")
                 for k in ACCIDENTS if k in progress.stats]
    if accidents:
        # the month without an accident is worded as offices word it, not as "发生生产安全事故0起"
        opening.append({"如有": "事故起数", "内容": [{"段落": f"截至{{截止日期}}，全{where}" + "，".join(accidents) + "。"}],
                        "否则": [{"段落": f"截至{{截止日期}}，全{where}未发生生产安全事故。"}]}
                       if "事故起数" in progress.stats else
                       {"段落": f"截至{{截止日期}}，全{where}" + "，".join(accidents) + "。"})
    start = "" if accidents else "截至{截止日期}，"
    text = start + ("《{方案标题}》确定的{任务总数}任务中，已完成{已完成任务}，完成率{已完成任务/任务总数}"
                    + ("，{已完成任务.环比}" if previous is not None else "")
                    + "；推进中{推进中任务}，逾期未完成{逾期任务}，进度滞后{滞后任务}。现将有关情况通报如下。")
    done = start + "《{方案标题}》确定的{任务总数}任务已全部完成，各项任务均已落实。现将有关情况通报如下。"
    opening.append({"如有": "未完成任务", "内容": [{"段落": text}], "否则": [{"段落": done}]})
    work = [k for k in progress.stats if k not in ACCIDENTS]
    first: list[dict] = []
    if work:
        parts = [f"{STAT_WORDS.get(k, (k, ''))[0]}{{{k}}}" + (f"，{{{k}.同比}}" if progress.stats[k].previous is not None else "")
                 for k in work]
        if "排查隐患" in progress.stats and "已整改" in progress.stats:
            parts.append("整改率{已整改/排查隐患}")
        first.append({"标题": "监管执法和隐患排查", "内容": [{"段落": f"全{where}累计" + "，".join(parts) + "。"}]})
    first.append({"标题": "分行动推进情况", "内容": [
        {"段落": "各专项行动任务完成情况见下表和下图。"},
        {"表格": ACTIONS, "标题": "各专项行动任务完成情况", "列": ["行动", "任务数", "已完成", "推进中", "逾期", "滞后"], "合计": True},
        {"图表": ACTIONS, "标题": "各专项行动任务数和已完成任务数", "类型": "柱状图", "列": ["任务数", "已完成"], "纵轴": "项"},
    ]})
    first.append({"标题": "分单位推进情况", "内容": [
        {"段落": "{责任单位}责任单位承担分工{分工总数}，已完成{已完成分工}，完成率{已完成分工/分工总数}；"
                 "{报送单位}单位报送了任务台账。各单位完成情况见{附件:" + UNIT_TABLE + "}。"}]})
    problems: list[dict] = [
        {"如有": BEHIND,
         "内容": [{"段落": "{逾期任务}任务已过完成时限仍未完成，{滞后任务}任务完成时限已过半仍未启动，清单见{附件:" + TASK_TABLE + "}。"},
                {"名单": OVERDUE_NAMED, "前文": "逾期任务主要有："},
                {"名单": MOST_OVERDUE, "前文": "逾期任务最多的单位："}],
         "否则": [{"段落": "各项任务均已完成，没有逾期未完成和进度滞后的任务。"}]},
        {"如有": "超期完成分工", "内容": [{"段落": "另有{超期完成分工}分工虽已完成，但完成日期晚于完成时限。"}]},
        {"名单": NOT_REPORTED, "前文": "未报送任务台账的单位：", "后文": "其任务按未启动统计",
         "无则": "各责任单位均按要求报送了任务台账。"},
    ]
    if progress.next_steps:
        steps: list[dict] = [{"段落": s} for s in progress.next_steps]
    else:
        steps = [
            {"标题": "抓好任务落实", "内容": [{"如有": BEHIND, "内容": [
                {"段落": "对逾期和滞后的任务，责任单位要查明原因、明确整改时限，逐项销号；工作专班对其实行挂账督办。"}],
                "否则": [{"段落": "已完成的任务要开展“回头看”，巩固工作成果，防止问题反弹；工作专班将适时组织抽查。"}]}]},
            {"标题": "确保按期完成", "内容": [{"如有": "未完成任务", "内容": [
                {"段落": "近期到期的任务，相关单位要倒排工期、压茬推进，确保按期完成。"}],
                "否则": [{"段落": "各单位要总结推进中的好经验、好做法，建立长效机制，把阶段性成果转化为制度成果。"}]}]},
            {"标题": "按时报送进展", "内容": [{"段落": "各责任单位要如实填写任务台账，按要求报送进展情况和佐证材料，工作专班将定期通报。"}]},
        ]
    doc: dict = {"文种": "通报", "标题": f"{short_title(plan)}工作进展情况通报", "发文机关": plan.issuer.value}
    if number:
        doc["发文字号"] = number
    doc |= {"主送": recipients, "成文日期": wording.date(f.as_of), "署名": signature, "附注": "此件公开发布",
            "数据": data_name,
            "正文": opening + [{"标题": "工作开展情况", "内容": first}, {"标题": "存在问题", "内容": problems},
                             {"标题": "下一步工作措施", "内容": steps}],
            "附件": [{"标题": TASK_TABLE, "数据表": BEHIND, "列": BEHIND_COLUMNS, "无则省略": True},
                   {"标题": UNIT_TABLE, "数据表": UNITS, "列": UNIT_COLUMNS}]}
    return doc


def draft_text(content: dict, schema: str) -> str:
    header = (f"# yaml-language-server: $schema={schema}\n#\n"
              "# docgen report 写出的通报草稿：文字归起草人修改，数字用“{名称}”引用数据文件。\n"
              "# 再次运行 docgen report 只更新数据文件，不会改动这个文件；改好后用 docgen render 生成公文。\n")
    return header + yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=1000)


def as_of_text(when: dt.date) -> str:
    return wording.date(when)
