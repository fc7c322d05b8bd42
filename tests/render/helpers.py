"""Small plans of 松原市 (the test registry) and ways to render them and read the result back."""

from __future__ import annotations

import textwrap
import zipfile
from pathlib import Path

import docx
from conftest import REGISTRY

from docgen.checked import prepare
from docgen.compose import compose
from docgen.compose.tree import Document
from docgen.config import Settings

PLAN = """\
文种: 实施方案
标题: 松原市安全生产治本攻坚三年行动实施方案
发文机关: 松原市安全生产委员会
发文字号: 松安委〔2024〕3号
实施期限: {起: 2024年1月1日, 止: 2026年12月31日}
主送: [各乡镇（街道）, 市应急管理局]
成文日期: 2024年3月15日
抄送: [市消防救援支队, 市教育局]
印发机关: 松原市安全生产委员会
印发日期: 2024年3月18日
附注: 此件公开发布
印发通知:
  正文: 现将《松原市安全生产治本攻坚三年行动实施方案》印发给你们，请认真贯彻落实。
正文:
  - 段落: 为从根本上消除事故隐患，制定本方案。
  - 标题: 总体要求
    内容:
      - 标题: 指导思想
        导语: 坚持人民至上、生命至上。
      - 标题: 主要目标
        内容:
          - 段落: 重大事故隐患动态清零。
            阶段:
              - {时限: 2024年底前, 内容: 完成存量整改}
              - {时限: 2025年底前, 内容: 遏制增量}
            指标:
              - {名称: 重大事故隐患整改率, 要求: 达到, 目标值: 100, 单位: "%"}
  - 标题: 主要任务
    内容:
      - 标题: 开展安全管理能力提升行动
        内容:
          - 任务: 强化领导干部履职能力
            编号: T1
            内容: 每季度组织专题培训。
            责任单位: {牵头: 市应急管理局, 配合: [市教育局, 各乡镇（街道）]}
            完成时限: 每季度
            指标:
              - {名称: 专题培训, 要求: 不少于, 目标值: 12, 单位: 场, 分年度: {2024: 4, 2025: 4, 2026: 4}}
          - 任务: 提升企业负责人安全管理能力
            编号: T2
            分项:
              - 组织集中培训。
              - 开展考核
            责任单位: 市应急管理局
            完成时限:
              - {时限: 2024年底前, 内容: 培训危险化学品企业负责人}
              - {时限: 2025年6月底前, 内容: 培训建筑施工企业负责人}
      - 标题: 开展隐患动态清零行动
        责任单位: {牵头: 负有安全生产监督管理职责的部门, 配合: 各乡镇（街道）}
        完成时限: 2025年底前
        内容:
          - 任务: 建立隐患数据库
            编号: T3
            内容: 实行清单管理。
          - 任务: 推动企业自查自改
            编号: T4
            内容: 企业每月自查。
          - 任务: 实施安全工程
            编号: T5
            内容: 逐项明确建设内容。
            附件: 重点项目清单
            责任单位: 市住房和城乡建设局
            完成时限: 2026年9月底前
  - 段落: 本方案自印发之日起施行。
附件:
  - 标题: 重点项目清单
    横向: true
    列: [序号, 项目名称, 责任单位]
    行:
      - [1, 消防车通道打通工程, 市消防救援支队]
      - [2, 应急避难场所提升工程, 市应急管理局]
  - 标题: 任务分工表
    类型: 任务分工表
"""


def settings(tmp_path: Path, **kwargs) -> Settings:
    return Settings(root=tmp_path, registry=[REGISTRY], **kwargs)


def write_plan(tmp_path: Path, text: str = PLAN, name: str = "plan.yaml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text) if text.startswith(" ") else text, encoding="utf-8")
    return path


def composed(tmp_path: Path, text: str = PLAN, **options) -> Document:
    """The composed document of plan `text` (which must pass the check run with `options`)."""
    path = write_plan(tmp_path, text)
    ctx, result = prepare([path], settings(tmp_path, **options), base=tmp_path)
    assert not [p for p in result.problems if p.severity.value == "error"], result.problems
    return compose(ctx.plans[0], ctx.registry)


def docx_lines(path: Path) -> list[str]:
    """Every paragraph of the body, tables included (cell by cell), in order; then the footers."""
    document = docx.Document(str(path))
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in child.iter("{*}t")))
        elif tag == "tbl":
            for tc in child.iter("{*}tc"):
                lines.append("".join(t.text or "" for t in tc.iter("{*}t")))
    return lines


def xml_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name).decode("utf-8") for name in zf.namelist() if name.endswith(".xml")}
