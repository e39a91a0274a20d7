"""Reuse this project: a draft copy in one of the reader's clusters, owned and edited by it.

The copy keeps the original's sections, measure definitions (not its data), tags and links to
its tools, and records `adapted_from`. The original's Results are its own data, so they stay on
its page rather than in the copy. The copy is saved through `save_writeup`, like every write-up.
"""

from dataclasses import replace

from registry.accounts.models import User
from registry.errors import Invalid, NotAllowed
from registry.organisations.models import Cluster
from registry.projects.models import Project
from registry.projects.services import get_readable, save_writeup
from registry.text import slugify
from registry.tools.services import link_tools
from registry.writeup_format import WriteUp


def reuse_choices(actor: User, original: Project) -> list[Cluster]:
    """The actor's clusters that could own a copy: all but the original's own."""
    return [cluster for cluster in actor.clusters if cluster.id != original.cluster_id]


def why_not(actor: User, original: Project) -> str | None:
    """Why the actor cannot reuse the project, in words for them; None if they can."""
    if reuse_choices(actor, original):
        return None
    if not actor.clusters:
        return (
            "You are not a member of any cluster, so there is nowhere to put a copy. "
            "Ask an administrator to add you to your cluster."
        )
    return (
        f"This project already belongs to your cluster, {original.cluster.name}: edit it, or "
        "write up your next cycle as a new project."
    )


def reuse_project(actor: User, slug: str, cluster_slug: str | None) -> Project:
    """Save a draft copy in the chosen cluster (the only one, if the actor has one choice)."""
    original = get_readable(actor, slug)
    choices = reuse_choices(actor, original)
    if not choices:
        raise NotAllowed(why_not(actor, original))
    if not cluster_slug and len(choices) == 1:
        cluster = choices[0]
    else:
        cluster = next((c for c in choices if c.slug == cluster_slug), None)
    if cluster is None:
        raise Invalid({"cluster": ["Choose which of your clusters will own the copy."]})
    return save_writeup(
        actor,
        copy_for(original, cluster, actor),
        publish=False,
        also=lambda copy: link_tools(actor, original, copy),
    )


def copy_for(original: Project, cluster: Cluster, actor: User) -> WriteUp:
    source = original.current_revision.writeup
    return replace(
        source,
        slug=slugify(f"{original.slug} {cluster.slug}")[:190].strip("-"),
        cluster=cluster.slug,
        hscp=None,
        board=None,
        status="idea",
        started=None,
        finished=None,
        authors=[actor.name],
        adapted_from=original.slug,
        measures=[replace(measure, data=[]) for measure in source.measures],
        sections=[section for section in source.sections if section.key != "results"],
    )
