"""One PDF of every kind of document docgen prints, made the way its command makes it.

The example plans of plans/ (实施方案 with its 印发通知, a cascaded 实施方案, 工作要点), a short 通知
signed on its first page whose lines end with every closing mark, a member unit's task notice
(`docgen notify`), the 进展通报 (`docgen report`) and a 督办通知 (`docgen remind`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from docgen.config import load_settings
from docgen.jobs.notify import notify
from docgen.jobs.progress import report
from docgen.jobs.remind import remind
from docgen.jobs.render import render
from docgen.render import pdf as pdf_stage
from docgen.render.measure import Page, pages

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ("city/three-year-plan", "city/work-points-2025", "donghu/three-year-plan")
CITY = ROOT / "plans/city/three-year-plan.yaml"
CLOSING_MARKS = "，。、；：？！”’）》"
OPENING_MARKS = "“‘（《"
#: Names that the Fandol faces lack (GB 2312 has none of them).
RARE = "堃喆昇珺镕垚"
#: The first line of a body paragraph holds 26 characters (it is indented two).
FIRST_LINE = 26


@dataclass
class Printed:
    kind: str
    docx: Path
    pdf: Path
    pages: list[Page]


def _marks_paragraphs() -> list[str]:
    """Paragraphs that end their first line with each closing mark (its 26th character), put it
    where the second line overflows (its 29th), and put each opening mark where a line ends (which
    it may not: it begins the next), with filler text in between."""
    filler = "安全生产责任制落实到岗位人员各项工作措施逐项推进见到实效并持续巩固提升"
    out = []
    for mark in CLOSING_MARKS:
        opening = {"”": "“", "’": "‘", "）": "（", "》": "《"}.get(mark, "")
        first = opening + filler[: FIRST_LINE - 1 - len(opening)]
        second = opening + filler[: 28 - len(opening)]
        out.append(f"{first}{mark}{second}{mark}{filler[:10]}。")
    for mark in OPENING_MARKS:
        closing = {"“": "”", "‘": "’", "（": "）", "《": "》"}[mark]
        out.append(f"{filler[:FIRST_LINE - 1]}{mark}{filler[:6]}{closing}{filler[:16]}。")
    return out


def _notice_plan() -> str:
    body = "\n".join(f"  - 段落: {text}" for text in _marks_paragraphs())
    return (
        "文种: 通知\n"
        "标题: 清溪市安全生产委员会关于开展2025年度安全生产大检查工作的通知\n"
        "发文机关: 清溪市安全生产委员会\n"
        "发文字号: 清安委〔2025〕9号\n"
        "成文日期: 2025年3月3日\n"
        "主送: [各乡镇人民政府、街道办事处, 市安委会各成员单位]\n"
        "抄送: [市委办公室, 市人大常委会办公室]\n"
        "印发机关: 清溪市安全生产委员会办公室\n"
        "印发日期: 2025年3月4日\n"
        "正文:\n"
        f"  - 段落: 请联系人{RARE[0]}、{RARE[1:]}等同志于3月底前报送检查情况。\n"
        "  - 标题: 检查范围\n"
        f"    导语: 检查覆盖{RARE}等同志负责的全部企业。\n"
        "    内容:\n"
        "      - 标题: 重点行业\n"
        f"        导语: 由{RARE}等同志牵头，覆盖率达到100%，整改率不低于95.5%。\n"
        f"{body}\n"
    )


#: The gallery is LibreOffice's print of every kind (the Typst engine, the default, is compared with it).
LIBREOFFICE = "libreoffice"


def build(out: Path) -> dict[str, Printed]:
    """Every kind, rendered into `out` (PDFs through LibreOffice, as each command does)."""
    settings = load_settings(ROOT)
    printed: dict[str, Printed] = {}
    render([ROOT / "plans"], settings, out / "plans", pdf=True, base=ROOT, keep_folders=True, pdf_engine=LIBREOFFICE)
    for pdf in sorted((out / "plans").rglob("*.pdf")):  # every example document, 通报 and joint notice too
        name = pdf.relative_to(out / "plans").with_suffix("").as_posix()
        printed[name] = Printed(name, pdf.with_suffix(".docx"), pdf, [])
    assert set(EXAMPLES) <= set(printed)

    notice = out / "notice" / "notice.yaml"
    notice.parent.mkdir(parents=True)
    notice.write_text(_notice_plan(), encoding="utf-8")
    render([notice], settings, out / "notice", pdf=True, base=ROOT, pdf_engine=LIBREOFFICE)
    printed["通知"] = Printed("通知", out / "notice" / "notice.docx", out / "notice" / "notice.pdf", [])

    outcome = notify(CITY, settings, out / "notify", units=["市应急管理局"], pdf=True, base=ROOT,
                     date=dt.date(2024, 3, 20), number="清安办〔2024〕5号", pdf_engine=LIBREOFFICE)
    unit = outcome.units[0]
    printed["任务通知"] = Printed("任务通知", unit.docx, unit.pdf, [])

    progress = out / "progress.yaml"
    progress.write_text(
        "方案: plans/city/three-year-plan.yaml\n方案标题: 清溪市安全生产治本攻坚三年行动实施方案\n截至: 2025年6月30日\n"
        "进展:\n  T20:\n    市应急管理局:\n      完成状态: 推进中\n"
        "统计:\n  事故起数: {本期: 4, 上年同期: 4}\n  死亡人数: {本期: 3, 上年同期: 4}\n"
        "  受伤人数: {本期: 5, 上年同期: 4}\n  排查隐患: {本期: 1000}\n  已整改: {本期: 763}\n"
        "  罚款万元: {本期: 12.5, 上年同期: 10}\n", encoding="utf-8")
    reported = report(CITY, settings, progress, out / "report", as_of=dt.date(2025, 7, 1), base=ROOT,
                      number="清安办〔2025〕12号")
    reminded = remind(CITY, settings, progress, out / "remind", as_of=dt.date(2025, 7, 1), base=ROOT,
                      number="清安办〔2025〕13号")
    converted = [reported.written, next(iter(reminded.written.values()))]
    pdfs = pdf_stage.convert(converted, out / "converted")
    printed["进展通报"] = Printed("进展通报", converted[0], pdfs[0], [])
    printed["督办通知"] = Printed("督办通知", converted[1], pdfs[1], [])
    for item in printed.values():
        item.pages = pages(item.pdf)
    return printed
