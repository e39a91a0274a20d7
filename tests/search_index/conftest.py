"""Fixtures for the search engine's unit tests: plain documents in a tmp_path index, no Flask."""

import pytest
from index_fixtures import CORPUS, SYNONYMS_FILE

from search_index import ProjectIndex, load_synonyms


@pytest.fixture(scope="session")
def synonyms():
    return load_synonyms(SYNONYMS_FILE)


@pytest.fixture
def empty_index(tmp_path, synonyms):
    index = ProjectIndex(tmp_path / "index", synonyms=synonyms)
    index.create()
    yield index
    index.close()


@pytest.fixture
def index(empty_index):
    empty_index.rebuild(CORPUS)
    return empty_index


@pytest.fixture(scope="module")
def shared_index(tmp_path_factory, synonyms):
    """One index of the corpus for a whole module of read-only tests."""
    index = ProjectIndex(tmp_path_factory.mktemp("shared") / "index", synonyms=synonyms)
    index.rebuild(CORPUS)
    yield index
    index.close()
