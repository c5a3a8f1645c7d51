"""Fixtures shared by test modules."""
from __future__ import annotations

import shutil

import pytest

import tamis
from tamis.engines import make_engine
from test_engines import EXAMPLES, news_corpus


@pytest.fixture(scope="session")
def sharded_run(tmp_path_factory):
    """A real run over 300 generated news records and the bundled examples, cut into shards of 23
    records: FOLDER/in holds the inputs, FOLDER/out the run (its shards under .tamis). Read only:
    a test that runs again writes to its own folder."""
    folder = tmp_path_factory.mktemp("sharded")
    (folder / "in").mkdir()
    news_corpus().write_corpus(folder / "in" / "news.jsonl", 300)
    shutil.copytree(EXAMPLES, folder / "in" / "examples")
    tamis.run([folder / "in"], folder / "out", progress=False, chunk_size=23)
    return folder


@pytest.fixture(params=["local/1", "local/2", "ray"])
def engine(request):
    """An engine to run the tasks: in this process, a pool of 2, a local Ray of 2 CPUs."""
    kind, _, workers = request.param.partition("/")
    started = False
    if kind == "ray":
        ray = pytest.importorskip("ray")
        started = not ray.is_initialized()
        if started:
            ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    engine = make_engine(kind, int(workers or 2))
    yield engine
    engine.close()
    if started:
        ray.shutdown()
