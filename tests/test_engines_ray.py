"""The Ray engine runs the same stages and gives the same bytes as the local one (a local Ray with 2
CPUs; skipped where Ray is not installed: `pip install -e '.[ray]'`)."""
from __future__ import annotations

import operator
import shutil
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

import tamis  # noqa: E402
from tamis.engines import make_engine  # noqa: E402

from test_engines import EXAMPLES, news_corpus, same_outputs  # noqa: E402
from test_pipeline import write_bad_inputs  # noqa: E402


@pytest.fixture(scope="module")
def local_ray():
    started = not ray.is_initialized()
    if started:
        ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield ray
    if started:
        ray.shutdown()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("ray-in")
    write_bad_inputs(folder / "in")  # binary, empty, truncated gzip, bad JSON lines...
    shutil.copytree(EXAMPLES, folder / "in" / "examples")
    news_corpus().write_corpus(folder / "in" / "news.jsonl", 150)
    return folder / "in"


def test_ray_map_keeps_task_order(local_ray):
    engine = make_engine("ray")  # the map's function must be importable where Ray runs it
    assert list(engine.map(operator.mul, range(30), context=3)) == [3 * k for k in range(30)]
    engine.close()
    assert ray.is_initialized()  # a Ray the caller started is left running


def test_ray_gives_the_same_bytes_as_local(local_ray, inputs, tmp_path):
    local = tamis.run([inputs], tmp_path / "local", progress=False, chunk_size=40)
    remote = tamis.run([inputs], tmp_path / "ray", progress=False, chunk_size=40, engine="ray")
    assert remote["engine"] == "ray" and remote["shards"] > 2
    same_outputs(tmp_path / "local", tmp_path / "ray")
    assert local["statuses"] == remote["statuses"] and "unreadable" in local["statuses"]
    # another shard size on ray, the default on local: still the same
    tamis.run([inputs], tmp_path / "ray2", progress=False, chunk_size=500, engine="ray", format="parquet")
    tamis.run([inputs], tmp_path / "local2", progress=False, format="parquet")
    for name in ("documents.parquet", "duplicates.parquet", "ledger.jsonl"):
        assert (tmp_path / "ray2" / name).read_bytes() == (tmp_path / "local2" / name).read_bytes(), name


def test_command_line_starts_and_stops_its_own_ray(tmp_path):
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, "-m", "tamis.cli", "run", str(EXAMPLES), "-o", str(tmp_path / "o"),
                           "--engine", "ray", "--workers", "2", "--quiet"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "2 inputs -> 4 documents kept, 1 duplicates" in proc.stdout
    tamis.run([EXAMPLES], tmp_path / "local", progress=False)
    same_outputs(tmp_path / "local", tmp_path / "o")


def test_a_ray_running_on_this_machine_is_not_joined_unasked(tmp_path):
    # A Ray started on this machine beforehand (`ray start`; here a one-CPU test cluster) is what
    # ray.init() without an address joins, refusing num_cpus: `--engine ray --workers 2` crashed
    # ("When connecting to an existing cluster, num_cpus ... must not be provided").
    import os
    import subprocess
    import sys
    from ray.cluster_utils import Cluster
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    cluster = Cluster(initialize_head=True, connect=False, head_node_args={"num_cpus": 1})
    try:
        proc = subprocess.run([sys.executable, "-m", "tamis.cli", "run", str(EXAMPLES), "-o", str(tmp_path / "o"),
                               "--engine", "ray", "--workers", "2", "--quiet"],
                              capture_output=True, text=True, timeout=300, env=env)
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert "2 inputs -> 4 documents kept, 1 duplicates" in proc.stdout
        # the Ray that was running is still up, as it was
        probe = subprocess.run([sys.executable, "-c", "import ray; ray.init(address='auto', log_to_driver=False); "
                                "print(int(ray.cluster_resources()['CPU']))"],
                               capture_output=True, text=True, timeout=120, env=env)
        assert probe.stdout.strip().endswith("1"), probe.stderr[-2000:]
    finally:
        cluster.shutdown()
