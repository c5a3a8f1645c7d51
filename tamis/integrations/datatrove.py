"""tamis as a datatrove step: `TamisClean` cleans and splits each `Document` of a datatrove pipeline.

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from tamis.integrations.datatrove import TamisClean

    LocalPipelineExecutor([JsonlReader("raw/"), TamisClean(), JsonlWriter("clean/")], tasks=4).run()

One output Document per article found (`tamis.stages.process`, the same function `tamis run` uses): id
`ID` for a page with one article, `ID#1` (main), `ID#2`, ... for a page split in several. Each keeps the
input's metadata and gets tamis's `title`, `provenance`, `role`, `source` (the input id) and `removed`
(removed spans per reason code). A record left with no text yields none. The step counts its work with
`stat_update`: inputs by tamis status (`kept`, `split`, `removed`, `unreadable`), `articles`, and
`removed:<reason>` spans. Needs `pip install 'tamis[datatrove]'`.

This step cleans documents in batches of `stages.CLEAN_BATCH`, as `tamis run` does, but it has no
corpus-wide site templates (pass 1 of `tamis run`)
unless given a `TemplateTable`, and does not deduplicate (datatrove's own dedup steps do).
"""
from __future__ import annotations

from collections import Counter
from itertools import islice

from datatrove.data import Document as DatatroveDocument
from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from ..clean import TemplateTable
from ..document import Document
from ..stages import CLEAN_BATCH, cleaned, process


class TamisClean(PipelineStep):
    name = "🧹 tamis clean"
    type = "✂️ - FORMAT"

    def __init__(self, templates: TemplateTable | None = None) -> None:
        super().__init__()
        self.templates = templates

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        data = iter(data)
        # CLEAN_BATCH documents at a time, cleaned together as `tamis run` cleans them (`stages.cleaned`)
        while batch := list(islice(data, CLEAN_BATCH)):
            with self.track_time(unit="batch"):
                done = [process(item, self.templates, result)
                        for item, result in cleaned([_tamis_document(doc) for doc in batch], self.templates)]
            for doc, outcome in zip(batch, done):
                yield from self._articles(doc, outcome)

    def _articles(self, doc: DatatroveDocument, outcome) -> DocumentsPipeline:
        self.stat_update("inputs")
        self.stat_update(outcome.status)
        removed = Counter(span.reason for span in outcome.removed)
        for reason, spans in sorted(removed.items()):
            self.stat_update(f"removed:{reason}", value=spans)
        for article in outcome.documents:
            self.stat_update("articles")
            out = DatatroveDocument(text=article["text"], id=article["id"], media=doc.media, metadata={
                **doc.metadata, "source": article["source"], "role": article["role"],
                "title": article["title"], "provenance": article["provenance"], "removed": dict(removed)})
            self.update_doc_stats(out)
            yield out


def _tamis_document(doc: DatatroveDocument) -> Document:
    meta = doc.metadata
    url, title = meta.get("url"), meta.get("title")
    return Document(str(doc.id), text=doc.text or "", url=url if isinstance(url, str) else None,
                    title=title if isinstance(title, str) else None,
                    meta={k: meta[k] for k in ("published", "language") if isinstance(meta.get(k), str) and meta[k]})
