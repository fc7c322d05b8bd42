"""Data-file codes of the 通报 (DG80x): what is wrong in the data a 通报 or 挂牌督办通知 reads.

Emitted while the data file is read (stage "load"), located by ``file:line:col`` in a YAML data
file and by ``file:sheet!cell`` in a workbook. The lint rules over the document itself (DG81x) are
in `docgen.rules.bulletin`.
"""

from __future__ import annotations

from docgen.codes.base import Code


class _DataCode(Code):
    stage = "load"


class DataUnreadable(_DataCode):
    """通报的数据文件无法读取。

    “数据”写的文件不存在，不是 YAML 文件或 .xlsx 工作簿，或者结构不对（YAML 顶层应有
    “指标”“表格”“名单”；工作簿的“指标”工作表第一行应为“名称、量词、本期、上年同期……”）。

    修改：检查“数据”写的路径（相对于通报文件）和文件内容。
    """

    code = "DG800"
    name = "data-unreadable"
    summary = "数据文件无法读取"


class DataNotNumber(_DataCode):
    """数据中的数字不是数字。

    指标的本期、上年同期等和表格的数字列都必须是数字；“4起”“约1200”“—”等文字无法计算。

    修改：只写数字（量词写在“量词”里），不知道的值整项删除。
    """

    code = "DG801"
    name = "data-not-number"
    summary = "数据中的数字不是数字"


class DataMalformed(_DataCode):
    """数据文件中的一项写法不对。

    例如指标没有“本期”，表格没有“行”，表格的行不是“列名: 值”映射，名单不是列表。

    修改：按示例 plans/bulletins/ 中的数据文件改写。
    """

    code = "DG802"
    name = "data-malformed"
    summary = "数据文件中的一项写法不对"


RULES = (DataUnreadable, DataNotNumber, DataMalformed)
