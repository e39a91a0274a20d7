"""load-demo's tools, showcase and reuses (registry/demo.py): added once however often it runs,
and visible as a visitor would find them: downloads, the showcase page, search."""

import re

import yaml
from sqlalchemy import select

from registry.accounts.models import User
from registry.config import PROJECT_ROOT
from registry.extensions import db
from registry.projects.models import Project
from registry.search import services as search
from registry.showcases.models import Showcase
from registry.tools.models import Tool

CONTENT = PROJECT_ROOT / "content"
TOOLS = yaml.safe_load((CONTENT / "demo" / "tools.yaml").read_text(encoding="utf-8"))
(SHOWCASE,) = yaml.safe_load((CONTENT / "demo" / "showcases.yaml").read_text(encoding="utf-8"))
REUSES = yaml.safe_load((CONTENT / "demo" / "reuses.yaml").read_text(encoding="utf-8"))


def load_demo(cli) -> str:
    result = cli.invoke(args=["load-demo"])
    assert result.exit_code == 0, result.output
    return result.output


def test_load_demo_twice_adds_the_tools_showcase_and_reuses_once(cli):
    first = load_demo(cli)
    again = load_demo(cli)

    assert f"Demo tools: {len(TOOLS)} added, 0 already there." in first
    assert f"Demo tools: 0 added, {len(TOOLS)} already there." in again
    assert "Demo showcases: 0 added, 1 already there." in again
    assert f"Demo reuses: 0 added, {len(REUSES)} already there." in again

    attached = db.session.execute(
        select(Project.slug, Tool.title).join(Tool.project).where(Tool.reused_from_id.is_(None))
    ).all()
    assert sorted(attached) == sorted((tool["writeup"], tool["title"]) for tool in TOOLS)

    (showcase,) = db.session.scalars(select(Showcase)).all()
    assert (showcase.slug, showcase.is_published) == (SHOWCASE["slug"], True)
    assert showcase.theme.name == SHOWCASE["theme"]
    assert [item.project.slug for item in showcase.items] == [
        item["writeup"] for item in SHOWCASE["items"]
    ]

    # Every demo write-up is imported published, so the drafts are the reuse copies.
    copies = db.session.scalars(select(Project).where(Project.is_published.is_(False))).all()
    assert sorted(copy.adapted_from.slug for copy in copies) == sorted(
        reuse["writeup"] for reuse in REUSES
    )
    member = db.session.scalar(select(User).where(User.email == "member@demo.invalid"))
    for copy in copies:
        assert [c.slug for c in member.clusters] == [copy.cluster.slug]
        assert [tool.reused_from for tool in copy.tools] == copy.adapted_from.tools


def test_visitors_download_the_tools_browse_the_showcase_and_search_the_tools(
    app, cli, client
):
    search.rebuild()  # an empty index, as init-db leaves it; the demo's saves then fill it
    output = load_demo(cli)
    admin_password = re.search(r"admin\s+admin@demo\.invalid\s+(\S+)", output).group(1)
    signed_in = client.post(
        "/sign-in", data={"email": "admin@demo.invalid", "password": admin_password}
    )
    assert signed_in.status_code == 302  # one demo tool is on a network-only write-up

    for entry in TOOLS:
        tool = db.session.scalar(
            select(Tool).join(Tool.project).where(
                Project.slug == entry["writeup"], Tool.title == entry["title"]
            )
        )
        response = client.get(f"/projects/{entry['writeup']}/tools/{tool.id}/download")
        assert response.status_code == 200, entry["file"]
        assert response.get_data() == (CONTENT / "demo-tools" / entry["file"]).read_bytes()
        response.close()

    visitor = app.test_client()
    page = visitor.get(f"/showcases/{SHOWCASE['slug']}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for item in SHOWCASE["items"]:
        assert f'href="/projects/{item["writeup"]}"' in text
        assert item["note"] in text

    # "SADMANS" is only in the sick day rules card, not in its write-up.
    writeup = CONTENT / "demo" / "sick-day-rules-cards-with-community-pharmacy.md"
    assert "sadmans" not in writeup.read_text(encoding="utf-8").lower()
    found = visitor.get("/api/v1/search", query_string={"q": "SADMANS"}).get_json()
    assert [hit["slug"] for hit in found["results"]] == [
        "sick-day-rules-cards-with-community-pharmacy"
    ]
