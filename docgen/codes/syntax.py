"""Rules of the load and schema stages (DG0xx): the file must be readable YAML of the right shape."""

from __future__ import annotations

from docgen.codes.base import Code
from docgen.problems import Severity


class YamlSyntax(Code):
    """YAML 语法错误。

    文件不是合法的 YAML：括号或引号没有配对、缩进不一致、冒号后缺少空格等。
    位置指向解析器发现问题的地方，错误常常就在它前面一两行。

    修改：按提示检查缩进（只用空格，不用 Tab）和成对的括号、引号。
    """

    code = "DG001"
    name = "yaml-syntax"
    summary = "YAML 语法错误"
    stage = "load"


class FileEncoding(Code):
    """文件编码不是无 BOM 的 UTF-8。

    docgen 只读 UTF-8 编码的文件。用记事本或 WPS 另存时常会存成 GBK（ANSI）或带 BOM 的 UTF-8，
    这样的文件在不同电脑上会显示成乱码。

    修改：用编辑器"另存为"，编码选"UTF-8"（不带 BOM）。
    """

    code = "DG002"
    name = "file-encoding"
    summary = "文件编码不是无 BOM 的 UTF-8"
    stage = "load"


class EmptyFile(Code):
    """文件是空的。

    文件没有内容（或只有注释），无法作为方案或单位库。

    修改：补上内容，或删除这个文件。
    """

    code = "DG003"
    name = "empty-file"
    summary = "文件是空的"
    stage = "load"


class DuplicateKey(Code):
    """同一层里出现了两个相同的键。

    例如一个任务里写了两次"完成时限"，后一个会悄悄覆盖前一个，docgen 因此把它当作错误。

    修改：删除或合并重复的键。
    """

    code = "DG004"
    name = "duplicate-key"
    summary = "重复的键"
    stage = "load"


class FileTooLarge(Code):
    """文件过大。

    方案和单位库都是文字文件，正常不超过几百 KB。过大的文件多半是放错了文件（例如把附件表格
    的数据整体粘贴进来），docgen 不读它，以免卡住。

    修改：检查是否选错了文件；大表格请拆分成多个文件。
    """

    code = "DG005"
    name = "file-too-large"
    summary = "文件过大"
    stage = "load"


class AliasNotAllowed(Code):
    """使用了 YAML 锚点或别名（& 和 *）。

    锚点和别名让一处内容在多处出现，读方案的人看不出来，恶意构造时还会让文件膨胀到无法处理。
    方案文件里每项内容都应直接写出。

    修改：把 `*名字` 替换成它指向的内容。
    """

    code = "DG006"
    name = "no-alias"
    summary = "不支持 YAML 锚点和别名"
    stage = "load"


class UnknownDocument(Code):
    """无法识别的文件。

    方案文件顶层必须有"文种"，单位库文件顶层必须有"组织"。

    修改：补上"文种"（方案）或"组织"（单位库），或把不相关的文件移出检查目录。
    """

    code = "DG007"
    name = "unknown-document"
    summary = "既不是方案也不是单位库"
    stage = "load"


class UnreadableFile(Code):
    """文件无法读取。

    路径不存在、没有读取权限，或者是一个目录以外的特殊文件。
    """

    code = "DG008"
    name = "unreadable-file"
    summary = "文件无法读取"
    stage = "load"


class BadSuppression(Code):
    """忽略注释写得不对，或者没有用上。

    `# docgen: disable=代码或名称` 写在某一行末尾，只忽略这一行上的问题；单独占一行时，忽略
    下一行上的问题。其中的代码必须是 `docgen rules` 列出的规则；没有任何问题可忽略的注释
    会被报告，以免过时的注释掩盖新问题。

    修改：改正规则代码，或删除不再需要的注释。
    """

    code = "DG009"
    name = "bad-suppression"
    summary = "忽略注释无效或未使用"
    severity = Severity.WARNING
    stage = "load"


class UnknownKey(Code):
    """出现了不认识的键。

    多半是错别字或写错了层级，例如把"完成时限"写成"完成期限"。消息会给出最接近的正确写法。

    修改：按提示改正键名；所有可用的键见 schemas/ 里的说明，编辑器装了 YAML 插件时会自动补全。
    """

    code = "DG010"
    name = "unknown-key"
    summary = "不认识的键"
    stage = "schema"


class WrongType(Code):
    """值的类型不对。

    例如"主送"应该是列表（每行一个"- 单位"），却写成了一段文字；"标题"应该是文字，却写成了列表。

    修改：按消息中说明的类型改写。
    """

    code = "DG011"
    name = "wrong-type"
    summary = "值的类型不对"
    stage = "schema"


class MissingKey(Code):
    """缺少必需的键。

    例如方案没有"标题"，任务没有"编号"。位置指向缺少它的那一项。

    修改：补上消息中列出的键。
    """

    code = "DG012"
    name = "missing-key"
    summary = "缺少必需的键"
    stage = "schema"


class InvalidValue(Code):
    """值不在允许的范围内。

    例如"文种"写了不支持的文种，编号里有空格，列表是空的。

    修改：按消息中列出的可选值或格式改写。
    """

    code = "DG013"
    name = "invalid-value"
    summary = "值不符合要求"
    stage = "schema"


class InvalidConfig(Code):
    """配置（pyproject.toml 的 [tool.docgen]）有误。

    配置文件不是合法的 TOML，[tool.docgen] 中有不认识的设置，设置的类型不对（例如该写列表的写成了
    文字，该写表的写成了列表），registry 指向的单位库不存在，select 为空或写了不存在的规则。
    位置指向出错的那一行。

    修改：按消息改正这一行。可用的设置见 README 的“配置”一节。
    """

    code = "DG020"
    name = "invalid-config"
    summary = "配置有误"
    stage = "load"


RULES: tuple[type[Code], ...] = (
    YamlSyntax,
    FileEncoding,
    EmptyFile,
    DuplicateKey,
    FileTooLarge,
    AliasNotAllowed,
    UnknownDocument,
    UnreadableFile,
    BadSuppression,
    UnknownKey,
    WrongType,
    MissingKey,
    InvalidValue,
    InvalidConfig,
)
