"""What a tool's details may be: its kinds, clinical systems and the checks on what was typed."""

from dataclasses import dataclass

from registry.privacy.scan import scan_text
from registry.tools.filetypes import MAX_UPLOAD_BYTES
from registry.writeup_rules import CONTROL_CHARACTERS

KINDS = {
    "audit-search": "Audit search",
    "spreadsheet": "Data-collection spreadsheet",
    "letter": "Template letter",
    "patient-information": "Patient information",
    "protocol": "Protocol or pathway",
    "slides": "Slides",
    "other": "Other",
}
# "" is "not relevant": a patient leaflet is for no clinical system.
SYSTEMS = {"": "Not relevant", "emis": "EMIS", "vision": "Vision", "any": "Any system"}
TITLE_LENGTH = (3, 200)
MAX_DESCRIPTION = 2_000


@dataclass(frozen=True)
class ToolDetails:
    """What a person types about a tool; the file travels separately."""

    title: str
    kind: str
    description: str = ""
    clinical_system: str = ""

    def cleaned(self) -> "ToolDetails":
        return ToolDetails(
            title=" ".join(self.title.split()),
            kind=self.kind.strip(),
            description=self.description.strip().replace("\r\n", "\n"),
            clinical_system=self.clinical_system.strip(),
        )


def check_details(details: ToolDetails) -> dict[str, list[str]]:
    """Field name -> messages for everything wrong with the details (already cleaned)."""
    errors: dict[str, list[str]] = {}
    low, high = TITLE_LENGTH
    if not low <= len(details.title) <= high:
        errors["title"] = [f"Enter a title of {low} to {high} characters."]
    elif CONTROL_CHARACTERS.search(details.title):
        errors["title"] = ["Remove the control characters (invisible characters such as NUL)."]
    if details.kind not in KINDS:
        errors["kind"] = ["Choose what kind of tool this is."]
    if details.clinical_system not in SYSTEMS:
        errors["clinical_system"] = ["Choose EMIS, Vision, any system, or not relevant."]
    if len(details.description) > MAX_DESCRIPTION:
        errors["description"] = [f"Keep the description to {MAX_DESCRIPTION:,} characters."]
    elif CONTROL_CHARACTERS.search(details.description):
        errors["description"] = [
            "Remove the control characters (invisible characters such as NUL)."
        ]
    # Details are published beside the file, so they are guarded like the file itself.
    for name, label, text in (("title", "The title", details.title),
                              ("description", "The description", details.description)):
        if name not in errors and (message := scan_text(label, text)):
            errors[name] = [message]
    return errors


def size_limit() -> str:
    """The upload limit as people read it: "20 MB"."""
    return f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB"
