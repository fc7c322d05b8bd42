"""The plan a .docx was written from, carried inside it as a standard OOXML custom XML part.

Every .docx docgen writes holds its plan file's text in ``customXml/item1.xml`` (with the
``itemProps1.xml`` that names our namespace, and a relationship from the main document), as Word
does for document data: Word and WPS keep such a part when they save the file and show nothing of
it. `docgen import` of that file restores the plan exactly (task 编号, 上级任务, 实施期限, everything the
printed text cannot hold), as long as the printed text is still what docgen wrote: the part also
holds a fingerprint of the text of ``word/document.xml`` (`printed_fingerprint`), so an edit made
in Word afterwards is seen, the printed text wins and each difference is reported.

This module is the format on both sides (writing in render, reading in import); it holds no policy.
"""

from __future__ import annotations

import base64
import hashlib
import re
import uuid

from lxml import etree

#: The namespace of the part's root element (never fetched: it only names the format).
NS = "urn:docgen:plan:1"
ITEM = "customXml/item1.xml"
PROPS = "customXml/itemProps1.xml"
ITEM_RELS = "customXml/_rels/item1.xml.rels"
REL_ID = "rIdDocgenPlan"
#: The name of the same item embedded as a file in the PDFs docgen writes.
PDF_NAME = "docgen-plan.xml"
REL_CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
REL_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
PROPS_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
_DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#: A plan part larger than this is not read (a plan of 5,000 tasks is about 2 MB).
MAX_BYTES = 16 * 1024 * 1024
#: Characters XML 1.0 cannot hold: a text with one is stored as base64.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def printed_fingerprint(document_xml: bytes) -> str:
    """The sha256 of the printed text of a main document part: its paragraphs' text (w:t), one a
    line. Word re-splits runs and adds bookkeeping when it saves; the text stays the same."""
    return fingerprint_of(etree.fromstring(document_xml, _parser()))


def fingerprint_of(root) -> str:
    """`printed_fingerprint` of a main document part already parsed (its root element)."""
    lines = []
    for p in root.iter(f"{{{_W}}}p"):
        text = "".join(t.text or "" for t in p.iter(f"{{{_W}}}t"))
        if text.strip():
            lines.append(text)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def item_xml(plan_text: str, fingerprint: str) -> bytes:
    root = etree.Element(f"{{{NS}}}plan", nsmap={None: NS})
    root.set("version", "1")
    root.set("printed", fingerprint)
    if _NOT_XML.search(plan_text):
        root.set("encoding", "base64")
        root.text = base64.b64encode(plan_text.encode("utf-8")).decode("ascii")
    else:
        root.text = plan_text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def parts(plan_text: str, document_xml: bytes, rels: bytes, types: bytes,
          fingerprint: str | None = None) -> dict[str, bytes]:
    """The parts that carry `plan_text` in a package whose main document is `document_xml`, with its
    relationships `rels` and `[Content_Types].xml` `types` edited to name them (same input, same
    bytes: the item's id is derived from the text). `fingerprint`: `printed_fingerprint` of
    `document_xml` when the caller has it (`fingerprint_of` the tree it serialised)."""
    item_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, NS + hashlib.sha256(plan_text.encode()).hexdigest())).upper() + "}"
    props = etree.Element(f"{{{_DS}}}datastoreItem", nsmap={"ds": _DS})
    props.set(f"{{{_DS}}}itemID", item_id)
    refs = etree.SubElement(props, f"{{{_DS}}}schemaRefs")
    etree.SubElement(refs, f"{{{_DS}}}schemaRef").set(f"{{{_DS}}}uri", NS)
    item_rels = etree.Element(f"{{{_RELS_NS}}}Relationships", nsmap={None: _RELS_NS})
    etree.SubElement(item_rels, f"{{{_RELS_NS}}}Relationship", Id="rId1", Type=REL_PROPS,
                     Target=PROPS.removeprefix("customXml/"))
    main_rels = etree.fromstring(rels, _parser())
    if not any(r.get("Id") == REL_ID for r in main_rels):
        etree.SubElement(main_rels, f"{{{_RELS_NS}}}Relationship", Id=REL_ID, Type=REL_CUSTOM_XML,
                         Target="../" + ITEM)
    type_root = etree.fromstring(types, _parser())
    if not any(o.get("PartName") == "/" + PROPS for o in type_root):
        etree.SubElement(type_root, f"{{{_TYPES_NS}}}Override", PartName="/" + PROPS, ContentType=PROPS_TYPE)
    if not any(d.get("Extension", "").lower() == "xml" for d in type_root.iter(f"{{{_TYPES_NS}}}Default")):
        type_root.insert(0, etree.Element(f"{{{_TYPES_NS}}}Default", Extension="xml", ContentType="application/xml"))

    def xml(el) -> bytes:
        return etree.tostring(el, xml_declaration=True, encoding="UTF-8", standalone=True)

    return {
        ITEM: item_xml(plan_text, fingerprint or printed_fingerprint(document_xml)),
        PROPS: xml(props),
        ITEM_RELS: xml(item_rels),
        "word/_rels/document.xml.rels": xml(main_rels),
        "[Content_Types].xml": xml(type_root),
    }


class Embedded:
    """A plan found in a package: its text and the fingerprint of the text it was printed as."""

    def __init__(self, text: str, printed: str):
        self.text = text
        self.printed = printed


def read_item(data: bytes) -> Embedded | None:
    """The plan in a custom XML part's bytes, or None when the part is not ours or is damaged."""
    if len(data) > MAX_BYTES:
        return None
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError:
        return None
    if root.tag != f"{{{NS}}}plan" or root.get("version") != "1":
        return None
    text = root.text or ""
    if root.get("encoding") == "base64":
        try:
            text = base64.b64decode(text, validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return None
    return Embedded(text, root.get("printed") or "")
