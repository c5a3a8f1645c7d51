"""Near-duplicate and containment detection: exact hashes, MinHash + anchors for candidates, exact
verification, guarded union-find, one canonical document per cluster.

Passes (each usable alone, so an engine can shard `sign` and reduce with `resolve`):
`sign(texts) -> Signatures` -> `candidate_pairs` -> `verify` -> `clusters` -> `resolve` chooses.
"""
from .clusters import UnionFind, cluster
from .dedup import Duplicate, deduplicate, exact_representatives, rank_documents, resolve
from .lsh import anchor_pairs, band_pairs, candidate_pairs
from .minhash import anchors, minhash_matrix
from .shingles import shingle_hashes, text_shingles, word_hashes
from .signatures import Signatures, sign
from .verify import Edges, ShingleCache, similarity, verify

__all__ = [
    "Duplicate", "deduplicate", "resolve", "rank_documents", "exact_representatives",
    "Signatures", "sign", "candidate_pairs", "band_pairs", "anchor_pairs", "verify", "Edges",
    "similarity", "ShingleCache", "cluster", "UnionFind", "minhash_matrix", "anchors", "shingle_hashes",
    "text_shingles", "word_hashes",
]
