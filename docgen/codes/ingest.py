"""Import findings (DG7xx): what `docgen import` could not read or recover from a received document.

They are emitted by `docgen.ingest` (stage "import") and point at the source document: the
paragraph of a Word file (第12段), the page and line of a PDF (第3页第5行) or the line of a text file.
"""

from __future__ import annotations

from docgen.codes.base import Code
from docgen.problems import Severity


class _ImportCode(Code):
    stage = "import"
    severity = Severity.WARNING


class ImportUnreadable(_ImportCode):
    """导入的文件无法读取。

    文件不是所说的格式（扩展名与内容不符、文件损坏），PDF 没有文字层（扫描件，docgen 不做文字识别），
    或 .doc/.wps 文件无法由 LibreOffice 转换。

    修改：向发文单位索取 Word 文件（.docx/.doc/.wps）或带文字层的 PDF；扫描件请先人工录入。
    """

    code = "DG700"
    name = "import-unreadable"
    summary = "导入的文件无法读取"
    severity = Severity.ERROR


class NumberingGap(_ImportCode):
    """原文的序号不连续。

    同一层级的序号跳了号或重复（例如“3.”之后是“5.”），通常是原文漏了条目，或某一条的序号被识别为正文。

    修改：对照原文核对，补上漏掉的条目。
    """

    code = "DG701"
    name = "numbering-gap"
    summary = "原文序号不连续"


class UnitNotRegistered(_ImportCode):
    """原文中的单位与单位库中的任何名称都对不上。

    单位名称按原文保留在导入的方案中（docgen check 会报告 DG202）。常见原因：原文用了简称、
    单位已改名，或单位库中还没有登记。

    修改：改用单位库中的名称，或在单位库中登记这个名称（可作为已有单位的“别名”）。
    """

    code = "DG702"
    name = "unit-not-registered"
    summary = "单位不在单位库中"


class UnitRenamed(_ImportCode):
    """原文中的单位名称已换成单位库中的名称。

    原文写的是简称、加了或换了层级用语（“应急管理局”“区应急管理局”），或与登记的名称只差几个字，
    导入时按单位库改成了登记的名称。这是提示，请核对改得对不对。
    """

    code = "DG703"
    name = "unit-renamed"
    summary = "单位名称已按单位库改写"
    severity = Severity.INFO


class TableRowUnmatched(_ImportCode):
    """任务分工表中的一行与正文中的任务都对不上。

    分工表按“工作任务”列（引导句，或它的缩写、扩写）和“序号”与正文的条目对应；对不上的行是只有
    分工表才有的任务，已作为任务补入方案，接在分工表上一行对应的任务之后，责任单位和完成时限取自该行。

    修改：核对原文分工表与正文是否一致；补入的任务如在正文中另有写法，改为正文的写法或移到合适的章节。
    """

    code = "DG704"
    name = "table-row-unmatched"
    summary = "分工表的行在正文中没有对应条目"


class SkippedText(_ImportCode):
    """原文中有一段文字没有导入。

    版头之前的网页文字、附件中表格以外的文字等不属于方案数据的内容被跳过（正文中的表格导入为
    “标题”“列”“行”块）。

    修改：核对跳过的文字是否重要；需要时手工写入方案。
    """

    code = "DG705"
    name = "skipped-text"
    summary = "有文字没有导入"
    severity = Severity.INFO


class StructureNotFound(_ImportCode):
    """文件的某个要素没有找到。

    没有找到标题或发文机关，或者责任单位、完成时限出现在任何条目之前，无法确定归属。

    修改：在导入的方案中补上或改正这些要素。
    """

    code = "DG706"
    name = "structure-not-found"
    summary = "没有找到文件要素"


class PlanRestored(_ImportCode):
    """导入的 Word 文件是 docgen 排出的，方案已按其中保存的方案原样还原。

    docgen 排出的每个 .docx 都在文件内（标准的自定义 XML 部件，Word 和 WPS 保存时保留、不显示）带着
    排版所用的方案；打印的文字没有改动时，导入写出的就是原来的方案文件，任务编号、上级任务、
    实施期限等不印在公文上的内容也都还原。这是提示。
    """

    code = "DG707"
    name = "plan-restored"
    summary = "已按文件中保存的方案还原"
    severity = Severity.INFO


class PrintedTextEdited(_ImportCode):
    """docgen 排出的 Word 文件在排版后被改过：打印的文字与文件中保存的方案不同。

    导入以打印的文字为准（按文字还原方案），任务编号、上级任务和实施期限取自保存的方案；
    每一处与保存的方案不同的地方报告一次（与 `docgen diff` 的说法相同）。

    修改：逐条核对改动是否是有意的；需要时在方案中改回。
    """

    code = "DG708"
    name = "printed-text-edited"
    summary = "文件排版后被改过"


RULES: tuple[type[Code], ...] = (ImportUnreadable, NumberingGap, UnitNotRegistered, UnitRenamed, TableRowUnmatched,
                                 SkippedText, StructureNotFound, PlanRestored, PrintedTextEdited)

#: Recovery findings by the short names `docgen.ingest.recover` uses.
BY_FINDING: dict[str, type[Code]] = {
    "numbering-gap": NumberingGap,
    "table-row-unmatched": TableRowUnmatched,
    "skipped-text": SkippedText,
    "missing-title": StructureNotFound,
    "stray-line": StructureNotFound,
    "issuer": StructureNotFound,
}
