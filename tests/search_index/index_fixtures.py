"""Plain documents for the search engine's tests (a module, not conftest, so that the
processes the concurrency test spawns can import it too)."""

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from search_index import ProjectDocument

SYNONYMS_FILE = Path(__file__).parents[2] / "content" / "search" / "synonyms.yaml"
BASE_TIME = datetime(2024, 1, 1, tzinfo=timezone.utc)


def make_doc(id: int, title: str, body: str = "", **fields) -> ProjectDocument:
    """A published, public write-up of cluster 1 (Wigtownshire, NHS Dumfries & Galloway)."""
    values = dict(
        id=id, slug=f"project-{id}", title=title, summary="", aim="", body=body, tags=(),
        authors=(), cluster="wigtownshire", cluster_name="Wigtownshire",
        hscp="dumfries-and-galloway", hscp_name="Dumfries and Galloway",
        board="nhs-dumfries-and-galloway", board_name="NHS Dumfries & Galloway",
        status="active", role="intrinsic", year=2022, visibility="public", published=True,
        cluster_id=1, updated=BASE_TIME + timedelta(days=id), fingerprint=f"v1-{id}",
    )
    values.update(fields)
    return ProjectDocument(**values)


def lothian(doc: ProjectDocument, cluster_id: int = 2) -> ProjectDocument:
    """The same write-up moved to an Edinburgh cluster in NHS Lothian."""
    return replace(doc, cluster="edinburgh-north", cluster_name="Edinburgh North",
                   hscp="edinburgh", hscp_name="Edinburgh", board="nhs-lothian",
                   board_name="NHS Lothian", cluster_id=cluster_id)


CORPUS = [
    make_doc(1, "Safer valproate prescribing for women of childbearing age",
             "We audited sodium valproate prescribing for women of childbearing age and "
             "checked every woman had a pregnancy prevention programme in place.",
             summary="An audit of valproate in women who could become pregnant.",
             tags=("Valproate", "Safer prescribing"), status="completed", year=2021,
             authors=("Dr Morag Reid",)),
    make_doc(2, "Anticoagulation monitoring and DOAC switching",
             "Patients with AF on warfarin were switched to a DOAC with a checklist.",
             summary="Switching suitable patients from warfarin to DOACs.",
             tags=("anticoagulation", "DOAC"), role="both", tool_kinds=("Audit search",)),
    make_doc(3, "Apixaban dose checks against renal function",
             "Apixaban doses were checked against eGFR below 30 ml/min and weight. "
             "HbA1c above 48 mmol/mol was recorded too.",
             tags=("anticoagulation",), status="completed", year=2023),
    lothian(make_doc(4, "Renal audit improving management of reduced eGFR",
                     "Chronic kidney disease coding and urine ACR recall across the practices.",
                     tags=("CKD", "audit"), year=2023, tool_kinds=("Spreadsheet",))),
    lothian(make_doc(5, "Improving KIS for frail elderly patients",
                     "Key information summaries were updated for patients with an eFI above "
                     "0.36, with anticipatory care plans discussed.",
                     tags=("KIS", "frailty"), status="paused")),
    make_doc(6, "Menopause group consultations",
             "Group consultations on menopause and HRT with the practice nurse.",
             tags=("menopause",), visibility="network"),
    make_doc(7, "Draft: valproate pregnancy prevention with community pharmacy",
             "A draft about valproate.", published=False, tags=("Valproate",)),
    make_doc(8, "Cluster-only opioid tapering clinic",
             "Tramadol and codeine tapering for chronic pain.", visibility="cluster",
             tags=("opioids",)),
    make_doc(9, "Annual audit calendar",
             "An annual calendar of audits shared by the practices; the audit of the audit.",
             tags=("audit",), role="extrinsic", status="idea", year=None),
]


def ids(results) -> list[int]:
    return [hit.id for hit in (results.hits if hasattr(results, "hits") else results)]
