"""The baseline the engine is measured against: plain BM25 over each write-up's concatenated text.

Whoosh's defaults and nothing else: one TEXT field (StandardAnalyzer: lower-casing and stop
words, no stemming), BM25F scoring, no field boosts, no synonyms, no spelling correction. This is
the one place outside `search_index/` that imports Whoosh, on purpose: the baseline is defined as
"what Whoosh does out of the box", whatever engine sits behind `search_index`.
"""

import tempfile
from collections.abc import Iterable, Sequence

from search_index import ProjectDocument
from whoosh import fields, index, qparser


def concatenated_text(doc: ProjectDocument) -> str:
    parts = [doc.title, doc.summary, doc.aim, doc.body, " ".join(doc.tags), " ".join(doc.authors),
             doc.cluster_name, doc.hscp_name, doc.board_name, doc.tool_text]
    return "\n".join(part for part in parts if part)


def plain_bm25_rankings(
    documents: Iterable[ProjectDocument], queries: Sequence[str], any_word: bool, k: int = 10
) -> dict[str, list[str]]:
    """Top-k slugs per query. Whoosh's parser joins words with AND by default; `any_word` uses
    OR instead, the fairer baseline for natural phrases (both are reported)."""
    schema = fields.Schema(slug=fields.ID(stored=True), text=fields.TEXT())
    with tempfile.TemporaryDirectory() as directory:
        ix = index.create_in(directory, schema)
        with ix.writer() as writer:
            for doc in documents:
                writer.add_document(slug=doc.slug, text=concatenated_text(doc))
        group = qparser.OrGroup if any_word else qparser.AndGroup
        parser = qparser.QueryParser("text", schema, group=group)
        with ix.searcher() as searcher:
            rankings = {
                query: [hit["slug"] for hit in searcher.search(parser.parse(query), limit=k)]
                for query in queries
            }
        ix.close()
    return rankings
