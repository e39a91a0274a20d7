"""Shared by the browser tests: where things are, the seeded data, signing in, axe-core."""

import os
from pathlib import Path

from playwright.sync_api import expect
from sqlalchemy import func, select

from registry.accounts import services as accounts
from registry.extensions import db
from registry.organisations import services as organisations
from registry.organisations.models import Cluster
from registry.projects import services as projects
from registry.projects.models import Project
from registry.writeup_format import Measure, Section, WriteUp
from tests.conftest import PASSWORD

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
# Debian's chromium; another system's may be named with REGISTRY_TEST_CHROMIUM.
CHROMIUM = Path(os.environ.get("REGISTRY_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_SCRIPT = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")
DEMO_CONTENT = PROJECT_ROOT / "content" / "demo"

LEAD_EMAIL = "lead@browser.test"
MEMBER_EMAIL = "member@browser.test"
# The write-ups every live server holds (slugs follow from the titles).
ORIGINAL = "safer-valproate-prescribing"
ADAPTATION = "valproate-recall-with-community-pharmacy"
NETWORK_ONLY = "frailty-huddles-with-district-nursing"
SEEDED_PROJECTS = 3


def sign_in(page, email: str = LEAD_EMAIL, password: str = PASSWORD) -> None:
    """Through the real sign-in form, as a person would."""
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("status")).to_contain_text("Signed in as")


def project_count(live_server) -> int:
    """How many write-ups the live server's database holds, drafts included."""
    with live_server.app.app_context():
        try:
            return db.session.scalar(select(func.count()).select_from(Project))
        finally:
            db.session.remove()


def seed() -> None:
    """Users and write-ups through the real services (inside an app context)."""
    paisley = _cluster("Paisley North", "Renfrewshire")
    renfrew = _cluster("Renfrew Town", "Renfrewshire")
    leith = _cluster("Leith & Portobello", "Edinburgh")
    lead = accounts.create_user(
        LEAD_EMAIL, "Dr Lead Browser", "lead", PASSWORD, [paisley.slug, renfrew.slug]
    )
    member = accounts.create_user(MEMBER_EMAIL, "Leith Member", "member", PASSWORD, [leith.slug])
    original = projects.save_writeup(
        lead,
        WriteUp(
            title="Safer valproate prescribing",
            cluster=paisley.slug,
            status="completed",
            role="intrinsic",
            visibility="public",
            tags=["Valproate", "Safer prescribing", "Pharmacy"],
            authors=["Dr Morag Fraser (CQL)", "Priya Nair (practice pharmacist)"],
            summary="A shared search and pharmacist reviews brought women on valproate into "
            "the Pregnancy Prevention Programme.",
            measures=[
                Measure(
                    name="Women 12–55 on valproate with a signed risk form",
                    type="outcome",
                    definition="Annual Risk Acknowledgement Form coded in the last 12 months",
                    unit="percent",
                    goal=100,
                    data=[
                        {"date": "2024-01-08", "numerator": 9, "denominator": 22},
                        {"date": "2024-02-05", "numerator": 14, "denominator": 22},
                        {"date": "2024-03-04", "numerator": 20, "denominator": 21},
                    ],
                ),
                Measure(name="Pharmacist reviews done", type="process", unit="reviews",
                        data=[{"date": "2024-03-04", "value": 18}]),
            ],
            sections=[
                Section("Background", "Valproate harms unborn babies.", "background"),
                Section("Aim", "Every woman aged 12–55 on valproate has a **signed** form "
                        "by March 2024.", "aim"),
                Section("Measures", "Monthly counts from the practice systems.", "measures"),
                Section("Changes", "1. A monthly search\n2. Pharmacist review\n"
                        "3. A template letter", "changes"),
                Section("Results", "| Month | Signed |\n|---|---|\n| January | 9 |\n"
                        "| March | 20 |", "results"),
                Section("Lessons", "Pharmacist time was the key.", "lessons"),
            ],
        ),
        publish=True,
    )
    adaptation = projects.save_writeup(
        member,
        WriteUp(
            title="Valproate recall with community pharmacy",
            cluster=leith.slug,
            status="active",
            visibility="public",
            tags=["Valproate"],
            adapted_from=original.slug,
            sections=[Section("Aim", "Reuse Paisley North's search with community "
                              "pharmacists.", "aim")],
        ),
        publish=True,
    )
    network_only = projects.save_writeup(
        member,
        WriteUp(
            title="Frailty huddles with district nursing",
            cluster=leith.slug,
            status="active",
            visibility="network",
            tags=["Frailty"],
            sections=[Section("Aim", "A weekly huddle for every housebound frail patient.",
                              "aim")],
        ),
        publish=True,
    )
    assert (original.slug, adaptation.slug, network_only.slug) == (
        ORIGINAL, ADAPTATION, NETWORK_ONLY
    )


def _cluster(name: str, hscp: str) -> Cluster:
    """The demo content may already have created the cluster."""
    return organisations.find_by_name_or_slug(Cluster, name) or organisations.create_cluster(
        name, hscp
    )


def axe_scan(page) -> dict:
    """Run axe-core on the page as it is now: its violations and how many rules passed.

    First check the real styles were applied, or the colour-contrast rules would be judging an
    unstyled page. A click that navigates returns once the new page is committed, before its
    stylesheets have arrived, so wait for the load event first."""
    page.wait_for_load_state("load")
    sheets = page.evaluate(
        "() => Array.from(document.styleSheets, s => [s.href, s.cssRules.length])"
    )
    assert len(sheets) >= 2 and all(rules > 0 for _, rules in sheets), sheets
    page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate(
        """async tags => {
          const r = await axe.run(document, {
            runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
          });
          return {violations: r.violations, passes: r.passes.length};
        }""",
        AXE_TAGS,
    )
    assert results["passes"] > 0, "axe-core checked nothing: is the page empty?"
    return results


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"  {violation['id']} ({violation['impact']}): {violation['help']} "
            f"– {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"      {' '.join(map(str, node['target']))}: {summary}")
            lines.append(f"        {node['html'][:200]}")
    return "\n".join(lines)


class AxeReport:
    """Scans several pages and fails once, at the end, listing every page's problems."""

    def __init__(self, page):
        self.page = page
        self.blocking: dict[str, list[dict]] = {}
        self.scanned: list[str] = []

    def scan(self, label: str) -> None:
        results = axe_scan(self.page)
        where = f"{label} ({self.page.url})"
        self.scanned.append(where)
        blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
        minor = [v for v in results["violations"] if v["impact"] not in BLOCKING_IMPACTS]
        if minor:  # shown with the test's output (pytest -rP, or on failure), never failing
            print(f"Minor axe-core findings on {where}:\n{describe_violations(minor)}")
        if blocking:
            self.blocking[where] = blocking

    def assert_clean(self) -> None:
        assert self.scanned, "nothing was scanned"
        assert not self.blocking, "serious/critical axe-core violations:\n" + "\n".join(
            f"{where}:\n{describe_violations(violations)}"
            for where, violations in self.blocking.items()
        )


def assert_accessible(page, label: str = "page") -> None:
    """No serious or critical WCAG 2.1 A/AA violations; every one described if there are."""
    report = AxeReport(page)
    report.scan(label)
    report.assert_clean()
