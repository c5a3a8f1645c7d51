"""tamis inside other tools' pipelines: `tamis.integrations.datatrove` (a datatrove PipelineStep)."""
