"""The public library: published Q&A and evidence pages, full-text + semantic search, related questions.

from spineconsult.library import index_entry, search, related
"""

from spineconsult.library.index import (
    LibraryError,
    delete_entry,
    embed_pending,
    get_entry,
    index_entry,
    reindex,
)
from spineconsult.library.related import RelatedHit, related
from spineconsult.library.search import SearchHit, search

__all__ = [
    "LibraryError",
    "RelatedHit",
    "SearchHit",
    "delete_entry",
    "embed_pending",
    "get_entry",
    "index_entry",
    "reindex",
    "related",
    "search",
]
