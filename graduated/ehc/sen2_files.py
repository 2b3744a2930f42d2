"""A built SEN2 return as the DfE takes it: one XML file (modules nested as the return has them) or
CSV, one file per module (each row with its own id and its parent's), in a ZIP."""

import csv
import io
import zipfile
from datetime import datetime
from xml.etree import ElementTree as ET

from graduated.ehc.sen2_return import MODULES, PARENT, Row, Sen2Return

SOFTWARE_CODE = "Graduated"
RELEASE = "1"
#: Each module's element name in the XML, and the element that holds a list of them.
ELEMENT = {
    "person": "Person", "request": "Request", "assessment": "Assessment", "named_plan": "NamedPlan",
    "plan_detail": "PlanDetail", "active_plan": "ActivePlans", "placement_detail": "PlacementDetail",
    "sen_need": "SENneed",
}  # fmt: skip
#: The CSV file of each module.
CSV_NAME = {
    "person": "person", "request": "requests", "assessment": "assessment", "named_plan": "namedplan",
    "plan_detail": "plandetail", "active_plan": "activeplans", "placement_detail": "placementdetail",
    "sen_need": "senneed",
}  # fmt: skip
CHILDREN = {module: [child for child, parent in PARENT.items() if parent == module] for module in MODULES}


def _header(built: Sen2Return, created: datetime) -> dict[str, str]:
    collection = built.collection
    return {
        "Collection": "SEN2", "Year": str(collection.year), "ReferenceDate": collection.reference_date.isoformat(),
        "SourceLevel": "L", "LEA": built.la.code, "SoftwareCode": SOFTWARE_CODE, "Release": RELEASE, "SerialNo": "1",
        "DateTime": created.strftime("%Y-%m-%dT%H:%M:%S"),
    }  # fmt: skip


def _append(parent: ET.Element, built: Sen2Return, module: str, row: Row) -> None:
    element = ET.SubElement(parent, ELEMENT[module])
    for item in MODULES[module]:
        if row[item] != "":  # an item with no value is left out, not sent empty
            ET.SubElement(element, item).text = row[item]
    for child in CHILDREN[module]:  # a request holds its assessment and its active plan, and so on down
        for child_row in built.children(child, row["id"]):
            _append(element, built, child, child_row)


def as_xml(built: Sen2Return, created: datetime) -> bytes:
    header = _header(built, created)
    message = ET.Element("Message")
    head = ET.SubElement(message, "Header")
    details = ET.SubElement(head, "CollectionDetails")
    for item in ("Collection", "Year", "ReferenceDate"):
        ET.SubElement(details, item).text = header[item]
    source = ET.SubElement(head, "Source")
    for item in ("SourceLevel", "LEA", "SoftwareCode", "Release", "SerialNo", "DateTime"):
        ET.SubElement(source, item).text = header[item]
    people = ET.SubElement(message, "Persons")
    for person in built.rows("person"):
        _append(people, built, "person", person)
    ET.indent(message)
    return ET.tostring(message, encoding="utf-8", xml_declaration=True)


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


def as_csv_zip(built: Sen2Return, created: datetime) -> bytes:
    """A ZIP of one CSV per module: ``sen2.csv`` (the header) and one for each of the eight modules."""
    buffer = io.BytesIO()

    def entry(name: str) -> zipfile.ZipInfo:
        # Dated ``created``, not the moment of writing (what ``writestr`` with a name does, with these
        # same attributes): the same return drawn at the same time is the same file, byte for byte.
        info = zipfile.ZipInfo(name, date_time=created.timetuple()[:6])
        info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o600 << 16
        return info

    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        header = _header(built, created)
        archive.writestr(entry("sen2.csv"), _csv(list(header), [list(header.values())]))
        for module, items in MODULES.items():
            parent = PARENT[module]
            columns = [f"{CSV_NAME[module]}_id", *([f"{CSV_NAME[parent]}_id"] if parent else []), *items]
            rows = [
                [row["id"], *([row["parent"]] if parent else []), *(row[item] for item in items)]
                for row in built.rows(module)
            ]
            archive.writestr(entry(f"{CSV_NAME[module]}.csv"), _csv(columns, rows))
    return buffer.getvalue()
