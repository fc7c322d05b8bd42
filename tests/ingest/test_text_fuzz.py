"""Text pieces of received documents in any order never make `docgen import` fail: the import
writes a plan that validates, or reports located DG7xx findings."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from docgen.config import Settings
from docgen.jobs.imports import import_documents
from tests.conftest import ROOT

SETTINGS = Settings(root=ROOT, registry=[Path(__file__).resolve().parent / "fixtures" / "registry"])
PIECES = [
    "一、总体要求", "二、重点任务", "（一）加强领导。专班统筹。", "（二）开展排查", "1.排查隐患。逐户检查。", "2.清理通道。", "4、培训",
    "（1）细化措施", "责任单位：区应急管理局", "（责任单位：区应急局；完成时限：2026年6月底前）", "完成时限：每月5日前",
    "牵头单位：区安委办", "配合单位：各街道（镇）", "附件：1.任务分工表", "2.统计表", "附件1", "附件", "任务分工表",
    "序号\t工作任务\t责任单位\t完成时限", "1\t排查隐患\t区应急管理局牵头，区公安分局配合\t2026年底前完成摸底；9月底前",
    "\t\t", "甲\t乙", "\u0001\t\u0002", "澄湖市石桥区人民政府", "2026年3月1日", "抄送：区委办", "石政〔2026〕1号",
    "澄湖市石桥区人民政府办公室 2026年3月2日印发", "各街道办事处：", "澄湖市石桥区人民政府关于印发《石桥区某某方案》的",
    "通知", "石桥区某某方案", "（2026—2027年）", "本方案自印发之日起施行，有效期至2027年12月31日。", "联系人：张三，电话：1",
    "于4月30日前完成。", "每季度首月10日前报送", "3.5个百分点", "（一）", "1.", "一、", "（", "《", "：", "。",
    # the heads, foots and sentences of real documents
    "石安委办〔", "２０２６〕１ 号", "澄湖市石桥区安全生产", "委员会办公室文件", "文件", "签发人：张三", "000123", "机密★1年", "特急",
    "文件澄湖市减灾委员会", "分享：", "微信", "https://example.invalid/a", "我要留言", "姓名：", "发布时间：2026-03-01　录入：区应急管理局",
    "文号：石政〔2026〕2号", "抄送：区委办。区政府办公室 2026年3月2日印发", "区应急管理局牵头，区公安分局配合，开展检查。",
    "由区应急管理局负责。", "各街道（镇）要建立台账。", "2025年底前，检测率达到60%；2026年底前达到80%。",
    "2025年底前，枫林街道完成改造；2026年底前，青溪镇完成改造。", "覆盖率分批达到100%：2025年底前，枫林街道；2026年底前，青溪镇",
    "主汛期前完成。", "100.", "（一百零一）", "每名网格员每年参加培训不少于8学时。",
]


# found by long runs: a table right after a lone line (body_end looked two lines back, before the
# body); a paragraph that is only a dated stage (an empty 段落)
@example(lines=["序号\t工作任务\t责任单位\t完成时限", "附件1"])
@example(lines=["附件1", "序号\t工作任务\t责任单位\t完成时限"])
@example(lines=["某某区安全生产达标工作实施意见", "1.着力推进达标工作。", "2012年底前，所有企业检测率达到100%。"])
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(PIECES), min_size=1, max_size=2).map("".join), min_size=1, max_size=25))
def test_any_arrangement_of_pieces_imports_or_is_reported(tmp_path, lines):
    source = tmp_path / "来文.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    outcome = import_documents([source], SETTINGS, out=tmp_path / "来文.yaml", base=tmp_path)
    assert outcome.written is not None or outcome.unreadable
    for problem in outcome.problems:
        assert problem.code.startswith("DG") and problem.message
