"""datatrove's cleaning and dedup, as its users run them: C4's line rules, then its MinHash dedup in
its four stages (signatures, buckets, clusters, filter; its default config: 5-grams, 14 buckets of 8
hashes), writing the kept documents as JSONL, one task at a time in this process. Its task logs (INFO
on stderr, DEBUG to files, which its executor sets up for every task) are part of its time.

    python bench/datatrove_pipeline.py ROOT    # reads ROOT/in/*.jsonl, writes ROOT/out

A script of its own, so that a bench times it in a fresh process, imports included, as it times
`tamis run`, and neither pays for the memory the bench process holds.
"""
from __future__ import annotations

import sys
from pathlib import Path


def c4_filter():
    """C4's line rules as every bench runs them: datatrove's C4QualityFilter with no document dropped
    for its number of sentences (the lines go, the document stays)."""
    from datatrove.pipeline.filters import C4QualityFilter
    return C4QualityFilter(min_num_sentences=-1)


def run(root: Path) -> None:
    import xxhash
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup import (MinhashDedupBuckets, MinhashDedupCluster, MinhashDedupFilter,
                                          MinhashDedupSignature)
    from datatrove.pipeline.dedup.minhash import MinhashConfig
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from datatrove.utils.hashes import xxhash as trove_xxhash
    # datatrove hashes str, which xxhash 4 no longer takes (TypeError): give it the UTF-8 bytes, as
    # xxhash 3 did itself.
    trove_xxhash.xxhash64 = lambda data: xxhash.xxh64_intdigest(data.encode("utf-8") if isinstance(data, str) else data)
    config = MinhashConfig()
    stages = [
        ([JsonlReader(str(root / "in")), c4_filter(), JsonlWriter(str(root / "c4"), compression=None)], 1),
        ([JsonlReader(str(root / "c4")), MinhashDedupSignature(str(root / "sigs"), config=config)], 1),
        ([MinhashDedupBuckets(str(root / "sigs"), str(root / "buckets"), config=config)], config.num_buckets),
        ([MinhashDedupCluster(str(root / "buckets"), str(root / "remove"), config=config)], 1),
        ([JsonlReader(str(root / "c4")), MinhashDedupFilter(str(root / "remove")),
          JsonlWriter(str(root / "out"), compression=None)], 1),
    ]
    for k, (pipeline, tasks) in enumerate(stages):
        LocalPipelineExecutor(pipeline, tasks=tasks, workers=1, logging_dir=str(root / f"logs{k}")).run()


if __name__ == "__main__":
    run(Path(sys.argv[1]))
