"""`flask tools check` and `flask tools prune`: the upload directory against the tool rows.

A crash between storing a file and committing its row is simulated by writing into the store
directly, as the crashed upload would have."""

import threading
import time

import pytest

from registry.tools.storage import BlobStore
from tests.tool_fixtures import (
    AUDIT_SEARCH_CSV,
    LETTER_TXT,
    stored_files,
    upload,
    upload_dir,  # noqa: F401 (a fixture)
)

SLUG = "safer-valproate-prescribing"


@pytest.fixture
def uploaded(client, lead, make_project, upload_dir):
    """Two tools, one of them removed: a removed tool's file is history, not an orphan."""
    make_project(lead)
    upload(client, SLUG)
    upload(client, SLUG, title="Recall letter", kind="letter", file=(LETTER_TXT, "letter.txt"))
    removed = client.post(f"/projects/{SLUG}/tools/2/remove", follow_redirects=True)
    assert "Removed “Recall letter”" in removed.get_data(as_text=True)
    return stored_files(upload_dir)


def crash_leftovers(upload_dir) -> tuple[str, str]:
    """What uploads killed mid-way leave: a whole file with no row, and a partial file."""
    store = BlobStore(upload_dir)
    orphan = store.path("ab" * 32)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"an audit search whose row was never committed")
    partial = orphan.parent / ".incoming-x1y2z3"
    partial.write_bytes(b"half a spread")
    return orphan.name, partial.name


def test_check_passes_when_every_file_belongs_to_a_tool(cli, uploaded):
    assert len(uploaded) == 2
    result = cli.invoke(args=["tools", "check"])
    assert result.exit_code == 0, result.output
    assert "missing files: 0" in result.output and "unused files: 0" in result.output


def test_check_reports_leftovers_and_prune_removes_only_them(cli, uploaded, upload_dir):
    crash_leftovers(upload_dir)

    checked = cli.invoke(args=["tools", "check"])
    assert checked.exit_code == 1
    assert "unused files: 2" in checked.output and "tools prune" in checked.output

    pruned = cli.invoke(args=["tools", "prune"])
    assert pruned.exit_code == 0, pruned.output
    assert "Removed 2 unused files." in pruned.output
    assert stored_files(upload_dir) == uploaded  # the removed tool's file is kept
    assert cli.invoke(args=["tools", "check"]).exit_code == 0


def test_check_names_a_file_lost_from_the_disk(cli, uploaded, client):
    lost = uploaded[0]
    lost.unlink()
    result = cli.invoke(args=["tools", "check"])
    assert result.exit_code == 1
    assert f"{lost.name} is used by a tool but is not on disk" in result.output
    assert cli.invoke(args=["tools", "prune"]).output == "Removed 0 unused files.\n"


def test_prune_waits_for_an_upload_in_progress_and_keeps_its_file(tmp_path):
    """An upload holds its directory's lock from writing the file until its row is committed;
    a prune meanwhile must wait, then see the row, not delete the file from under it."""
    store = BlobStore(tmp_path)
    committed: set[str] = set()
    removed: list[str] = []
    pruner = threading.Thread(target=lambda: removed.extend(store.prune(committed.__contains__)))

    with store.storing(AUDIT_SEARCH_CSV, committed.__contains__) as sha256:
        pruner.start()
        time.sleep(0.2)
        assert pruner.is_alive()  # blocked on the lock, not deleting
        committed.add(sha256)
    pruner.join(5)

    assert removed == []
    assert store.exists(sha256)
